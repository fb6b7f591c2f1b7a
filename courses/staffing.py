"""Who may act on a course's or a webinar's pages, and who chooses that (docs/roles.md, "Trainers and presenters").

* The staff of a page (a course's `trainers`, a webinar's `presenters`) are chosen by an administrator
  (`services.may_assign_staff`) among the members of the Trainers group, and written by `services.page_staff_set`
  at once. They are **not content**: `StaffAssignedPage` leaves them out of every page revision and ignores them in
  old ones, so publishing, scheduling or reverting a revision (whoever saved it, through whichever path) never
  changes them; copies (also translations and aliases) start without them.
* `StaffAssignmentPageForm` (the pages' `base_form_class`) shows the field only to those who may assign, offering
  only the Trainers group; for everyone else the field is not in the form, so a posted value is ignored.
* Page permissions per course: `StaffPagePermissionPolicy` (Wagtail's page permission policy, registered for every
  page model in courses/models.py) adds to a trainer's group permissions add/change/publish on each course they
  train (every language of it, `services.trainer_course_ids`) and its lessons, while they are in the Trainers group
  (`lms.roles.may_act_as_trainer`: someone removed from the group, or listed before it was required, gets
  nothing from the list, as on every other trainer path). The Trainers group itself holds no
  page permission on the course tree, so the explorer, search, choosers, edit, publish, copy, move and delete all
  refuse a trainer for a course they do not train; and no trainer can create a course (an administrator does, then
  assigns its trainers).
"""

from dataclasses import dataclass

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.permission_policies.pages import PagePermissionPolicy

# What a trainer may do on the pages of a course they train: add lessons, edit and publish the course and its lessons.
TRAINER_PAGE_ACTIONS = ("add", "change", "publish")


class StaffAssignedPage:
    """Mixin for a page model whose `staff_field` (a ParentalManyToManyField to users) grants rights: kept out of
    revisions and copies; a change made in the form is written by `services.page_staff_set` when the page is saved."""

    staff_field: str

    def staff_pages(self):
        """The pages that share this page's staff (a course's translations override this)."""
        return [self]

    def serializable_data(self):
        data = super().serializable_data()
        data.pop(self.staff_field, None)
        return data

    @classmethod
    def from_serializable_data(cls, data, check_fks=True, strict_fks=False):
        # Revisions saved before staff left the content still carry them: never apply those.
        data = {key: value for key, value in data.items() if key != cls.staff_field}
        return super().from_serializable_data(data, check_fks=check_fks, strict_fks=strict_fks)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.staff_field in getattr(self, "_cluster_related_objects", {}):
            # Set in code (`page.trainers.add(...)`, then `save_revision()`): saved like any other save would, since
            # no revision carries staff any more.
            kwargs["update_fields"] = [*update_fields, self.staff_field]
        result = super().save(*args, **kwargs)
        change = self.__dict__.pop("_staff_change", None)
        if change is not None:
            from .services import page_staff_set

            actor, users = change
            page_staff_set(actor=actor, page=self, users=users)
        return result


class StaffAssignmentPageForm(WagtailAdminPageForm):
    """The admin form of a page with staff: the staff field only for those who may assign, listing only trainers."""

    def __init__(self, *args, **kwargs):
        from . import selectors, services

        super().__init__(*args, **kwargs)
        name = self._meta.model.staff_field
        if name not in self.fields:
            return
        if not services.may_assign_staff(self.for_user):
            del self.fields[name]
            return
        self.fields[name].queryset = selectors.staff_candidates()
        if self.instance.pk:
            self.initial[name] = sorted(selectors.page_staff_ids(self.instance))

    def save(self, commit=True):
        name = self._meta.model.staff_field
        if name in self.fields:
            # Not set on the page (it would go nowhere: revisions leave staff out); page_staff_set writes them when
            # the page is saved: created, saved as a draft or published.
            self.instance._staff_change = (self.for_user, list(self.cleaned_data.pop(name)))
        return super().save(commit=commit)


@dataclass(frozen=True)
class _Permission:
    codename: str


@dataclass(frozen=True)
class TrainerPagePermission:
    """A permission on a course's pages that comes from being its trainer, shaped like a GroupPagePermission row (the
    page permission policy reads `.page`, `.page_id` and `.permission.codename`)."""

    page: object
    permission: _Permission

    @property
    def page_id(self) -> int:
        return self.page.pk


class StaffPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, plus add/change/publish on the courses a person trains (while in the Trainers
    group: `services.trainer_course_ids` asks `lms.roles.may_act_as_trainer`)."""

    def get_all_permissions_for_user(self, user):
        permissions = super().get_all_permissions_for_user(user)
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return permissions
        return [*permissions, *trainer_page_permissions(user)]


def trainer_page_permissions(user) -> list[TrainerPagePermission]:
    """The page rights a person has as trainer of their courses: none unless `lms.roles.may_act_as_trainer`."""
    from wagtail.models import Page

    from .services import trainer_course_ids

    course_ids = trainer_course_ids(user=user)
    if not course_ids:
        return []
    codenames = [_Permission(f"{action}_page") for action in TRAINER_PAGE_ACTIONS]
    return [
        TrainerPagePermission(page=page, permission=codename)
        for page in Page.objects.filter(pk__in=course_ids).order_by("path")
        for codename in codenames
    ]


def register_page_permission_policy() -> None:
    from wagtail.models import Page
    from wagtail.permissions import register_permission_policy

    register_permission_policy(Page, StaffPagePermissionPolicy())

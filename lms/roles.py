"""The three roles are Django groups; this module is the one place that names them and tests membership."""

from django.contrib.auth.models import Group

LEARNERS = "Learners"
TRAINERS = "Trainers"
CERTIFIERS = "Certifiers"
ALL_ROLES = (LEARNERS, TRAINERS, CERTIFIERS)


def _group_names(user) -> set[str]:
    """Group names of a user, cached on the instance so that templates and services ask once."""
    cached = getattr(user, "_lms_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._lms_group_names = cached
    return cached


def has_role(user, role: str) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or role in _group_names(user)))


def is_trainer(user) -> bool:
    return has_role(user, TRAINERS)


def is_certifier(user) -> bool:
    return has_role(user, CERTIFIERS)


def may_act_as_trainer(user) -> bool:
    """The one rule for staff rights on a course or a webinar: a person counts as a course's trainer or a webinar's
    presenter only while they are an active member of the Trainers group (superusers always). Being listed in a
    course's `trainers` or a webinar's `presenters` is not enough on its own: someone removed from the group (by
    `revoke_role` or in the admin), or listed before the group was required, loses every right those lists give at
    once, without the lists being cleaned. Asked by `courses.services.user_is_course_trainer` and
    `trainer_course_ids` (reports, CSV, reviews, submission files, the per-course page permissions, the
    dashboards) and `webinars.services.user_is_presenter` (the room, its socket, moderation, transcripts,
    attendance). Everyone it lets act is a staff role (`is_staff_role`), so the staff second factor covers them.
    The group names are read once per user object."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or TRAINERS in _group_names(user))
    )


def is_staff_role(user) -> bool:
    """Trainers, certifiers, superusers and anyone else who may open Wagtail's admin (Wagtail's Editors and
    Moderators publish to every reader): the people who must use two-factor sign-in for the admin. The admin
    permission is asked last, so trainers and certifiers cost no query beyond their group names."""
    if not (user and user.is_authenticated):
        return False
    return bool(
        user.is_superuser or _group_names(user) & {TRAINERS, CERTIFIERS} or user.has_perm("wagtailadmin.access_admin")
    )


def grant_role(user, role: str) -> None:
    """Add a user to a role's group (or any other group by name); trainers and certifiers also get Django-admin
    access for the library."""
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_lms_group_names", None)
    if role in (TRAINERS, CERTIFIERS):
        _set_staff(user, True)


def revoke_role(user, role: str) -> None:
    """Remove a user from a role's group; Django-admin access goes with their last trainer or certifier role.
    Leaving the Trainers group ends their rights on the courses they train and the webinars they present at once
    (`may_act_as_trainer`), so the courses' and webinars' lists need no cleaning here (put back in the group, the
    person finds their courses again)."""
    user.groups.remove(Group.objects.get(name=role))
    user.__dict__.pop("_lms_group_names", None)
    if role in (TRAINERS, CERTIFIERS) and not is_staff_role(user):
        _set_staff(user, False)


def _set_staff(user, is_staff: bool) -> None:
    """Written with an update, not save(): another copy of the same user may have changed it in this request."""
    type(user).objects.filter(pk=user.pk).update(is_staff=is_staff)
    user.is_staff = is_staff

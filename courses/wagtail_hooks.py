from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from . import services
from .chooser import filer_file_chooser_viewset
from .models import CoursePage


@hooks.register("register_admin_viewset")
def register_filer_file_chooser():
    return filer_file_chooser_viewset


@hooks.register("register_permissions")
def register_assign_staff_permission():
    """Settings → Groups offers "Can choose the trainers of courses and the presenters of webinars" (e.g. for a
    "Course managers" group); superusers have it anyway."""
    app_label, codename = services.ASSIGN_STAFF_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


@hooks.register("register_log_actions")
def register_staff_log_action(actions):
    @actions.register_action("courses.staff_changed")
    class StaffChanged(LogFormatter):
        label = gettext_lazy("Change trainers or presenters")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Trainers or presenters changed: %(added)d added, %(removed)d removed") % {
                "added": len(data.get("added", [])),
                "removed": len(data.get("removed", [])),
            }


def _deletes_a_course(objects) -> bool:
    """Any course among the objects (bulk actions of other models, e.g. users or snippets, come here too)."""
    return any(isinstance(obj, Page) and issubclass(obj.specific_class or type(obj), CoursePage) for obj in objects)


@hooks.register("before_delete_page")
def courses_are_deleted_by_administrators(request, page):
    """A trainer edits and publishes the courses they train, but deleting a course (and with it every learner's
    enrolment, answers and files in it) is for those who create courses and choose their trainers."""
    if _deletes_a_course([page]) and not services.may_assign_staff(request.user):
        messages.error(request, _("Only an administrator can delete a course."))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def courses_are_bulk_deleted_by_administrators(request, action_type, objects, action_class_instance):
    if action_type == "delete" and _deletes_a_course(objects) and not services.may_assign_staff(request.user):
        messages.error(request, _("Only an administrator can delete a course."))
        return redirect("wagtailadmin_home")
    return None

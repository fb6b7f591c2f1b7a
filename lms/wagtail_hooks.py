"""Wagtail admin additions of the core app: a menu entry for the material library (django-filer)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class LibraryMenuItem(MenuItem):
    """Shown only to people who may browse the library (trainers and superusers)."""

    def is_shown(self, request):
        return request.user.has_perm("filer.can_use_directory_listing")


@hooks.register("register_admin_menu_item")
def register_library_menu_item():
    return LibraryMenuItem(
        _("Material library"),
        reverse("admin:filer-directory_listing-root"),
        icon_name="folder-open-inverse",
        order=350,
    )

"""Wagtail additions of the core app: a menu entry for the material library (django-filer), the view
restrictions of the pages that use a document, asked before Wagtail serves it, and the translation status page
(Settings > Translation status)."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import services
from .admin_views import TranslationStatusView
from .restrictions import document_viewable


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


@hooks.register("before_serve_document")
def refuse_document_of_restricted_page(document, request):
    """Wagtail's `/documents/<id>/<filename>` serves a document only to people who may view every page that uses
    it (`lms.restrictions.document_viewable`); the others get a 404, as the webinar room does, so that the
    document's existence is not revealed. Wagtail's own hook checks the collection's privacy as well."""
    if not document_viewable(request.user, document):
        raise Http404("No document found.")


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return services.may_manage_translations(request.user)


@hooks.register("register_admin_urls")
def register_translation_status_url():
    return [path("translations/", TranslationStatusView.as_view(), name="lms_translation_status")]


@hooks.register("register_settings_menu_item")
def register_translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"), reverse("lms_translation_status"), icon_name="globe", order=610
    )

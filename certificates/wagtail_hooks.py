"""Admin registration: the Levels snippet and the certifiers' menu (queue, certificates, audit log)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms import roles

from . import admin_views
from .models import Level

admin_urls = [
    path("", admin_views.queue_view, name="queue"),
    path("<int:entry_id>/issue/", admin_views.queue_issue_view, name="queue_issue"),
    path("<int:entry_id>/reject/", admin_views.queue_reject_view, name="queue_reject"),
    path("bulk-issue/", admin_views.queue_bulk_issue_view, name="queue_bulk_issue"),
    path("refresh/", admin_views.queue_refresh_view, name="queue_refresh"),
    path("issue/", admin_views.issue_outside_rules_view, name="issue"),
    path("certificates/", admin_views.certificates_view, name="certificates"),
    path("certificates/<int:pk>/", admin_views.certificate_view, name="certificate"),
    path("certificates/<int:pk>/revoke/", admin_views.certificate_revoke_view, name="certificate_revoke"),
    path("certificates/<int:pk>/reissue/", admin_views.certificate_reissue_view, name="certificate_reissue"),
    path("audit/", admin_views.audit_view, name="audit"),
]


class LevelViewSet(SnippetViewSet):
    model = Level
    icon = "trophy"
    menu_label = _("Levels")
    list_display = ["name", "sort_order", "requires_approval"]
    ordering = ["sort_order"]


register_snippet(LevelViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("certification/", include((admin_urls, "certificates_admin")))]


class CertifierMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_certifier(request.user)


class CertifierSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return roles.is_certifier(request.user)


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        CertifierMenuItem(_("Queue"), reverse("certificates_admin:queue"), icon_name="list-ul", order=1),
        CertifierMenuItem(_("Certificates"), reverse("certificates_admin:certificates"), icon_name="doc-full", order=2),
        CertifierMenuItem(_("Issue outside the rules"), reverse("certificates_admin:issue"), icon_name="plus", order=3),
        CertifierMenuItem(_("Audit log"), reverse("certificates_admin:audit"), icon_name="history", order=4),
        CertifierMenuItem(_("Levels"), reverse("wagtailsnippets_certificates_level:list"), icon_name="trophy", order=5),
    ]
    return CertifierSubmenu(_("Certification"), Menu(items=items), icon_name="trophy", order=450)

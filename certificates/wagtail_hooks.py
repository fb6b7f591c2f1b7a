"""Admin registration: the Levels snippet, the certifiers' listings (queue, certificates, audit log) as Wagtail
viewsets, their action views, and the Certification menu."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from lms import roles

from . import admin_views, services
from .models import AuditEntry, Certificate, Level, LevelText, QueueEntry

admin_urls = [
    path("<int:entry_id>/issue/", admin_views.queue_issue_view, name="queue_issue"),
    path("<int:entry_id>/reject/", admin_views.queue_reject_view, name="queue_reject"),
    path("bulk-issue/", admin_views.queue_bulk_issue_view, name="queue_bulk_issue"),
    path("refresh/", admin_views.queue_refresh_view, name="queue_refresh"),
    path("issue/", admin_views.issue_outside_rules_view, name="issue"),
    path("certificates/<int:pk>/", admin_views.certificate_view, name="certificate"),
    path("certificates/<int:pk>/revoke/", admin_views.certificate_revoke_view, name="certificate_revoke"),
    path("certificates/<int:pk>/reissue/", admin_views.certificate_reissue_view, name="certificate_reissue"),
]


class LevelPermissionPolicy(ModelPermissionPolicy):
    """A certifier changes or deletes only the levels they may certify (services.may_certify): otherwise one kept
    off a level could lift its restriction, or rewrite its requirements, and then issue it."""

    def user_has_permission_for_instance(self, user, action, instance):
        allowed = super().user_has_permission_for_instance(user, action, instance)
        return allowed and (action not in ("change", "delete") or services.may_certify(user, instance))


level_permissions = LevelPermissionPolicy(Level)
register_permission_policy(Level, level_permissions, exact_class=True)


class LevelIndexView(IndexView):
    """A level this user may not change or delete is listed without a link to its form or its deletion."""

    def get_edit_url(self, instance):
        if self.user_has_permission_for_instance("change", instance):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if self.user_has_permission_for_instance("delete", instance):
            return super().get_delete_url(instance)
        return None


class LevelViewSet(SnippetViewSet):
    model = Level
    index_view_class = LevelIndexView
    # Wagtail's copy view saves through the original's form instance and runs no before_edit_snippet hook: a
    # level is copied by adding one.
    copy_view_enabled = False
    icon = "trophy"
    menu_label = _("Levels")
    list_display = ["name", "sort_order", "requires_approval"]
    ordering = ["sort_order"]


register_snippet(LevelViewSet)


class LevelTextPermissionPolicy(ModelPermissionPolicy):
    """A level's texts are printed on its certificates: only those who may change the level change them. Rows are
    made by the level (its default language) and by wagtail-localize's Translate, never added by hand."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        allowed = self.user_has_permission(user, action)
        return allowed and (action not in ("change", "delete") or services.may_certify(user, instance.level))


level_text_permissions = LevelTextPermissionPolicy(LevelText)
register_permission_policy(LevelText, level_text_permissions, exact_class=True)


class LevelTextViewSet(SnippetViewSet):
    """Where an editor translates a level: Translate on its default-language row (docs/translation.md)."""

    model = LevelText
    copy_view_enabled = False
    icon = "trophy"
    menu_label = _("Level texts")
    add_to_admin_menu = False
    list_display = ["name", "level", "locale"]


register_snippet(LevelTextViewSet)


@hooks.register("before_edit_snippet", order=-10)  # before wagtail-localize's translation editor
def refuse_editing_a_level_one_may_not_certify(request, instance):
    if isinstance(instance, Level) and not level_permissions.user_has_permission_for_instance(
        request.user, "change", instance
    ):
        return permission_denied(request)
    if isinstance(instance, LevelText) and not level_text_permissions.user_has_permission_for_instance(
        request.user, "change", instance
    ):
        return permission_denied(request)
    return None


@hooks.register("before_delete_snippet")
def refuse_deleting_a_level_one_may_not_certify(request, instances):
    if any(
        (isinstance(i, Level) and not level_permissions.user_has_permission_for_instance(request.user, "delete", i))
        or (
            isinstance(i, LevelText)
            and not level_text_permissions.user_has_permission_for_instance(request.user, "delete", i)
        )
        for i in instances
    ):
        return permission_denied(request)
    return None


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("certification/", include((admin_urls, "certificates_admin")))]


class CertifierListingViewSet(ModelViewSet):
    """A listing and nothing else: Wagtail's index view (search, filters, CSV/XLSX export) and its results view; no
    add, edit, delete, history, usage, copy or inspect view (a decision goes through a service, admin_views.py).
    The views ask `admin_views.CertifierListingPolicy`: certifiers and superusers."""

    add_to_admin_menu = False  # in the Certification menu below
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None  # the ORM's icontains on search_fields: these models are not in the search index

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_permissions_to_register(self):
        return Permission.objects.none()  # the Certifiers group's permissions come from its migration

    def register_admin_url_finder(self):
        pass  # no edit view to find


class QueueViewSet(CertifierListingViewSet):
    model = QueueEntry
    index_view_class = admin_views.QueueIndexView
    name = "certificates_queue"
    url_prefix = "certification"  # the queue keeps its address, /admin/certification/
    icon = "list-ul"
    search_fields = ["user__username", "user__display_name"]
    export_filename = "certification-queue"


class CertificateViewSet(CertifierListingViewSet):
    model = Certificate
    index_view_class = admin_views.CertificateIndexView
    name = "certificates_list"
    url_prefix = "certification/certificates"
    icon = "doc-full"
    search_fields = ["serial", "holder_name", "holder__username", "holder__display_name"]
    export_filename = "certificates"


class AuditViewSet(CertifierListingViewSet):
    model = AuditEntry
    index_view_class = admin_views.AuditIndexView
    name = "certificates_audit"
    url_prefix = "certification/audit"
    icon = "history"
    search_fields = ["certificate__serial", "subject__username", "actor__username"]
    export_filename = "certification-audit-log"


@hooks.register("register_admin_viewset")
def register_certifier_listings():
    return [QueueViewSet(), CertificateViewSet(), AuditViewSet()]


class CertifierMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_certifier(request.user)


class CertifierSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return roles.is_certifier(request.user)


@hooks.register("register_admin_menu_item")
def register_menu():
    items = [
        CertifierMenuItem(_("Queue"), reverse("certificates_queue:index"), icon_name="list-ul", order=1),
        CertifierMenuItem(_("Certificates"), reverse("certificates_list:index"), icon_name="doc-full", order=2),
        CertifierMenuItem(_("Issue outside the rules"), reverse("certificates_admin:issue"), icon_name="plus", order=3),
        CertifierMenuItem(_("Audit log"), reverse("certificates_audit:index"), icon_name="history", order=4),
        CertifierMenuItem(_("Levels"), reverse("wagtailsnippets_certificates_level:list"), icon_name="trophy", order=5),
        CertifierMenuItem(
            _("Level texts"), reverse("wagtailsnippets_certificates_leveltext:list"), icon_name="trophy", order=6
        ),
    ]
    return CertifierSubmenu(_("Certification"), Menu(items=items), icon_name="trophy", order=450)

"""URLs: the admins and machine endpoints unprefixed; every page a person reads under i18n_patterns
(English without a prefix, Russian under /ru/)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sw.js", views.service_worker, name="service_worker"),
    # Quick exit (every page's button) and the neutral page it leaves for: unprefixed, no language in the URL.
    path("start/", views.quick_exit_view, name="quick_exit"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("account/", views.account_view, name="account"),
    path("account/export/", views.export_view, name="account_export"),
    path("account/delete/", views.delete_account_view, name="account_delete"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("privacy/", views.privacy_view, name="privacy"),
    path("offline/", views.offline_view, name="offline"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("", include("certificates.urls")),  # first: public verification is the most requested of these
    path("", include("courses.urls")),
    path("", include("webinars.urls")),
    path("", include("practice.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

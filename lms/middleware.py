"""Request middleware of the core app: time zone, staff two-factor, and security headers."""

import zoneinfo

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils import timezone


class UserTimezoneMiddleware:
    """Show dates and times in the viewer's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


def _is_admin_path(path: str) -> bool:
    return path.startswith(settings.LMS_ADMIN_CSP_PREFIXES)


_ADMIN_SIGN_OUT = ("/admin/logout/", "/django-admin/logout/")


class StaffTwoFactorMiddleware:
    """The admins (Wagtail's and Django's, with the certifiers' pages) show staff other people's data: with
    LMS_REQUIRE_STAFF_MFA, trainers, certifiers and superusers need their second factor there, by the same rule
    as every page marked lms.decorators.staff_view (lms.services.staff_second_factor_step). Signing out stays open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if settings.LMS_REQUIRE_STAFF_MFA and _is_admin_path(path) and not path.startswith(_ADMIN_SIGN_OUT):
            from .decorators import second_factor_redirect, second_factor_step

            step = second_factor_step(request)
            if step is not None:
                return second_factor_redirect(request, step)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy (camera, microphone... all off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.LMS_PERMISSIONS_POLICY)
        return response


class AdminAwareCSPMiddleware(CSPMiddleware):
    """The strict site policy everywhere; the admins' narrower exception only under their own URLs."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and _is_admin_path(request.path_info):
            parts.replace = {**(parts.replace or {}), **settings.LMS_ADMIN_CSP_DIRECTIVES}
        return parts

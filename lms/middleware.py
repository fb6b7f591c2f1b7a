"""Request middleware of the core app: time zone, staff two-factor, and security headers."""

import zoneinfo

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from . import roles


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


class StaffTwoFactorMiddleware:
    """Trainers, certifiers and superusers must set up TOTP before they use the admin (production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LMS_REQUIRE_STAFF_MFA and _is_admin_path(request.path_info):
            user = request.user
            if roles.is_staff_role(user) and not _has_totp(user):
                messages.warning(request, _("Set up two-factor authentication before you use the admin."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


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

"""Request middleware of the core app: time zone, staff two-factor, security headers, and the page in another
language when the reader's has none."""

import zoneinfo

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .selectors import page_in_a_language_read


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


# What a browser must forget when someone leaves (Clear-Site-Data): on every sign-out (and "Delete my account"),
# the HTTP cache and the site's storage (the service worker with its offline copies, local storage); on "quick
# exit" the cookies too (the language chosen, the CSRF cookie: nothing of the visit stays). Not the cookies on
# deletion: the browser would drop the message confirming it (tried), and the session is already ended.
CLEAR_ON_SIGN_OUT = '"cache", "storage"'
CLEAR_EVERYTHING = '"cache", "cookies", "storage"'
# Which account a page was made for, as an opaque mark (empty for a visitor who is not signed in): the service
# worker drops the pages it kept as soon as a page arrives with another mark (frontend/static/frontend/sw.js).
ACCOUNT_MARK_HEADER = "X-Account-Mark"


def clear_site_data(request, value: str = CLEAR_ON_SIGN_OUT) -> None:
    """Ask the browser to forget what this site left on it, with this request's response."""
    if getattr(request, "_lms_clear_site_data", None) != CLEAR_EVERYTHING:
        request._lms_clear_site_data = value


def clear_on_sign_out(sender, request=None, **kwargs) -> None:
    """user_logged_out receiver: every way of signing out (allauth, both admins, account deletion, quick exit)."""
    if request is not None:
        clear_site_data(request)


def account_mark(user) -> str:
    if not (user and user.is_authenticated):
        return ""
    return salted_hmac("lms.offline-pages", str(user.pk), algorithm="sha256").hexdigest()[:24]


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy (camera, microphone... all off), Clear-Site-Data
    on the responses that sign someone out, and the account mark on pages (read by the service worker)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.LMS_PERMISSIONS_POLICY)
        clear = getattr(request, "_lms_clear_site_data", None)
        if clear:
            response["Clear-Site-Data"] = clear
        if response.get("Content-Type", "").startswith("text/html"):
            response[ACCOUNT_MARK_HEADER] = account_mark(getattr(request, "user", None))
        return response


class AdminAwareCSPMiddleware(CSPMiddleware):
    """The strict site policy everywhere; the admins' narrower exception only under their own URLs."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and _is_admin_path(request.path_info):
            parts.replace = {**(parts.replace or {}), **settings.LMS_ADMIN_CSP_DIRECTIVES}
        return parts


class PageLanguageFallbackMiddleware:
    """A page missing in the reader's language is not a 404: the reader goes to the page in another language they
    read, with a notice in the language they asked for (lms.selectors.page_in_a_language_read). Only Wagtail's
    page route asks; a page found costs nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = request.resolver_match
        if not isinstance(exception, Http404) or match is None or match.url_name != "wagtail_serve":
            return None
        page = page_in_a_language_read(request, match.args[0] if match.args else match.kwargs.get("path", ""))
        if page is None:
            return None
        shown = page.locale.language_code
        if shown != translation.get_language():
            names = dict(settings.LANGUAGES)
            messages.info(
                request,
                _("This page is not available in %(missing)s yet, so it is shown in %(shown)s.")
                % {"missing": names[translation.get_language()], "shown": names[shown]},
            )
        return redirect(page.get_url(request))

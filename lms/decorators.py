"""`staff_view`: the mark on every view that shows staff (trainers, certifiers, superusers) another person's data.

It asks the one rule, `lms.services.staff_second_factor_step`: with LMS_REQUIRE_STAFF_MFA, such a page opens only
to staff who have a TOTP authenticator and used a second factor in this session; otherwise the person is sent to
set it up (or to confirm it) and comes back. The admins' URLs are covered by lms.middleware.StaffTwoFactorMiddleware
with the same function. tests/hardening/test_staff_mfa.py lists the staff URLs from the URL conf and the
permission matrix, so a new staff view that lacks the mark fails there.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import roles, services

OthersData = Callable[..., bool]


def second_factor_step(request) -> str | None:
    return services.staff_second_factor_step(user=request.user, session=getattr(request, "session", None))


def second_factor_redirect(request, step: str):
    """Send the person to the step they still need (set up, or confirm, their second factor), then back."""
    if step == services.SECOND_FACTOR_SET_UP:
        messages.warning(request, _("Set up two-factor authentication before you open pages with other people's data."))
        return HttpResponseRedirect(reverse(step))
    messages.info(request, _("Confirm it is you with your authenticator app before you open this page."))
    return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


def staff_view(view=None, *, others_data: OthersData | None = None):
    """Mark a view that shows staff other people's data.

    Bare (`@staff_view`): the whole view is a staff page; it needs a login and a staff role (else 403), then the
    second factor. With `others_data=fn(request, **url_kwargs) -> bool`, the view is also open to people it
    concerns (an author's own file, an attendee in a room); fn says whether this request shows the signed-in
    staff member someone else's data, and only then is the second factor asked. fn runs only for staff who lack
    it, so it costs nothing on any other request. The view keeps its own object-level checks.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if others_data is None and not roles.is_staff_role(user):
                raise PermissionDenied
            step = second_factor_step(request)
            if step is not None and (others_data is None or others_data(request, *args, **kwargs)):
                return second_factor_redirect(request, step)
            return view(request, *args, **kwargs)

        wrapper.lms_staff_view = True
        return wrapper

    return decorate(view) if view is not None else decorate


def not_own(model, owner_field: str) -> OthersData:
    """For `others_data`: true unless the row named by the URL's keyword arguments belongs to the person."""

    def others(request, *args, **kwargs) -> bool:
        owner = model._default_manager.filter(**kwargs).values_list(owner_field, flat=True).first()
        return owner != request.user.pk

    return others

"""Operations on accounts: create, update the profile, export everything, delete for good."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import privacy, roles

User = get_user_model()

PROFILE_FIELDS = ("display_name", "preferred_language", "time_zone", "country")


def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    display_name: str = "",
    preferred_language: str = "en",
    time_zone: str = "UTC",
    country: str = "",
) -> "User":
    """Create a learner account (every new account joins Learners)."""
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        preferred_language=preferred_language,
        time_zone=time_zone,
        country=country,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    with transaction.atomic():
        user.save()
        roles.grant_role(user, roles.LEARNERS)
    return user


def user_update_profile(*, user: "User", **fields: Any) -> "User":
    """Change the fields a person may change about themselves; anything else is refused."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password", "username", "email"] if "username" not in fields else None)
    user.save(update_fields=list(fields))
    return user


def user_export_account(user: "User") -> dict[str, Any]:
    """The account part of "Download my data"."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
        "country": user.country,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        # The kinds of second factor only; secrets never leave the server.
        "two_factor_methods": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }


def user_erase_account(user: "User") -> None:
    """Delete the account row; email addresses, authenticators and group links go with it by cascade. The row's
    pre_delete receiver (lms.privacy.erase_before_delete) runs every other app's erase hook first."""
    user.delete()


def user_export_data(*, user: "User") -> dict[str, Any]:
    """Everything the platform holds on one person, collected from every app's contributor."""
    data: dict[str, Any] = {
        "format": "lms-export/1",
        "exported_at": timezone.now(),
    }
    for contributor in privacy.contributors():
        data[contributor.key] = contributor.export(user)
    return data


@transaction.atomic
def user_delete(*, user: "User", password: str) -> None:
    """Irreversibly remove a person's data after checking their password; each app erases its own rows."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not user.has_usable_password() or not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")}, code="wrong_password")
    # The same path as an admin's deletion: deleting the row runs every app's erase hook (lms.privacy).
    user_erase_account(user)


# --- The staff's second factor ---------------------------------------------------------------------------------

SECOND_FACTOR_SET_UP = "mfa_activate_totp"
SECOND_FACTOR_CONFIRM = "mfa_reauthenticate"


def staff_second_factor_step(*, user, session) -> str | None:
    """What a person must still do before staff pages show them other people's data, as a URL name; None if
    nothing. The rule (with LMS_REQUIRE_STAFF_MFA): trainers, certifiers and superusers need a TOTP
    authenticator (SECOND_FACTOR_SET_UP) and a session in which they used a second factor (SECOND_FACTOR_CONFIRM:
    a password-only sign-in, e.g. through Wagtail's or Django's admin login form, does not count). Asked by
    lms.decorators.staff_view, the admin middleware and the live room's socket."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    if not settings.LMS_REQUIRE_STAFF_MFA or not roles.is_staff_role(user):
        return None
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return SECOND_FACTOR_SET_UP
    # allauth records each way the person proved who they are in this session ("password", "mfa", ...).
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY) if session is not None else None
    same_user = session is not None and session.get(_AUTHENTICATED_USER_KEY) == str(user.pk)
    if same_user and isinstance(records, list) and any(r.get("method") == "mfa" for r in records):
        return None
    return SECOND_FACTOR_CONFIRM


_AUTHENTICATED_USER_KEY = "account_authentication_methods_user"  # allauth's key for whose records those are


# --- Translations ------------------------------------------------------------------------------------------------

TRANSLATE_PERMISSION = "wagtail_localize.submit_translation"


def may_manage_translations(user) -> bool:
    """The editors who submit content for translation (wagtail-localize's permission, which its migration gives
    Wagtail's Editors and Moderators groups) and superusers: they see the translation status page."""
    return bool(user and user.is_authenticated and user.has_perm(TRANSLATE_PERMISSION))

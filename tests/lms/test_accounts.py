"""Accounts through django-allauth: sign-up without email, login by username or email, rate limits,
password reset mail and TOTP two-factor."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms import roles
from lms.models import User
from lms.services import user_update_profile
from lms.testing import PASSWORD, make_site, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site():
    return make_site()


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_signup_without_email_creates_a_logged_in_learner(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "nightowl", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="nightowl")
    assert user.email == ""
    assert roles.has_role(user, roles.LEARNERS)
    assert client.get(reverse("dashboard")).status_code == 200
    assert mail.outbox == []  # no address, no mail


def test_signup_with_email_sends_a_verification_mail(client):
    client.post(
        reverse("account_signup"),
        {
            "username": "withmail",
            "email": "withmail@example.org",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    assert User.objects.filter(username="withmail").exists()
    assert len(mail.outbox) == 1
    assert "withmail@example.org" in mail.outbox[0].to


def test_signup_in_russian_keeps_russian_as_preferred_language(client):
    client.post(
        "/ru/accounts/signup/",
        {"username": "russkiy", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"},
    )
    assert User.objects.get(username="russkiy").preferred_language == "ru"


def test_signup_refuses_a_weak_password_and_creates_nothing(client):
    response = client.post(reverse("account_signup"), {"username": "weak", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.parametrize("login_field", ["username", "email"])
def test_login_by_username_or_email(client, login_field):
    user = make_user(username="amina", email="amina@example.org")
    response = client.post(reverse("account_login"), {"login": getattr(user, login_field), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_wrong_password_is_refused_then_rate_limited(client):
    make_user(username="target")
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": "target", "password": "wrong-password"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    # allauth allows 5 failures per 5 minutes for one login; the next try is refused even with the right password.
    response = client.post(reverse("account_login"), {"login": "target", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_sends_a_mail_with_a_working_link(client):
    make_user(username="forgetful", email="forgetful@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/key/" in line)
    path = link[link.index("/accounts/") :].strip()
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_url, {"password1": "brand-new-passphrase-2", "password2": "brand-new-passphrase-2"})
    assert response.status_code == 302
    client.logout()
    client.post(reverse("account_login"), {"login": "forgetful", "password": "brand-new-passphrase-2"})
    assert "_auth_user_id" in client.session


def test_totp_enrolment_then_login_requires_a_code(client):
    user = make_user(username="careful")
    client.post(reverse("account_login"), {"login": "careful", "password": PASSWORD})
    # Turning on a second factor asks for the password again (allauth's reauthentication).
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    client.logout()
    response = client.post(reverse("account_login"), {"login": "careful", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].endswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session  # the password alone is not enough
    response = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_now(secret) != "000000" else "1"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_display_name_with_a_nul_byte_is_refused_and_nothing_changes():
    user = make_user(display_name="Aigerim")
    with pytest.raises(ValidationError):
        user_update_profile(user=user, display_name="Ai\x00gerim")
    user.refresh_from_db()
    assert user.display_name == "Aigerim"

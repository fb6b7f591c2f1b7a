"""allauth's rate limits hold for sign-up and password reset (login is in test_accounts.py)."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from lms.models import User
from lms.testing import make_site, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site():
    return make_site()


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "3/m/ip"})
def test_signups_from_one_address_are_limited(client):
    for n in range(3):
        client.post(
            reverse("account_signup"),
            {"username": f"bulk{n}", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"},
        )
        client.logout()
    response = client.post(
        reverse("account_signup"),
        {"username": "bulk-over", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"},
    )
    assert response.status_code == 429
    assert not User.objects.filter(username="bulk-over").exists()
    assert User.objects.filter(username__startswith="bulk").count() == 3


def test_password_reset_mails_to_one_address_are_limited(client):
    make_user(username="target", email="target@example.org")
    statuses = [
        client.post(reverse("account_reset_password"), {"email": "target@example.org"}).status_code for _ in range(7)
    ]
    # The default "5/m/key" allows five mails a minute for one address; the rest are refused.
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429, 429]
    assert len(mail.outbox) == 5

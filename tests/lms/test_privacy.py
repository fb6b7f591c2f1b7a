"""Download my data and Delete my account: the person's own data only, and nothing left afterwards."""

import json

import pytest
from django.urls import reverse

from lms import privacy
from lms.models import User
from lms.testing import PASSWORD, make_site, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site():
    return make_site()


def test_export_contains_my_data_and_nobody_elses(client):
    me = make_user(username="me", display_name="Night Owl", email="me@example.org", country="KZ")
    make_user(username="someone-else", display_name="Other Person", email="other@example.org")
    client.force_login(me)
    response = client.get(reverse("account_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["username"] == "me"
    assert data["account"]["display_name"] == "Night Owl"
    assert data["account"]["country"] == "KZ"
    assert data["account"]["roles"] == ["Learners"]
    body = response.content.decode()
    assert "someone-else" not in body and "other@example.org" not in body and "Other Person" not in body


def test_every_registered_app_contributes_to_the_export(client):
    me = make_user()
    client.force_login(me)
    data = json.loads(client.get(reverse("account_export")).content)
    assert {c.key for c in privacy.contributors()} <= set(data)


def test_export_needs_a_login(client):
    response = client.get(reverse("account_export"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_delete_with_the_wrong_password_changes_nothing(client):
    me = make_user(username="keeper")
    client.force_login(me)
    response = client.post(reverse("account_delete"), {"password": "not-my-password", "confirm": "on"})
    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    assert User.objects.filter(username="keeper").exists()


def test_delete_needs_the_confirmation_box(client):
    client.force_login(make_user(username="hesitant"))
    client.post(reverse("account_delete"), {"password": PASSWORD})
    assert User.objects.filter(username="hesitant").exists()


def test_delete_removes_the_account_and_it_can_no_longer_log_in(client):
    me = make_user(username="leaving", email="leaving@example.org")
    other = make_user(username="staying")
    client.force_login(me)
    response = client.post(reverse("account_delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(username="leaving").exists()
    assert User.objects.filter(pk=other.pk).exists()
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.filter(email="leaving@example.org").exists()
    assert client.get(reverse("dashboard")).status_code == 302  # logged out
    client.post(reverse("account_login"), {"login": "leaving", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_profile_update_saves_language_and_sets_the_language_cookie(client):
    me = make_user()
    client.force_login(me)
    response = client.post(
        reverse("account"),
        {"display_name": "Pseudo", "preferred_language": "ru", "time_zone": "Asia/Almaty", "country": "KZ"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/account/"
    assert response.cookies["django_language"].value == "ru"
    me.refresh_from_db()
    assert (me.display_name, me.preferred_language, me.time_zone, me.country) == ("Pseudo", "ru", "Asia/Almaty", "KZ")


def test_profile_update_refuses_an_unknown_time_zone_and_changes_nothing(client):
    me = make_user(display_name="Before")
    client.force_login(me)
    response = client.post(
        reverse("account"),
        {"display_name": "After", "preferred_language": "en", "time_zone": "Mars/Olympus", "country": ""},
    )
    assert response.status_code == 200
    me.refresh_from_db()
    assert (me.display_name, me.time_zone) == ("Before", "UTC")

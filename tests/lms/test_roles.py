"""Who may open the admins: learners never; trainers and certifiers only what their role allows;
in production, staff without TOTP are sent to set it up first."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse

from lms import roles
from lms.testing import make_site, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site():
    return make_site()


def test_every_new_account_is_a_learner():
    assert roles.has_role(make_user(), roles.LEARNERS)


def test_a_learner_cannot_open_the_admins(client):
    client.force_login(make_user())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")  # Wagtail: no admin access for this account
    assert client.get("/django-admin/").status_code == 302  # to the Django admin's login page
    assert client.get("/django-admin/filer/folder/").status_code == 302


def test_a_trainer_opens_the_admin_and_the_material_library_but_not_user_management(client):
    client.force_login(make_user(role=roles.TRAINERS))
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/filer/folder/").status_code == 200
    assert client.get("/admin/users/").status_code == 302  # Wagtail refuses and redirects to its dashboard
    assert client.get("/django-admin/lms/user/").status_code == 403


def test_a_certifier_opens_the_admin_but_not_the_material_library(client):
    client.force_login(make_user(role=roles.CERTIFIERS))
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/filer/folder/").status_code == 403
    assert client.get("/admin/users/").status_code == 302


@override_settings(LMS_REQUIRE_STAFF_MFA=True)
def test_in_production_staff_must_set_up_totp_before_using_the_admin(client):
    trainer = make_user(role=roles.TRAINERS)
    client.force_login(trainer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

    Authenticator.objects.create(user=trainer, type=Authenticator.Type.TOTP, data={"secret": "x"})
    # Set up, but this session was opened by a password alone: the code is asked once, then the admin opens
    # (tests/hardening/test_staff_mfa.py signs in for real).
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "type": "totp"}]
    session["account_authentication_methods_user"] = str(trainer.pk)
    session.save()
    assert client.get("/admin/").status_code == 200


@override_settings(LMS_REQUIRE_STAFF_MFA=True)
def test_the_two_factor_rule_does_not_touch_learner_pages(client):
    client.force_login(make_user(role=roles.TRAINERS))
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_admin_menu_links_trainers_to_the_material_library(client):
    client.force_login(make_user(role=roles.TRAINERS))
    assert "/django-admin/filer/folder/" in client.get("/admin/").content.decode()
    client.force_login(make_user(role=roles.CERTIFIERS))
    assert "/django-admin/filer/folder/" not in client.get("/admin/").content.decode()

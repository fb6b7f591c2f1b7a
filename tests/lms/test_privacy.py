"""Download my data and Delete my account: the person's own data only, and nothing left afterwards."""

import json

import pytest
from django.test import Client
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


# --- Every way a user row disappears erases the same data as "Delete my account" ----------------------------------


@pytest.fixture
def person_with_traces(settings, tmp_path):
    """A learner with an uploaded file, a named question in a room's log and a certificate with their name."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from certificates import services as certificate_services
    from certificates.signing import private_key_pem
    from courses import services as course_services
    from lms import roles
    from tests.certificates.conftest import make_level
    from tests.courses.factories import assignment_block, lessons_of, make_course, pdf_upload
    from tests.webinars.factories import make_webinar
    from webinars import services as webinar_services

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "issuer.pem").write_bytes(private_key_pem(Ed25519PrivateKey.generate()))
    settings.CERTIFICATES_SIGNING_KEY_FILE = str(tmp_path / "issuer.pem")
    person = make_user(username="traceable", display_name="Findable Name")
    trainer = make_user(role=roles.TRAINERS)
    course = make_course(lessons=2, assignment=assignment_block(), trainers=[trainer])
    lesson, _last = lessons_of(course)
    course_services.enrollment_create(user=person, course=course)
    submission = course_services.assignment_submit(
        user=person, lesson=lesson, assignment_key="assignment-1", text="My goal", upload=pdf_upload()
    )
    webinar = make_webinar(presenters=[trainer])
    webinar_services.registration_create(user=person, webinar=webinar)
    webinar_services.question_ask(user=person, webinar=webinar, text="Where is the clinic?")
    certificate = certificate_services.certificate_issue(
        actor=make_user(role=roles.CERTIFIERS), user=person, level=make_level(), outside_rules_reason="Given"
    )
    return person, submission.file.storage, submission.file.name, certificate


def _room_log_text() -> str:
    from webinars.models import RoomEvent

    return str(list(RoomEvent.objects.values_list("payload", "presenter_payload")))


def _delete_in_wagtail_admin(client, person):
    client.force_login(make_user(role="admin"))
    response = client.post(reverse("wagtailusers_users:delete", args=[person.pk]))
    assert response.status_code == 302


def _delete_in_django_admin(client, person):
    client.force_login(make_user(role="admin"))
    response = client.post(reverse("admin:lms_user_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 302


def _delete_with_a_queryset(client, person):
    assert User.objects.filter(username=person.username).delete()[0] >= 1


def _delete_my_account(client, person):
    client.force_login(person)
    response = client.post(reverse("account_delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "delete", [_delete_in_wagtail_admin, _delete_in_django_admin, _delete_with_a_queryset, _delete_my_account]
)
def test_every_way_of_deleting_a_user_erases_their_data(
    client, person_with_traces, delete, django_capture_on_commit_callbacks
):
    from webinars.models import Question

    person, storage, file_name, certificate = person_with_traces
    assert storage.exists(file_name)
    assert "Findable Name" in _room_log_text() and certificate.holder_name == "Findable Name"
    with django_capture_on_commit_callbacks(execute=True):
        delete(client, person)
    assert not User.objects.filter(username="traceable").exists()
    assert not storage.exists(file_name)
    assert "Findable Name" not in _room_log_text()
    assert Question.objects.get(text="Where is the clinic?").author is None
    certificate.refresh_from_db()
    assert certificate.holder_name == "" and certificate.holder_erased_at is not None
    page = Client().get(reverse("certificates:verify", args=[certificate.verification_code]))
    assert page.status_code == 200
    assert "Findable Name" not in page.content.decode() and "a deleted account" in page.content.decode()


def test_erasure_runs_once_per_deletion_and_again_harmlessly(person_with_traces):
    """The erase hooks are idempotent: running them before the row goes (as a script might) changes nothing."""
    person, _storage, _file_name, certificate = person_with_traces
    privacy.erase_personal_data(person)
    privacy.erase_personal_data(person)
    person.delete()
    certificate.refresh_from_db()
    assert certificate.holder_name == "" and not User.objects.filter(pk=person.pk).exists()


# --- Leaving: sign-out, deletion and quick exit make the browser forget the site ---------------------------------


def test_signing_out_tells_the_browser_to_clear_the_sites_caches_and_storage(client):
    client.force_login(make_user())
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_deleting_my_account_tells_the_browser_to_clear_the_sites_caches_and_storage(client):
    client.force_login(make_user())
    response = client.post(reverse("account_delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    # Not the cookies: the message confirming the deletion travels in one (checked in tests/browser).
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_a_wrong_password_on_deletion_clears_nothing(client):
    client.force_login(make_user())
    response = client.post(reverse("account_delete"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200 and "Clear-Site-Data" not in response


def test_quick_exit_signs_out_clears_everything_and_leaves_for_a_neutral_page(client):
    me = make_user(display_name="Findable Name")
    client.force_login(me)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'action="/start/"' in page and "Quick exit" in page  # on every page, signed in or not
    assert "Quick exit" in client.get("/privacy/").content.decode()
    # No CSRF token needed: a stale page must never keep someone from leaving (and the session cookie is
    # SameSite=Lax, so another site's form cannot sign anyone out with it).
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(me)
    response = csrf_client.post("/start/")
    assert response.status_code == 303 and response["Location"] == "/start/"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "_auth_user_id" not in csrf_client.session
    neutral = csrf_client.get("/start/")
    assert neutral.status_code == 200 and "Clear-Site-Data" not in neutral
    body = neutral.content.decode()
    assert "<title>New tab</title>" in body and "<body></body>" in body
    assert "Findable Name" not in body and "Community Learning" not in body and "<script" not in body
    assert neutral["Referrer-Policy"] == "no-referrer" and "no-store" in neutral["Cache-Control"]


def test_the_server_error_page_offers_quick_exit_too(rf):
    """The one page not built on base.html: a person who hits an error can still leave at once, without JavaScript."""
    from django.views.defaults import server_error

    page = server_error(rf.get("/dashboard/")).content.decode()
    assert 'action="/start/"' in page and "Quick exit" in page and "csrfmiddlewaretoken" not in page


def test_pages_carry_the_account_mark_the_service_worker_keeps_pages_under(client):
    assert client.get("/privacy/")["X-Account-Mark"] == ""
    one, two = make_user(), make_user()
    client.force_login(one)
    mark = client.get("/privacy/")["X-Account-Mark"]
    assert len(mark) == 24 and mark == client.get(reverse("account"))["X-Account-Mark"]
    client.force_login(two)
    assert client.get("/privacy/")["X-Account-Mark"] not in ("", mark)
    assert 'data-signed-in="1"' in client.get("/privacy/").content.decode()
    client.post(reverse("account_logout"))
    assert 'data-signed-in="0"' in client.get("/privacy/").content.decode()

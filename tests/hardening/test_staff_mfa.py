"""Staff two-factor: with LMS_REQUIRE_STAFF_MFA, every page that shows trainers, certifiers or superusers another
person's data asks for their second factor, whatever its URL.

The staff URLs are not listed by hand: they come from the permission matrix (which has a row for every URL the
URL conf serves, or its own test fails): every row where a learner is refused but a trainer, certifier or admin
gets 200 is a staff page. A new staff view therefore gets a matrix row, and with it this test, which fails until
the view carries `lms.decorators.staff_view` (or lives under an admin prefix covered by the middleware). Views
that serve both the person concerned and staff (an author's own file, a holder's own certificate, the live room)
are listed in MIXED below with who is who.
"""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from certificates import services as certificate_services
from lms.testing import PASSWORD, make_user
from tests.certificates.conftest import make_level
from tests.hardening.test_permission_matrix import MATRIX, PAGES_AND_ADMIN, World, served_url_names
from tests.webinars.conftest import room_hub_cleanup  # noqa: F401 (a fixture, for the socket test)

pytestmark = pytest.mark.django_db

STAFF = ("trainer", "trainer2", "certifier", "admin")
SET_UP = "/accounts/2fa/totp/activate/"
CONFIRM = "/accounts/2fa/reauthenticate/"


def staff_rows() -> dict:
    """name -> (path builder, the staff roles that get 200): learners refused, some staff role let in."""
    rows = {}
    for name, (build, expected) in {**MATRIX, **PAGES_AND_ADMIN}.items():
        learners_refused = expected["learner"] != 200 and expected["other"] != 200
        admitted = tuple(role for role in STAFF if expected[role] == 200)
        if learners_refused and admitted:
            rows[name] = (build, admitted)
    return rows


# Views open to the person concerned and to staff: (name, path builder, who it concerns, the staff who read it).
MIXED = {
    "courses:submission_file": (
        lambda w: reverse("courses:submission_file", args=[w.submission.pk]),
        "learner",
        ("trainer", "admin"),
    ),
    "certificates:pdf": (lambda w: reverse("certificates:pdf", args=[w.certificate.serial]), "learner", ("certifier",)),
    "certificates:credential": (
        lambda w: reverse("certificates:credential", args=[w.certificate.serial]),
        "learner",
        ("certifier",),
    ),
    "practice:record": (
        lambda w: reverse("practice:record", args=["cases", w.case.pk]),
        "learner",
        ("trainer", "admin"),
    ),
    "practice:attachment": (
        lambda w: reverse("practice:attachment", args=[w.attachment.pk]),
        "learner",
        ("trainer", "admin"),
    ),
    # The presenter's console shows the questions waiting for approval, with their authors.
    "webinars:room": (lambda w: reverse("webinars:room", args=[w.webinar.pk]), "learner", ("trainer", "admin")),
}


@pytest.fixture
def staff_mfa(settings):
    settings.LMS_REQUIRE_STAFF_MFA = True


@pytest.fixture
def world(signing_key, staff_mfa):
    return World()


def add_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def confirmed_session(user) -> dict:
    """What allauth records in the session once the code was typed at sign-in."""
    return {
        "account_authentication_methods": [
            {"method": "password", "at": time.time()},
            {"method": "mfa", "at": time.time(), "type": "totp"},
        ],
        "account_authentication_methods_user": str(user.pk),
    }


def confirmed_client(user) -> Client:
    """Signed in with a second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session.update(confirmed_session(user))
    session.save()
    return client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_staff_urls_come_from_the_url_conf():
    assert served_url_names() <= set(MATRIX), "test_permission_matrix lists every served URL"
    rows = staff_rows()
    for name in (
        "courses:trainer_courses",
        "courses:course_report",
        "courses:course_report_csv",
        "courses:review_queue",
        "courses:review",
        "webinars:attendance",
        "webinars:transcript_md",
        "webinars:transcript_csv",
        "wagtail admin",
        "wagtail admin: certification queue",
        "wagtail admin: certificates",
        "wagtail admin: audit log",
        "wagtail admin: certificates CSV",
        "wagtail admin: audit log CSV",
        "django admin",
    ):
        assert name in rows
    assert not set(rows) & set(MIXED)


def test_staff_without_totp_are_sent_to_set_it_up_on_every_staff_page(world):
    clients = {role: signed_in(world.users[role]) for role in STAFF}
    wrong = []
    for name, (build, admitted) in {**staff_rows(), **{n: (b, s) for n, (b, _o, s) in MIXED.items()}}.items():
        path = build(world)
        for role in admitted:
            response = clients[role].get(path)
            if response.status_code != 302 or not response["Location"].startswith(SET_UP):
                wrong.append(f"{name} {path} as {role}: {response.status_code} {response.get('Location', '')}")
    assert not wrong, "\n".join(wrong)


def test_staff_with_totp_used_in_this_session_get_every_staff_page(world):
    clients = {}
    for role in STAFF:
        add_totp(world.users[role])
        clients[role] = confirmed_client(world.users[role])
    wrong = []
    for name, (build, admitted) in {**staff_rows(), **{n: (b, s) for n, (b, _o, s) in MIXED.items()}}.items():
        path = build(world)
        for role in admitted:
            status = clients[role].get(path).status_code
            if status != 200:
                wrong.append(f"{name} {path} as {role}: {status}")
    assert not wrong, "\n".join(wrong)


def test_staff_with_totp_who_signed_in_by_password_only_confirm_it_first(world):
    """A password-only sign-in (Wagtail's or Django's admin login form skips allauth's second step) opens nothing."""
    trainer = world.users["trainer"]
    secret = add_totp(trainer)
    client = Client()
    response = client.post(reverse("wagtailadmin_login"), {"username": trainer.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    report = reverse("courses:course_report", args=[world.course.pk])
    for path in (report, "/admin/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(CONFIRM), path
    response = client.post(f"{CONFIRM}?next={report}", {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == report
    assert client.get(report).status_code == 200


def test_allauth_asks_staff_with_totp_for_the_code_at_sign_in(world):
    certifier = world.users["certifier"]
    secret = add_totp(certifier)
    client = Client()
    response = client.post(reverse("account_login"), {"login": certifier.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the code
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get("/admin/certification/").status_code == 200
    assert client.get(reverse("certificates:pdf", args=[world.certificate.serial])).status_code == 200


def test_what_staff_without_totp_may_still_do(world):
    """Their own learner pages and data, their account, setting up the second factor, signing out."""
    certifier = world.users["certifier"]
    own = certificate_services.certificate_issue(
        actor=world.users["admin"], user=certifier, level=make_level(), outside_rules_reason="Own"
    )
    client = signed_in(certifier)
    for path in (
        reverse("dashboard"),
        reverse("account"),
        reverse("account_export"),
        reverse("account_delete"),
        reverse("certificates:progress"),
        reverse("certificates:pdf", args=[own.serial]),
        reverse("webinars:calendar"),
        reverse("mfa_index"),
        world.course.url,
    ):
        assert client.get(path).status_code == 200, path
    response = client.get(SET_UP)
    assert response.status_code in (200, 302) and not response.get("Location", "").startswith(SET_UP)
    assert client.post("/admin/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
    client = signed_in(certifier)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_learners_own_data_needs_no_second_factor(world):
    """The person a mixed view concerns is not staff there: the learner's own file and certificate open."""
    learner = signed_in(world.users["learner"])
    for name, (build, owner, _staff) in MIXED.items():
        assert owner == "learner"
        assert learner.get(build(world)).status_code == 200, name


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_wagtails_editors_and_moderators_need_the_second_factor_for_the_admin(world, group):
    """They publish pages every reader sees: the admin asks them for it as it asks trainers."""
    editor = make_user(username=f"{group.lower()}-member")
    editor.groups.add(Group.objects.get(name=group))
    client = signed_in(editor)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith(SET_UP)
    add_totp(editor)
    response = signed_in(editor).get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith(CONFIRM)
    assert confirmed_client(editor).get("/admin/pages/").status_code == 200


def test_without_the_setting_nothing_changes(world, settings):
    settings.LMS_REQUIRE_STAFF_MFA = False
    client = signed_in(world.users["trainer"])
    assert client.get(reverse("courses:course_report", args=[world.course.pk])).status_code == 200
    assert not Authenticator.objects.exists()


# The live room's socket is another path to the presenter's view: it asks the same rule.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("room_hub_cleanup", "staff_mfa")
async def test_the_rooms_socket_gives_the_presenters_view_only_with_the_second_factor():
    from channels.testing import WebsocketCommunicator

    from tests.webinars.factories import make_trainer, make_webinar
    from tests.webinars.room import APP, db, next_frame

    async def connect(user, session=None):
        communicator = WebsocketCommunicator(APP, f"/ws/webinars/{webinar.pk}/")
        communicator.scope["user"] = user
        if session is not None:
            communicator.scope["session"] = session
        connected, code = await communicator.connect(timeout=5)
        return communicator, connected, code

    trainer = await db(make_trainer)
    webinar = await db(make_webinar, presenters=[trainer])
    _, connected, code = await connect(trainer)
    assert not connected and code == 4403  # no TOTP: refused, not let in as a presenter
    await db(add_totp, trainer)
    _, connected, code = await connect(trainer)
    assert not connected and code == 4403  # TOTP set up but not used in this session
    communicator, connected, _code = await connect(trainer, confirmed_session(trainer))
    assert connected
    assert (await next_frame(communicator))["role"] == "presenter"
    await communicator.disconnect()

"""Security headers on every page type: a strict CSP without inline script, framing refused,
no referrer leak, powerful features off, no MIME sniffing, an isolated browsing context."""

import pytest

from lms.testing import make_site, make_user

pytestmark = pytest.mark.django_db

# One path for each kind of page the core serves; apps add theirs in their own tests of this file's helper.
CORE_PAGES = ["/", "/ru/", "/privacy/", "/accounts/login/", "/accounts/signup/", "/offline/", "/no-such-page/"]
LOGGED_IN_PAGES = ["/dashboard/", "/account/", "/account/delete/", "/account/export/", "/accounts/2fa/"]


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.strip().split()
        directives[name] = values
    return directives


def assert_strict_headers(response) -> None:
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"], "no inline or eval script on public pages"
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]


@pytest.fixture(autouse=True)
def site():
    return make_site()


@pytest.mark.parametrize("path", CORE_PAGES)
def test_public_pages_carry_strict_headers(client, path):
    assert_strict_headers(client.get(path))


@pytest.mark.parametrize("path", LOGGED_IN_PAGES)
def test_account_pages_carry_strict_headers(client, path):
    client.force_login(make_user())
    response = client.get(path)
    assert response.status_code in (200, 302)
    assert_strict_headers(response)


def test_the_admin_gets_its_narrower_exception_only_under_its_own_path(client):
    client.force_login(make_user(role="admin"))
    csp = parse_csp(client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]


def test_every_app_page_type_carries_strict_headers(client, signing_key):
    """Catalogue, course, lesson, webinar index and page, room, transcript, progression, verification, report."""
    from certificates import services as certificate_services
    from courses import services as course_services
    from lms import roles
    from tests.certificates.conftest import make_level
    from tests.courses.factories import lessons_of, make_course
    from tests.webinars.factories import make_webinar

    trainer, learner = make_user(role=roles.TRAINERS), make_user()
    course = make_course(lessons=1, trainers=[trainer])
    course_services.enrollment_create(user=learner, course=course)
    webinar = make_webinar(presenters=[trainer])
    certificate = certificate_services.certificate_issue(
        actor=make_user(role=roles.CERTIFIERS), user=learner, level=make_level(), outside_rules_reason="Headers"
    )
    learner_pages = [
        course.get_parent().url,
        course.url,
        lessons_of(course)[0].url,
        webinar.get_parent().url,
        webinar.url,
        f"/webinars/{webinar.pk}/room/",
        "/certificates/",
        f"/verify/{certificate.verification_code}/",
        "/verify/",
    ]
    client.force_login(learner)
    for path in learner_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_headers(response)
    client.force_login(trainer)
    for path in (f"/trainer/courses/{course.pk}/", f"/webinars/{webinar.pk}/attendance/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_headers(response)

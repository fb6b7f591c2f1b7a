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

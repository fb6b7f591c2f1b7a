"""HTTP through lms.asgi.application, as the ASGI server sends it: the middleware stack (sessions, authentication,
CSRF, security headers) runs synchronously in one thread per request (lms/http.py) and still does its work."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import HttpCommunicator

from lms.asgi import application
from lms.testing import make_user
from tests.webinars.live import session_cookie

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def request(path: str, *, method: str = "GET", cookie: str = "", body: bytes = b"") -> dict:
    headers = [(b"host", b"localhost"), (b"cookie", cookie.encode())]
    if body:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    response = await HttpCommunicator(application, method, path, body=body, headers=headers).get_response(timeout=10)
    response["headers"] = {name.decode().lower(): value.decode() for name, value in response["headers"]}
    return response


@database_sync_to_async
def signed_in(**fields) -> str:
    return session_cookie(make_user(**fields))


async def test_a_signed_in_page_comes_back_with_the_persons_data_and_the_security_headers():
    cookie = await signed_in(display_name="Aigerim Seitkali")
    response = await request("/dashboard/", cookie=cookie)
    assert response["status"] == 200
    assert "Aigerim Seitkali" in response["body"].decode()
    assert "default-src 'self'" in response["headers"]["content-security-policy"]
    assert response["headers"]["x-content-type-options"] == "nosniff"

    anonymous = await request("/dashboard/")
    assert anonymous["status"] == 302
    assert anonymous["headers"]["location"].startswith("/accounts/login/")


async def test_a_post_without_its_csrf_token_is_refused_and_signs_no_one_out():
    cookie = await signed_in(display_name="Bolat")
    refused = await request("/accounts/logout/", method="POST", cookie=cookie, body=b"next=/")
    assert refused["status"] == 403
    still = await request("/dashboard/", cookie=cookie)
    assert still["status"] == 200
    assert "Bolat" in still["body"].decode()


async def test_concurrent_requests_each_get_their_own_session():
    names = [f"Person-{n:02d}" for n in range(12)]
    cookies = [await signed_in(display_name=name) for name in names]
    responses = await asyncio.gather(*(request("/dashboard/", cookie=cookie) for cookie in cookies))
    for name, response in zip(names, responses, strict=True):
        assert response["status"] == 200
        shown = {other for other in names if other in response["body"].decode()}
        assert shown == {name}

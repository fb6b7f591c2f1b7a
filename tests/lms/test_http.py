"""HTTP through lms.asgi.application, as the ASGI server sends it: the middleware stack (sessions, authentication,
CSRF, security headers) runs synchronously in one thread per request (lms/http.py) and still does its work."""

import asyncio
import threading

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.core import signals
from django.urls import reverse

from lms.asgi import application
from lms.testing import make_user
from tests.webinars.live import session_cookie

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def request(path: str, *, method: str = "GET", cookie: str = "", body: bytes = b"") -> dict:
    """One request through the ASGI app, as a server would send it; the response's status, headers and body."""
    headers = [(b"host", b"localhost"), (b"cookie", cookie.encode())]
    if body:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    scope = {"type": "http", "http_version": "1.1", "method": method, "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": headers}  # fmt: skip
    app = ApplicationCommunicator(application, scope)
    await app.send_input({"type": "http.request", "body": body})
    start = await app.receive_output(timeout=10)
    response = {"status": start["status"], "body": b""}
    response["headers"] = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    while True:
        message = await app.receive_output(timeout=10)
        response["body"] += message.get("body", b"")  # the ASGI spec makes the body key optional
        if not message.get("more_body"):
            await app.wait(timeout=10)  # the app closes the response after its last message, as under a server
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


# Django warns that it reads a FileResponse's file through a thread under ASGI; that is the path under test.
@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")
async def test_a_private_file_is_streamed_in_full_to_its_owner_and_to_no_one_else(settings, tmp_path):
    from courses import services
    from courses.models import AssignmentSubmission
    from tests.courses.factories import assignment_block, lessons_of, make_course, pdf_upload

    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4\n" + b"my advocacy goal, page after page\n" * 20_000  # several ASGI body chunks

    @database_sync_to_async
    def submit():
        learner = make_user()
        course = make_course(lessons=1, assignment=assignment_block())
        services.enrollment_create(user=learner, course=course)
        services.assignment_submit(
            user=learner,
            lesson=lessons_of(course)[0],
            assignment_key="assignment-1",
            text="My goal",
            upload=pdf_upload("goal.pdf", content),
        )
        return session_cookie(learner), AssignmentSubmission.objects.get().pk

    owner, pk = await submit()
    url = reverse("courses:submission_file", args=[pk])
    download = await request(url, cookie=owner)
    assert download["status"] == 200
    assert download["headers"]["content-disposition"].startswith("attachment")
    assert download["body"] == content

    stranger = await request(url, cookie=await signed_in())
    assert stranger["status"] == 404


async def test_requests_one_after_another_reuse_one_thread_and_each_sees_only_its_own_session():
    """Threads are kept between requests (Django would start one per request), without carrying anything over:
    the database connection goes back after each request, and a signed-in request leaves nothing to the next."""
    threads = set()

    def note_thread(**kwargs):
        threads.add(threading.current_thread().name)  # names are never reused, unlike thread ids

    cookie = await signed_in(display_name="Dana Omarova")
    signals.request_started.connect(note_thread)
    try:
        for n in range(20):
            response = await request("/dashboard/", cookie=cookie if n % 2 == 0 else "")
            assert response["status"] == (200 if n % 2 == 0 else 302)
            assert ("Dana Omarova" in response["body"].decode()) == (n % 2 == 0)
    finally:
        signals.request_started.disconnect(note_thread)
    assert len(threads) == 1


def healthz(query: str = "") -> dict:
    return {"type": "http", "http_version": "1.1", "method": "GET", "path": "/healthz/", "raw_path": b"/healthz/",
            "query_string": query.encode(), "headers": [(b"host", b"localhost")]}  # fmt: skip


async def served(handler, scope) -> int:
    """One request through `handler`; the response's status."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    await handler(scope, receive, send)
    return sent[0]["status"]


async def test_a_request_that_fails_in_the_server_leaves_its_lane_to_the_next_one():
    """If sending the response fails (the connection broke), the lane is free again: the next request is
    answered, in the same thread."""
    from lms.http import SyncStackASGIHandler

    handler = SyncStackASGIHandler()
    threads = []

    def note_thread(**kwargs):
        threads.append(threading.current_thread().name)

    async def receive():
        return {"type": "http.request", "body": b""}

    async def broken_send(message):
        raise OSError("connection reset by peer")

    signals.request_started.connect(note_thread)
    try:
        with pytest.raises(OSError):
            await handler(healthz(), receive, broken_send)
        assert await asyncio.wait_for(served(handler, healthz()), 5) == 200
    finally:
        signals.request_started.disconnect(note_thread)
    assert threads[0] == threads[1]
    assert [lane.requests for lane in handler.lanes] == [0]


@pytest.mark.parametrize("at_once", [1, 3])
async def test_a_process_runs_at_most_the_configured_number_of_requests_at_once(settings, at_once):
    """Requests beyond LMS_HTTP_REQUESTS_AT_ONCE wait their turn in a lane instead of taking turns at the
    interpreter lock; every one of them is still answered, and one lane answers in order of arrival."""
    from lms.http import SyncStackASGIHandler

    settings.LMS_HTTP_REQUESTS_AT_ONCE = at_once
    handler = SyncStackASGIHandler()
    running, most, order = 0, 0, []
    lock = threading.Lock()

    def started(scope, **kwargs):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            order.append(scope["query_string"].decode())
        threading.Event().wait(0.02)  # a request with some work in it

    def finished(**kwargs):
        nonlocal running
        with lock:
            running -= 1

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        statuses = await asyncio.gather(*(served(handler, healthz(str(n))) for n in range(8)))
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert statuses == [200] * 8
    assert most == at_once
    if at_once == 1:
        assert order == [str(n) for n in range(8)]


async def test_a_slow_request_holds_up_its_own_lane_only(settings):
    """With two lanes, requests that come while one lane is busy with a slow page go to the other one."""
    from lms.http import SyncStackASGIHandler

    settings.LMS_HTTP_REQUESTS_AT_ONCE = 2
    handler = SyncStackASGIHandler()
    slow_started, slow_may_end = threading.Event(), threading.Event()

    def started(scope, **kwargs):
        if scope["query_string"] == b"slow":
            slow_started.set()
            slow_may_end.wait(10)

    signals.request_started.connect(started)
    try:
        slow = asyncio.create_task(served(handler, healthz("slow")))
        await asyncio.to_thread(slow_started.wait, 5)
        fast = [await asyncio.wait_for(served(handler, healthz()), 5) for _ in range(3)]
        assert not slow.done()
        slow_may_end.set()
        assert await asyncio.wait_for(slow, 5) == 200
    finally:
        slow_may_end.set()
        signals.request_started.disconnect(started)
    assert fast == [200] * 3

"""Limits and robustness of the room's socket found by the security review after issue 18: reconnecting is
counted (a replay on connect counts as a resync; connects per minute are limited), a `client_id` that is not
short printable text is refused and never echoed, and an attendance interval is forgotten only once closed."""

import asyncio
import json

import pytest
from django.db import OperationalError

from lms.testing import make_user
from webinars import services
from webinars.hub import get_hub
from webinars.models import Attendance

from .factories import make_trainer, make_webinar
from .room import db, frames_until_quiet, join, next_frame, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("room_hub_cleanup"),
]


def _intervals(user) -> tuple[int, int]:
    rows = Attendance.objects.filter(user=user)
    return rows.count(), rows.filter(disconnected_at__isnull=True).count()


async def _close_code(communicator) -> int:
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return output["code"]


async def _within_one_minute() -> None:
    """The counters are per clock minute: start early in one, so that the test's connects all fall in it."""
    from django.utils import timezone

    second = timezone.now().second
    if second > 45:
        await asyncio.sleep(61 - second)


async def test_reconnecting_with_after_seq_counts_as_a_resync_and_connects_are_limited(monkeypatch):
    """25 reconnects with `?after_seq=0` used to replay the whole log 25 times (1,035 events for 40 questions),
    each opening an interval and an attendees event for everyone; none was refused."""
    await _within_one_minute()
    monkeypatch.setattr(services, "RESYNCS_PER_MINUTE", 3)
    monkeypatch.setattr(services, "CONNECTS_PER_MINUTE", 6)
    webinar = await db(make_webinar, presenters=[await db(make_trainer)])
    for n in range(4):
        await db(services.question_ask, user=await db(make_user), webinar=webinar, text=f"q{n}")
    user = await db(make_user)
    first = []
    for _ in range(6):
        communicator, connected, _, _ = await join(webinar, user, query="?after_seq=0", expect_snapshot=False)
        assert connected
        frames = [f for f in await frames_until_quiet(communicator, timeout=0.3) if f["type"] != "event"]
        first.append(frames[0]["type"])
        await communicator.disconnect()
    # Within the resync limit the missed events; past it a snapshot (what a reconnect without a seq gets).
    assert first == ["resynced"] * 3 + ["snapshot"] * 3
    assert await db(_intervals, user) == (6, 0)
    # Past the connect limit: closed with 4429 before anything is read, no interval opened.
    refused, connected, _, _ = await join(webinar, user, query="?after_seq=0", expect_snapshot=False)
    assert connected and await _close_code(refused) == 4429
    refused, connected, _, _ = await join(webinar, user, expect_snapshot=False)
    assert connected and await _close_code(refused) == 4429
    assert await db(_intervals, user) == (6, 0)
    # Someone else is not affected.
    other, connected, _, snapshot = await join(webinar, await db(make_user))
    assert connected and len(snapshot["questions"]) == 4
    await other.disconnect()


@pytest.mark.parametrize(
    "raw",
    [
        '{"type": "ping", "client_id": "\\ud800"}',
        '{"type": "question.ask", "client_id": "\\ud800", "text": "hello"}',
        '{"type": "ping", "client_id": "a\\u0000b"}',
        '{"type": "ping", "client_id": "line\\nbreak"}',
        '{"type": "ping", "client_id": 5}',
        '{"type": "ping", "client_id": ""}',
        '{"type": "ping", "client_id": "' + "x" * 65 + '"}',
    ],
)
async def test_a_client_id_that_is_not_short_printable_text_is_refused_and_not_echoed(raw):
    """A lone surrogate was echoed in the error frame: a real server cannot encode it as UTF-8 and would close the
    socket with 1011."""
    webinar = await db(make_webinar)
    user = await db(make_user)
    communicator, *_ = await join(webinar, user)
    await communicator.send_to(text_data=raw)
    reply = await next_frame(communicator)
    assert reply["type"] == "error" and reply["code"] == "invalid" and "client_id" not in reply
    json.dumps(reply, ensure_ascii=False).encode("utf-8")  # what the server sends can be sent
    assert await db(lambda: webinar.questions.count()) == 0
    assert (await send(communicator, {"type": "ping", "client_id": "ok-1"})) == {"type": "pong", "client_id": "ok-1"}
    await communicator.disconnect()


async def test_an_interval_whose_close_fails_is_retried_not_forgotten(monkeypatch):
    """`_leave` forgot the interval before closing it: a database error at disconnect left it open (minutes kept
    counting toward a certificate, a slot of the connection limit taken) for as long as the worker lived."""
    webinar = await db(make_webinar)
    user = await db(make_user)
    real_close = services.attendance_close
    failures = {"left": 1}

    def flaky_close(**kwargs):
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_close(**kwargs)

    monkeypatch.setattr(services, "attendance_close", flaky_close)
    # One failure: the second attempt closes it at once.
    communicator, *_ = await join(webinar, user)
    await communicator.disconnect()
    assert await db(_intervals, user) == (1, 0)
    # The database away for longer: the hub keeps the interval and closes it once the database is back.
    failures["left"] = 3
    communicator, *_ = await join(webinar, user)
    await communicator.disconnect()
    assert await db(_intervals, user) == (2, 1)
    for _ in range(50):
        await asyncio.sleep(0.1)
        if await db(_intervals, user) == (2, 0):
            break
    assert await db(_intervals, user) == (2, 0)
    assert (await get_hub()).unclosed == {}

"""Random frames thrown at the live room: every reply to a bad frame is an error, the database is unchanged
after an error, and the socket stays open and answers afterwards."""

import asyncio
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.testing import make_user

from .factories import make_trainer, make_webinar
from .room import db, join, next_frame, row_counts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TYPES = ["question.ask", "question.vote", "question.moderate", "poll.open", "poll.close", "poll.vote", "resync",
         "ping", "snapshot", "", "QUESTION.ASK", "event"]  # fmt: skip
FIELDS = ["text", "anonymous", "client_id", "question_id", "action", "answer", "question", "choices", "poll_id",
          "choice_id", "after_seq", "results_hidden"]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)  # fmt: skip
protocol_frames = st.fixed_dictionaries(
    {"type": st.sampled_from(TYPES)}, optional={name: json_values for name in FIELDS}
).map(json.dumps)
raw_frames = st.one_of(
    protocol_frames,
    json_values.map(json.dumps),
    st.text(max_size=200),
    st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
    st.integers(min_value=16 * 1024 - 16, max_value=20 * 1024).map(lambda n: '{"type":"ping","pad":"' + "x" * n + '"}'),
    # Nested deeper than the JSON parser goes (RecursionError), inside the frame limit.
    st.integers(min_value=900, max_value=6000).map(
        lambda n: '{"type":"poll.open","choices":' + "[" * n + "]" * n + "}"
    ),
)


@pytest.fixture
def room():
    trainer = make_trainer()
    return make_webinar(presenters=[trainer])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frames=st.lists(raw_frames, min_size=1, max_size=8))
def test_random_frames_never_break_the_room(room, frames):
    asyncio.run(_throw(room, frames))


async def _throw(room, frames):
    from webinars import hub

    webinar = room
    learner = await db(make_user)  # one person per example: connects per minute are limited per person
    communicator, connected, _, _ = await join(webinar, learner)
    assert connected
    try:
        for number, raw in enumerate(frames):
            before = await db(row_counts)
            await communicator.send_input({"type": "websocket.receive", "text": raw})  # also the empty frame
            marker = f"fuzz-{number}"
            await communicator.send_to(text_data=json.dumps({"type": "ping", "client_id": marker}))
            replies = []
            while True:
                frame = await next_frame(communicator, timeout=10)
                if frame.get("type") == "pong" and frame.get("client_id") == marker:
                    break
                replies.append(frame)
            errors = [r for r in replies if r.get("type") == "error"]
            for error in errors:
                assert error["code"] in {"invalid", "forbidden", "rate_limited", "too_long", "not_found"}
                assert isinstance(error["message"], str) and error["message"]
            if errors:
                assert await db(row_counts) == before, (raw[:200], errors)
    finally:
        await communicator.disconnect()
        running = hub._hubs.get(asyncio.get_running_loop())
        if running is not None:
            await running.stop()

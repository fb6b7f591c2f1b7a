"""Helpers for the live-room tests: a communicator per person, and readers that skip attendee-count events
(those arrive on their own schedule) unless asked for."""

import json

from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from webinars.routing import websocket_urlpatterns

APP = URLRouter(websocket_urlpatterns)


async def join(webinar, user, *, app=APP, query="", headers=None, expect_snapshot=True):
    communicator = WebsocketCommunicator(app, f"/ws/webinars/{webinar.pk}/{query}", headers=headers or [])
    if user is not None:
        communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=5)
    snapshot = None
    if connected and expect_snapshot:
        snapshot = await next_frame(communicator)
        assert snapshot["type"] == "snapshot", snapshot
    return communicator, connected, code, snapshot


async def next_frame(communicator, *, timeout=5, attendees=False) -> dict:
    while True:
        frame = json.loads(await communicator.receive_from(timeout=timeout))
        if not attendees and frame.get("type") == "event" and frame.get("name") in ("attendees", "noop"):
            continue
        return frame


async def send(communicator, frame) -> dict:
    await communicator.send_to(text_data=json.dumps(frame))
    return await next_frame(communicator)


async def frames_until_quiet(communicator, *, timeout=0.5) -> list[dict]:
    """Everything the socket receives until it has been quiet for `timeout` seconds."""
    frames = []
    while not await communicator.receive_nothing(timeout=timeout):
        frames.append(json.loads(await communicator.receive_from()))
    return frames


@database_sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


def row_counts() -> dict[str, int]:
    """The rows a frame could store. The head count's "attendees" events are left out: the hub writes them on its
    own timer as people come and go, not in answer to any frame (a fuzz example's join could land one mid-frame)."""
    from webinars.models import Poll, PollChoice, PollVote, Question, RoomEvent, Vote

    counts = {m.__name__: m.objects.count() for m in (Question, Vote, Poll, PollChoice, PollVote)}
    counts["RoomEvent"] = RoomEvent.objects.exclude(name="attendees").count()
    return counts

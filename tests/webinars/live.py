"""A protocol client for tests against real servers: keeps the room's seq, records every event in order,
and reconnects with `?after_seq=` the way the browser client does."""

import asyncio
import contextlib
import json

from websockets.asyncio.client import connect


def session_cookie(user) -> str:
    """A logged-in session for `user`, stored in the database the servers share."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


class RoomClient:
    def __init__(self, base_ws_url: str, webinar_id: int, cookie: str, *, name: str = ""):
        self.url = f"{base_ws_url}/ws/webinars/{webinar_id}/"
        self.origin = base_ws_url.replace("ws://", "http://")
        self.cookie = cookie
        self.name = name
        self.seq: int | None = None
        self.events: list[dict] = []  # every event applied, in the order applied
        self.acks: list[dict] = []
        self.errors: list[dict] = []
        self.snapshots = 0
        self.socket = None
        self._reader: asyncio.Task | None = None
        self.changed = asyncio.Event()

    async def open(self, base_ws_url: str | None = None) -> None:
        if base_ws_url:
            self.url = base_ws_url + self.url[self.url.index("/ws/") :]
        url = self.url + (f"?after_seq={self.seq}" if self.seq is not None else "")
        self.socket = await connect(
            url, origin=self.origin, additional_headers={"Cookie": self.cookie}, open_timeout=20, max_size=2**22
        )
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def _read(self) -> None:
        try:
            await self._read_frames()
        finally:
            self.changed.set()

    async def _read_frames(self) -> None:
        async for raw in self.socket:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "snapshot":
                self.snapshots += 1
                self.seq = frame["seq"]
                self.snapshot = frame
            elif kind == "event":
                if frame["seq"] <= self.seq:
                    continue
                if frame["seq"] != self.seq + 1:
                    raise AssertionError(f"{self.name}: gap, got {frame['seq']} after {self.seq}")
                self.seq = frame["seq"]
                self.events.append(frame)
            elif kind == "ack":
                self.acks.append(frame)
            elif kind == "error":
                self.errors.append(frame)
            self.changed.set()

    async def send(self, frame: dict) -> None:
        await self.socket.send(json.dumps(frame))

    def question_texts(self) -> list[str]:
        return [e["data"]["text"] for e in self.events if e["name"] == "question.created"]

    async def wait_for(self, predicate, *, timeout: float = 20) -> None:
        async def loop():
            while not predicate(self):
                self.changed.clear()
                if self._reader.done():
                    self._reader.result()  # raise what stopped the reader
                    raise AssertionError(f"{self.name}: connection closed")
                await self.changed.wait()

        await asyncio.wait_for(loop(), timeout)

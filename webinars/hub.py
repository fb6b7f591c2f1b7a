"""The per-process fan-out of the live room.

A naive room puts every attendee's consumer in a channel-layer group: one layer message, one decode and one
JSON encode per attendee per event. Here each server process has one hub. The hub, not each consumer, joins
the room's group, so an event costs one layer message per *process*; it is encoded once per audience
(attendees, presenters) by the process that wrote it and written to the local sockets as is.

The hub also keeps each room's stream gap-free: it tracks the last seq it delivered, fetches missing events from
the RoomEvent log when a message arrives out of order or was lost, and polls the log every few seconds, so the
channel layer is only a fast signal and the database is the truth. It records the process as a RoomWorker
(heartbeat, crashed workers' intervals closed) and broadcasts attendee counts, debounced.

Which frame a socket gets is its consumer's `presenter` flag, read at each event. The flag is decided at connect and
asked again on fresh data while the socket lives: every WEBINARS_ROLE_CHECK_SECONDS the hub reads which of its
sockets' people are still active (one query per process) and has every presenter socket, and every socket of a
person no longer active, ask the rule again (`RoomConsumer.recheck`).
"""

import asyncio
import contextlib
import contextvars
import json
import logging
import os
import socket
import uuid
import weakref

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from . import selectors, services

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0
CATCH_UP_EVERY = int(os.environ.get("WEBINARS_CATCH_UP_SECONDS", "3"))  # ticks (seconds) between polls of the log
HEARTBEAT_EVERY = 30  # ticks between worker heartbeats (and sweeps of crashed workers' intervals)
LAYER_RETRY_MAX = 10.0


def role_check_every() -> int:
    """Ticks (seconds) between two re-checks of the sockets' roles (WEBINARS_ROLE_CHECK_SECONDS, default 30)."""
    return max(1, int(getattr(settings, "WEBINARS_ROLE_CHECK_SECONDS", 30)))


def group_name(webinar_id: int) -> str:
    return f"webinars.room.{webinar_id}"


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def event_texts(event) -> tuple[str, str | None, list | None]:
    """The attendee frame and, when different, the presenter frame of an event, encoded once each, and, when it
    differs from the attendee frame, `[author id, frame]` for the author of the event's question (their own
    waiting question dismissed: taken back for them alone). All come from `selectors.event_frame`, which holds
    what attendees may see (a dismissed question is never in theirs)."""
    public = selectors.event_frame(event, presenter=False)
    presenter = selectors.event_frame(event, presenter=True)
    asker_id = selectors.event_asker_id(event)
    asker = None
    if asker_id is not None:
        own = selectors.event_frame(event, presenter=False, user_id=asker_id)
        asker = [asker_id, encode(own)] if own != public else None
    return encode(public), (encode(presenter) if presenter != public else None), asker


class RoomHub:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.layer = get_channel_layer()
        self.channel_name: str | None = None
        self.sockets: dict[int, set] = {}
        self.last_seq: dict[int, int] = {}
        self.locks: dict[int, asyncio.Lock] = {}
        self.dirty_attendees: set[int] = set()
        self.unclosed: dict[int, int] = {}  # attendance id -> room: intervals a consumer failed to close
        self.worker = None
        self.tasks: list[asyncio.Task] = []
        self.started = False
        self._start_lock = asyncio.Lock()
        self._layer_ok = True

    # -- lifecycle -----------------------------------------------------------------------------------------
    async def start(self) -> None:
        async with self._start_lock:
            if self.started:
                return
            name = (
                os.environ.get("WEBINARS_WORKER_NAME") or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
            )
            self.worker = await database_sync_to_async(services.worker_register)(name=name)
            services.set_broadcaster(self._publish_from_thread)
            if self.layer is not None:
                self.channel_name = await self.layer.new_channel(prefix="webinars.hub.")
                self.tasks.append(self.loop.create_task(self._receive_loop()))
            self.tasks.append(self.loop.create_task(self._maintenance_loop()))
            self.started = True

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.tasks.clear()
        services.set_broadcaster(None)
        _hubs.pop(self.loop, None)

    # -- membership ----------------------------------------------------------------------------------------
    async def join(self, consumer) -> None:
        room = consumer.webinar_id
        first = room not in self.sockets
        self.sockets.setdefault(room, set()).add(consumer)
        if first:
            self.locks.setdefault(room, asyncio.Lock())
            await self._layer_call(self.layer.group_add if self.layer else None, group_name(room))

    async def leave(self, consumer) -> None:
        room = consumer.webinar_id
        members = self.sockets.get(room)
        if not members:
            return
        members.discard(consumer)
        if not members:
            del self.sockets[room]
            self.last_seq.pop(room, None)
            await self._layer_call(self.layer.group_discard if self.layer else None, group_name(room))

    def note_seq(self, room: int, seq: int) -> None:
        """A consumer read the room at `seq`: the hub's stream starts there if it had no position yet."""
        if room not in self.last_seq:
            self.last_seq[room] = seq

    def mark_attendees(self, room: int) -> None:
        self.dirty_attendees.add(room)

    def close_later(self, attendance_id: int, room: int) -> None:
        """A consumer could not close its attendance interval (database error): retried at each maintenance tick
        until it closes (if this worker dies first, `attendance_close_stale` closes it at the last heartbeat)."""
        self.unclosed[attendance_id] = room

    async def _close_unclosed(self) -> None:
        for attendance_id, room in list(self.unclosed.items()):
            try:
                await database_sync_to_async(services.attendance_close)(attendance_id=attendance_id)
            except Exception:
                logger.warning("closing attendance %s failed again", attendance_id, exc_info=True)
                continue
            del self.unclosed[attendance_id]
            self.mark_attendees(room)

    async def _layer_call(self, method, group: str) -> None:
        if method is None:
            return
        try:
            await method(group, self.channel_name)
        except Exception:
            self._layer_ok = False
            logger.warning("channel layer unavailable for %s; the log poll will cover it", group, exc_info=True)

    # -- publishing ----------------------------------------------------------------------------------------
    def _publish_from_thread(self, event) -> None:
        """Called after commit, usually in the database thread: hand the event to the loop without waiting.
        The task starts in a fresh context: one copied from the database thread would make asgiref refuse the
        hub's own database calls ("single thread executor already being used")."""
        public, presenter, asker = event_texts(event)
        args = (event.webinar_id, event.seq, public, presenter, asker)
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self._start_publish, args, context=contextvars.Context())

    def _start_publish(self, args) -> None:
        self.loop.create_task(self.publish(*args)).add_done_callback(_log_failure)

    async def publish(self, room: int, seq: int, public: str, presenter: str | None, asker=None) -> None:
        await self.deliver(room, seq, public, presenter, asker)
        if self.layer is None:
            return
        message = {"type": "room.event", "room": room, "seq": seq, "public": public, "presenter": presenter,
                   "asker": asker, "origin": self.channel_name}  # fmt: skip
        try:
            await self.layer.group_send(group_name(room), message)
        except Exception:
            logger.warning("channel layer unavailable; room %s seq %s left to the log poll", room, seq, exc_info=True)

    # -- delivery ------------------------------------------------------------------------------------------
    async def deliver(self, room: int, seq: int, public: str, presenter: str | None, asker=None) -> None:
        """Deliver one event to the local sockets of a room, in seq order, filling any gap from the log."""
        if room not in self.sockets:
            return
        async with self.locks[room]:
            last = self.last_seq.get(room)
            if last is not None and seq <= last:
                return
            if last is not None and seq > last + 1:
                await self._catch_up_locked(room, upto=seq - 1)
            await self._fan_out(room, seq, public, presenter, asker)
            self.last_seq[room] = seq

    async def _fan_out(self, room: int, seq: int, public: str, presenter: str | None, asker=None) -> None:
        # One message dict per audience, shared by every socket: the frame is encoded once, not per attendee.
        public_message = {"type": "websocket.send", "text": public}
        presenter_message = {"type": "websocket.send", "text": presenter} if presenter is not None else public_message
        asker_id, asker_message = (asker[0], {"type": "websocket.send", "text": asker[1]}) if asker else (None, None)
        for consumer in list(self.sockets.get(room, ())):
            if consumer.presenter:
                message = presenter_message
            elif asker_id is not None and consumer.user.pk == asker_id:
                message = asker_message
            else:
                message = public_message
            try:
                await consumer.push(seq, message)
            except Exception:  # a socket closing under us must not cost the others their event
                logger.debug("dropping a closed socket from room %s", room, exc_info=True)
                self.sockets.get(room, set()).discard(consumer)

    async def catch_up(self, room: int) -> None:
        if room not in self.sockets:
            return
        async with self.locks[room]:
            await self._catch_up_locked(room, upto=None)

    async def _catch_up_locked(self, room: int, *, upto: int | None) -> None:
        last = self.last_seq.get(room)
        if last is None:
            return
        events = await database_sync_to_async(selectors.room_events_after)(
            webinar_id=room, after_seq=last, upto_seq=upto
        )
        if events is None:  # far behind (a long outage): every socket of the room gets a fresh snapshot
            for consumer in list(self.sockets.get(room, ())):
                consumer.request_snapshot()
            seq = await database_sync_to_async(_room_seq)(room)
            self.last_seq[room] = max(last, seq)
            return
        for event in events:
            await self._fan_out(room, event.seq, *event_texts(event))
            self.last_seq[room] = event.seq

    # -- background loops ----------------------------------------------------------------------------------
    async def _receive_loop(self) -> None:
        delay = 0.5
        while True:
            try:
                message = await self.layer.receive(self.channel_name)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("channel layer receive failed; retrying in %.1fs", delay, exc_info=True)
                self._layer_ok = False
                await asyncio.sleep(delay)
                delay = min(delay * 2, LAYER_RETRY_MAX)
                continue
            delay = 0.5
            if not self._layer_ok:
                await self._rejoin_groups()
            if message.get("type") != "room.event" or message.get("origin") == self.channel_name:
                continue
            try:
                await self.deliver(
                    message["room"], message["seq"], message["public"], message.get("presenter"), message.get("asker")
                )
            except Exception:
                logger.exception("delivery of a room event failed")

    async def _rejoin_groups(self) -> None:
        """After a layer outage: join the groups again and fill from the log what the layer lost."""
        self._layer_ok = True
        for room in list(self.sockets):
            await self._layer_call(self.layer.group_add, group_name(room))
        for room in list(self.sockets):
            await self.catch_up(room)

    async def _maintenance_loop(self) -> None:
        tick = 0
        while True:
            await asyncio.sleep(TICK_SECONDS)
            tick += 1
            try:
                await self._maintain(tick)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("room maintenance failed", exc_info=True)

    async def _maintain(self, tick: int) -> None:
        if self.unclosed:
            await self._close_unclosed()
        if self.dirty_attendees:
            rooms, self.dirty_attendees = self.dirty_attendees, set()
            for room in rooms:
                await database_sync_to_async(services.room_attendees_update)(webinar_id=room)
        if tick % CATCH_UP_EVERY == 0 and self.sockets:
            seqs = await database_sync_to_async(_room_seqs)(list(self.sockets))
            for room, seq in seqs.items():
                if seq > self.last_seq.get(room, seq):
                    await self.catch_up(room)
            if not self._layer_ok and self.layer is not None:
                await self._rejoin_groups()
        if tick % role_check_every() == 0 and self.sockets:
            await self.check_roles()
        if tick % HEARTBEAT_EVERY == 0:
            await database_sync_to_async(services.worker_heartbeat)(worker_id=self.worker.pk)
            await database_sync_to_async(services.attendance_close_stale)()

    async def check_roles(self) -> None:
        """Ask the room rule again for the sockets that may have lost something: presenter sockets (the person
        left the Trainers group or the webinar's presenters, lost their second factor) and sockets whose person
        was deactivated or deleted (one query for all the process's sockets tells which). Attendee sockets of
        active people cost nothing more."""
        consumers = [consumer for members in self.sockets.values() for consumer in members]
        if not consumers:
            return
        active = await database_sync_to_async(selectors.room_active_user_ids)(
            user_ids={consumer.user.pk for consumer in consumers}
        )
        for consumer in consumers:
            if not (consumer.presenter or consumer.user.pk not in active):
                continue
            try:
                await consumer.recheck()
            except Exception:  # one socket's failure must not spare the others their check
                logger.warning("room %s: re-checking a socket's role failed", consumer.webinar_id, exc_info=True)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("publishing a room event failed", exc_info=future.exception())


def _room_seq(room: int) -> int:
    return _room_seqs([room]).get(room, 0)


def _room_seqs(rooms: list[int]) -> dict[int, int]:
    from .models import Room

    return dict(Room.objects.filter(webinar_id__in=rooms).values_list("webinar_id", "last_seq"))


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomHub]" = weakref.WeakKeyDictionary()


async def get_hub() -> RoomHub:
    """The hub of the running event loop (one per server process; tests get one per loop)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = RoomHub(loop)
    await hub.start()
    return hub

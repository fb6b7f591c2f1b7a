"""The live room's websocket: parse and check each frame, call a service, reply. Rules live in services.py;
fan-out and ordering live in hub.py. This consumer joins no channel-layer group itself (the hub does)."""

import json
import logging
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from . import payloads, selectors, services
from .hub import encode, get_hub
from .models import WebinarPage

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 16 * 1024
CLIENT_ID_MAX = 64
# Close codes for refused connections (4000-4999 are the application's own). 4401 and 4403 also end a socket whose
# person lost the room while connected (account deactivated or deleted; no longer allowed in: `RoomConsumer.recheck`).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_MANY = 4429
CLOSE_INTERNAL_ERROR = 1011


class RoomLost(Exception):
    """The socket was closed while handling a frame (its person lost the room): nothing is answered."""


class FrameError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _int_field(frame: dict, name: str) -> int:
    value = frame.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 2**62:
        raise FrameError("invalid", _("Field %(name)s must be a non-negative integer.") % {"name": name})
    return value


def _str_field(frame: dict, name: str, *, required=True) -> str | None:
    value = frame.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise FrameError("invalid", _("Field %(name)s must be text.") % {"name": name})
    return value


def _client_id(frame: dict) -> str | None:
    """The frame's `client_id`, echoed in the reply: short printable text or none at all. Anything else (a number,
    a lone surrogate such as "\ud800" that no reply could encode as UTF-8) is refused and never echoed."""
    value = frame.get("client_id")
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= CLIENT_ID_MAX or not value.isprintable():
        raise FrameError("invalid", _("Field client_id must be text of at most 64 characters."))
    return value


def _bool_field(frame: dict, name: str) -> bool:
    value = frame.get(name, False)
    if not isinstance(value, bool):
        raise FrameError("invalid", _("Field %(name)s must be true or false.") % {"name": name})
    return value


class RoomConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = None  # the hub talks to the layer: one subscription per process, not per socket

    webinar_id: int
    presenter = False
    attendance_id: int | None = None
    hub = None

    async def dispatch(self, message):
        """Every message of the socket goes through here. A consumer that fails unexpectedly (in connect, in the
        snapshot, anywhere outside `receive`'s own handling) would otherwise die without running `disconnect()`:
        the person's attendance interval would stay open, counting minutes toward a certificate and a slot of
        the connection limit. So the interval is closed first, then the socket (1011)."""
        try:
            await super().dispatch(message)
        except StopConsumer:
            raise
        except Exception:
            logger.exception("room %s: the consumer failed; closing its attendance", getattr(self, "webinar_id", "?"))
            await self._leave()
            if message.get("type") != "websocket.disconnect":
                try:
                    await self.close(code=CLOSE_INTERNAL_ERROR)
                except Exception:
                    logger.debug("the socket was already closed", exc_info=True)
            raise StopConsumer from None

    async def connect(self):
        self.user = self.scope.get("user")
        self.webinar_id = int(self.scope["url_route"]["kwargs"]["webinar_id"])
        self.attendance_id = None
        self.hub = None
        self.sent_seq = 0
        self.syncing = True
        self.buffer: list[tuple[int, dict]] = []
        if not (self.user and self.user.is_authenticated):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        try:  # before anything is read: a reconnect loop costs no query, no interval, no attendees event
            await sync_to_async(services.room_connect_check)(user=self.user)
        except services.RateLimited:
            await self.accept()  # accepted first so that the client learns why (4429) and waits
            await self.close(code=CLOSE_TOO_MANY)
            return
        self.webinar, role = await database_sync_to_async(self._load)()
        if self.webinar is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if role is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.presenter = role == "presenter"
        await self.accept()
        hub = await get_hub()
        try:
            interval = await database_sync_to_async(services.attendance_open)(
                user=self.user, webinar=self.webinar, worker=hub.worker
            )
        except services.RateLimited:
            # Accepted first so that the client learns why (4429) and does not retry.
            await self.close(code=CLOSE_TOO_MANY)
            return
        self.attendance_id = interval.pk
        self.hub = hub
        await self.hub.join(self)
        resume_from = _resume_seq(self.scope.get("query_string", b""))
        if resume_from is not None:
            try:  # a replay on connect counts as a resync; over the limit the client gets the snapshot
                await sync_to_async(services.room_resync_check)(user=self.user)
            except services.RateLimited:
                resume_from = None
        if resume_from is None:
            await self._send_snapshot()
        else:
            await self._resume(resume_from)
        self.hub.mark_attendees(self.webinar_id)

    def _load(self):
        webinar = WebinarPage.objects.live().filter(pk=self.webinar_id).first()
        if webinar is None:
            return None, None
        return webinar, services.room_role(user=self.user, webinar=webinar, session=self.scope.get("session"))

    # -- the role, asked again while the socket lives ------------------------------------------------------
    # The role lives on the consumer (`presenter`): the hub reads it for every event it sends this socket, so a
    # socket that drops to the attendees' view receives attendee frames from the next event on.

    async def recheck(self) -> None:
        """Ask `services.room_role` again on fresh data (the person's row and groups, the webinar's presenters):
        called by the hub every WEBINARS_ROLE_CHECK_SECONDS for presenter sockets (and for any socket whose
        account is no longer active), after a presenter's action was refused and before a presenter's resync.
        No longer a presenter: the socket drops to the attendees' view. Account deactivated or deleted: closed
        with 4401; no longer allowed in the room at all: closed with 4403."""
        user, role = await database_sync_to_async(self._reload)()
        if self.hub is None:  # left meanwhile
            return
        if user is None:
            await self.lose_room(CLOSE_UNAUTHENTICATED)
        elif role is None:
            await self.lose_room(CLOSE_FORBIDDEN)
        else:
            self.user = user
            if self.presenter and role != "presenter":
                await self._demote()

    def _reload(self):
        user = selectors.room_user(user_id=self.user.pk)
        if user is None:
            return None, None
        return user, services.room_role(user=user, webinar=self.webinar, session=self.scope.get("session"))

    async def _demote(self) -> None:
        """Drop to the attendees' view: from now on the hub sends this socket attendee frames; what was held back
        for it while syncing (perhaps presenters' frames) is dropped, as the fresh attendee snapshot covers it."""
        logger.info("room %s: a socket lost the presenter role; sending the attendees' view", self.webinar_id)
        self.presenter = False
        self.buffer.clear()
        await self._send_snapshot()

    async def lose_room(self, code: int) -> None:
        """Leave the room now: no more frames, the attendance interval closed, then the socket closed."""
        self.presenter = False
        self.buffer.clear()
        await self._leave()
        try:
            await self.close(code=code)
        except Exception:
            logger.debug("the socket was already closed", exc_info=True)

    async def disconnect(self, code):
        await self._leave()

    async def _leave(self) -> None:
        """Leave the hub and close the attendance interval, once (disconnect, or a consumer that failed). The
        interval is forgotten only once it is closed: a failed close is tried once more; failing again, it is
        logged and left to the hub, which retries it with its maintenance (and a crashed worker's intervals are
        closed by `services.attendance_close_stale`)."""
        hub, self.hub = self.hub, None
        if hub is not None:
            try:
                await hub.leave(self)
            except Exception:  # the interval must be closed whatever happened to the hub
                logger.warning("room %s: leaving the hub failed", self.webinar_id, exc_info=True)
        attendance_id = self.attendance_id
        if attendance_id is None:
            return
        for attempt in (1, 2):
            try:
                await database_sync_to_async(services.attendance_close)(attendance_id=attendance_id)
            except Exception:
                logger.warning(
                    "room %s: closing attendance %s failed (attempt %s)", self.webinar_id, attendance_id, attempt,
                    exc_info=True,
                )  # fmt: skip
                continue
            self.attendance_id = None
            if hub is not None:
                hub.mark_attendees(self.webinar_id)
            return
        self.attendance_id = None  # handed over: the hub retries it
        logger.error("room %s: attendance %s left open; the hub will retry", self.webinar_id, attendance_id)
        if hub is not None:
            hub.close_later(attendance_id, self.webinar_id)

    # -- outgoing ------------------------------------------------------------------------------------------
    async def push(self, seq: int, message: dict) -> None:
        """Called by the hub with a ready websocket.send message (shared by all sockets of the room); held back
        while a snapshot or resync is being sent."""
        if self.syncing:
            self.buffer.append((seq, message))
            return
        if seq <= self.sent_seq:
            return
        self.sent_seq = seq
        await self.base_send(message)

    async def _flush(self) -> None:
        while self.buffer:
            seq, message = self.buffer.pop(0)
            if seq > self.sent_seq:
                self.sent_seq = seq
                await self.base_send(message)
        self.syncing = False

    async def _send_snapshot(self) -> None:
        self.syncing = True
        presenter = self.presenter
        try:
            snapshot = await database_sync_to_async(selectors.room_snapshot)(
                webinar=self.webinar, user=self.user, presenter=presenter
            )
            if self.hub is None or presenter != self.presenter:
                return  # the room was lost, or the role changed while reading: that change sends its own snapshot
            self.hub.note_seq(self.webinar_id, snapshot["seq"])
            self.sent_seq = snapshot["seq"]
            await self.send(text_data=encode(snapshot))
        finally:  # never left buffering: live events go on (a gap makes the client resync)
            await self._flush()

    def request_snapshot(self) -> None:
        self.hub.loop.create_task(self._send_snapshot())

    async def _send_json(self, frame: dict) -> None:
        await self.send(text_data=encode(frame))

    async def _error(self, code: str, message: str, client_id: str | None = None) -> None:
        frame = {"type": "error", "code": code, "message": message}
        if client_id is not None:
            frame["client_id"] = client_id
        await self._send_json(frame)

    # -- incoming ------------------------------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        client_id = None
        try:
            if text_data is None:
                raise FrameError("invalid", _("Frames must be JSON text."))
            if len(text_data) > MAX_FRAME_BYTES or len(text_data.encode("utf-8")) > MAX_FRAME_BYTES:
                raise FrameError("too_long", _("The message is too large."))
            try:
                frame = json.loads(text_data)
            except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than the parser goes
                raise FrameError("invalid", _("The message is not valid JSON.")) from error
            if not isinstance(frame, dict):
                raise FrameError("invalid", _("The message must be a JSON object."))
            client_id = _client_id(frame)
            handler = self.HANDLERS.get(frame.get("type")) if isinstance(frame.get("type"), str) else None
            if handler is None:
                raise FrameError("invalid", _("Unknown message type."))
            await handler(self, frame, client_id)
        except FrameError as error:
            await self._error(error.code, error.message, client_id)
        except RoomLost:
            return
        except PermissionDenied as error:
            await self._error("forbidden", _message(error, _("You are not allowed to do that.")), client_id)
            if self.presenter:  # perhaps no longer a presenter: ask the rule again now rather than at the next check
                await self.recheck()
        except ObjectDoesNotExist as error:
            await self._error("not_found", _message(error, _("Not found.")), client_id)
        except services.RateLimited as error:
            await self._error("rate_limited", str(error), client_id)
        except ValidationError as error:
            code = "too_long" if getattr(error, "code", None) == "too_long" else "invalid"
            await self._error(code, " ".join(error.messages), client_id)
        except Exception:
            # Not the person's fault, or not foreseen: they get an answer and keep the room; the error is logged.
            logger.exception("room %s: a message could not be handled", self.webinar_id)
            await self._error("invalid", _("This message could not be handled. Please try again."), client_id)

    async def _call(self, fn, **kwargs):
        """Run a service as this socket's person. A presenter's socket acts as the person stored now (a fresh row,
        one query, whose groups the rule reads again): someone removed from the Trainers group or the webinar's
        presenters, or deactivated, since connecting is refused at once. An attendee's socket acts as the user it
        connected with (no query added)."""
        user = self.user
        if self.presenter:
            user = await database_sync_to_async(selectors.room_user)(user_id=self.user.pk)
            if user is None:
                await self.lose_room(CLOSE_UNAUTHENTICATED)
                raise RoomLost
            self.user = user
        return await database_sync_to_async(fn)(user=user, webinar=self.webinar, **kwargs)

    def _require_presenter_socket(self) -> None:
        """Presenters' actions come from a presenter's socket only: one that connected as an attendee (or dropped
        to the attendees' view) is refused without a query, also when its person became a presenter meanwhile
        (the presenter's view, with its second factor, is given at the next connect)."""
        if not self.presenter:
            raise PermissionDenied(_("Only the presenters of this webinar can do that."))

    async def on_ask(self, frame, client_id):
        if client_id is None:
            raise FrameError("invalid", _("Field client_id must be text of at most 64 characters."))
        text = _str_field(frame, "text")
        anonymous = _bool_field(frame, "anonymous")
        question = await self._call(services.question_ask, text=text, anonymous=anonymous, client_id=client_id)
        data = payloads.question_data(question)
        data.update(mine=True, voted=False)
        await self._send_json({"type": "ack", "client_id": client_id, "question": data})

    async def on_vote(self, frame, client_id):
        question, voted = await self._call(services.question_vote_toggle, question_id=_int_field(frame, "question_id"))
        await self._send_json({"type": "ack", "client_id": client_id, "question_id": question.pk, "voted": voted})

    async def on_moderate(self, frame, client_id):
        self._require_presenter_socket()
        action = _str_field(frame, "action")
        answer = _str_field(frame, "answer", required=False)
        question = await self._call(
            services.question_moderate, question_id=_int_field(frame, "question_id"), action=action, answer=answer
        )
        await self._send_json({"type": "ack", "client_id": client_id, "question_id": question.pk})

    async def on_poll_open(self, frame, client_id):
        self._require_presenter_socket()
        choices = frame.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise FrameError("invalid", _("Field choices must be a list of texts."))
        poll = await self._call(
            services.poll_open,
            question=_str_field(frame, "question"),
            choices=choices,
            results_hidden=_bool_field(frame, "results_hidden"),
        )
        await self._send_json({"type": "ack", "client_id": client_id, "poll_id": poll.pk})

    async def on_poll_close(self, frame, client_id):
        self._require_presenter_socket()
        poll = await self._call(services.poll_close, poll_id=_int_field(frame, "poll_id"))
        await self._send_json({"type": "ack", "client_id": client_id, "poll_id": poll.pk})

    async def on_poll_vote(self, frame, client_id):
        choice_id = _int_field(frame, "choice_id")
        poll = await self._call(services.poll_vote, poll_id=_int_field(frame, "poll_id"), choice_id=choice_id)
        await self._send_json({"type": "ack", "client_id": client_id, "poll_id": poll.pk, "choice_id": choice_id})

    async def on_resync(self, frame, client_id):
        after = _int_field(frame, "after_seq")
        await sync_to_async(services.room_resync_check)(user=self.user)  # before anything is read
        if self.presenter:  # a replay of presenters' frames: only if the rule still holds
            await self.recheck()
            if self.hub is None:
                raise RoomLost
            if not self.presenter:
                return  # dropped to the attendees' view: the snapshot just sent replaces the replay
        await self._resume(after)

    async def _resume(self, after: int) -> None:
        """Send exactly the events after the client's seq, or a fresh snapshot when it is too far behind (or
        ahead: the log it knew is gone)."""
        self.syncing = True
        try:
            events, current = await database_sync_to_async(selectors.room_events_since)(
                webinar_id=self.webinar_id, after_seq=after
            )
            if events is None or after > current:
                await self._send_snapshot()
                return
            if self.hub is None:
                return
            self.hub.note_seq(self.webinar_id, current)
            self.sent_seq = after
            for event in events:
                self.sent_seq = event.seq
                await self._send_json(selectors.event_frame(event, presenter=self.presenter, user_id=self.user.pk))
            await self._send_json({"type": "resynced", "seq": self.sent_seq, "role": self._role()})
        finally:
            await self._flush()

    def _role(self) -> str:
        return "presenter" if self.presenter else "attendee"

    async def on_ping(self, frame, client_id):
        await self._send_json({"type": "pong", "client_id": client_id})

    HANDLERS = {
        "question.ask": on_ask,
        "question.vote": on_vote,
        "question.moderate": on_moderate,
        "poll.open": on_poll_open,
        "poll.close": on_poll_close,
        "poll.vote": on_poll_vote,
        "resync": on_resync,
        "ping": on_ping,
    }


def _resume_seq(query_string: bytes) -> int | None:
    """`?after_seq=N` on the URL: a reconnecting client asks for what it missed instead of a snapshot."""
    values = parse_qs(query_string.decode("latin-1")).get("after_seq")
    if not values or not values[0].isdigit() or len(values[0]) > 18:
        return None
    return int(values[0])


def _message(error: Exception, default: str) -> str:
    text = str(error.args[0]) if error.args and error.args[0] else ""
    return text or default

"""Every operation that changes a webinar or its room. Room changes are written, given the room's next seq in
RoomEvent, and broadcast only after commit, so no client ever sees a change that was rolled back."""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import roles
from lms.caching.ratelimit import RateLimit
from lms.restrictions import page_viewable, require_viewable
from lms.text import clean_typed_text

from . import payloads, selectors
from .models import (
    Attendance,
    CalendarFeed,
    Poll,
    PollChoice,
    PollVote,
    Question,
    Registration,
    Room,
    RoomEvent,
    RoomWorker,
    Vote,
    WebinarPage,
)
from .signals import attendance_recorded, webinar_ended

logger = logging.getLogger(__name__)

QUESTION_MAX_LENGTH = getattr(settings, "WEBINARS_QUESTION_MAX_LENGTH", 500)
ANSWER_MAX_LENGTH = getattr(settings, "WEBINARS_ANSWER_MAX_LENGTH", 2000)
QUESTIONS_PER_MINUTE = getattr(settings, "WEBINARS_QUESTIONS_PER_MINUTE", 5)
VOTES_PER_MINUTE = getattr(settings, "WEBINARS_VOTES_PER_MINUTE", 30)
# `resync` frames per person per minute (all their sockets): a client resyncs only when it sees a gap in the seq,
# and each one may cost a snapshot (7 queries).
RESYNCS_PER_MINUTE = getattr(settings, "WEBINARS_RESYNCS_PER_MINUTE", 10)
# Room connections a person may open per minute (all webinars, all their devices): each connect costs an attendance
# row, an "attendees" event for everyone and a snapshot or a replay. A flaky phone reconnects a few times a minute.
CONNECTS_PER_MINUTE = getattr(settings, "WEBINARS_CONNECTS_PER_MINUTE", 20)
# Open room connections one person may hold in one webinar (a phone and a laptop, a few tabs; not a flood).
CONNECTIONS_PER_USER = getattr(settings, "WEBINARS_CONNECTIONS_PER_USER", 5)
POLL_MAX_CHOICES = 10
POLL_CHOICE_MAX_LENGTH = 200
# A worker whose heartbeat is older than this has crashed: its open intervals are closed at its last sign of life.
WORKER_STALE_AFTER = timedelta(seconds=90)


ROOM_ACTIONS = RateLimit("webinars:rate", seconds=60)  # one counter per person and kind of action


class RateLimited(Exception):
    """Too many actions of one kind by one person in the last minute; nothing was stored."""


# Set by the live-room hub of this process; called after commit with each new RoomEvent.
_broadcaster: Callable[[RoomEvent], None] | None = None


def set_broadcaster(fn: Callable[[RoomEvent], None] | None) -> None:
    global _broadcaster
    _broadcaster = fn


def _broadcast(event: RoomEvent) -> None:
    if _broadcaster is None:
        return
    try:
        _broadcaster(event)
    except Exception:  # the event is in the log; clients catch up by resync or the hub's poll
        logger.exception("broadcast of room event %s#%s failed", event.webinar_id, event.seq)


# ---------------------------------------------------------------------------------------------------------------
# Permissions


def user_is_presenter(*, user, webinar: WebinarPage) -> bool:
    """Presenters of this webinar and superusers run the room (moderation, polls, transcript, attendance); a presenter
    only while in the Trainers group (`roles.may_act_as_trainer`), otherwise they are an attendee like anyone."""
    if not roles.may_act_as_trainer(user):
        return False
    if user.is_superuser:
        return True
    return webinar.presenters.filter(pk=user.pk).exists()


def user_may_enter_room(*, user, webinar: WebinarPage, presenter: bool | None = None) -> bool:
    """Registered people and presenters enter; a webinar without a capacity limit is open to everyone signed in.
    First of all, the webinar's page must be open to them: a webinar restricted to a group (Wagtail's privacy
    setting, on it or an ancestor) lets no one else in, registered or presenting (lms/restrictions.py). The room
    page, the websocket's connect and every action in the room ask this. `presenter` may pass an answer the caller
    already has."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if not page_viewable(user, webinar):
        return False
    if webinar.capacity is None:
        return True
    if presenter if presenter is not None else user_is_presenter(user=user, webinar=webinar):
        return True
    return Registration.objects.filter(webinar=webinar, user=user).exists()


def room_role(*, user, webinar: WebinarPage, session=None) -> str | None:
    """The one rule for a room socket: "presenter", "attendee", or None (not in this room). A presenter's view is
    staff data, so it also needs the staff second factor (`lms.services.staff_second_factor_step`): a presenter
    without it is refused, not shown the attendees' view. Asked at connect with the signed-in user, then again on
    fresh data (`selectors.room_user`) while the socket lives: every `WEBINARS_ROLE_CHECK_SECONDS` by the hub, after a
    presenter's refused action and before a presenter's resync (webinars/consumers.py `RoomConsumer.recheck`)."""
    from lms.services import staff_second_factor_step

    presenter = user_is_presenter(user=user, webinar=webinar)
    if presenter and staff_second_factor_step(user=user, session=session) is not None:
        return None
    if not user_may_enter_room(user=user, webinar=webinar, presenter=presenter):
        return None
    return "presenter" if presenter else "attendee"


def _require_presenter(*, user, webinar: WebinarPage) -> None:
    if not user_is_presenter(user=user, webinar=webinar):
        raise PermissionDenied(_("Only the presenters of this webinar can do that."))


def _require_open_room(webinar: WebinarPage) -> None:
    if not webinar.room_is_open():
        raise PermissionDenied(_("This webinar has ended; the room is read-only."))


# ---------------------------------------------------------------------------------------------------------------
# Registration and calendar


@transaction.atomic
def registration_create(*, user, webinar: WebinarPage) -> Registration:
    """Take a seat. The webinar row is locked so concurrent sign-ups can never overbook it. Only people the
    webinar's page is open to may register (lms/restrictions.py)."""
    if not (user and user.is_authenticated):
        raise PermissionDenied
    require_viewable(user, webinar)
    locked = WebinarPage.objects.select_for_update().only("pk", "capacity", "end").get(pk=webinar.pk)
    if locked.has_ended():
        raise ValidationError(_("This webinar has already taken place."), code="ended")
    existing = Registration.objects.filter(webinar_id=locked.pk, user=user).first()
    if existing is not None:
        return existing
    if locked.capacity is not None and Registration.objects.filter(webinar_id=locked.pk).count() >= locked.capacity:
        raise ValidationError(_("This webinar is full."), code="full")
    registration = Registration(webinar_id=locked.pk, user=user)
    registration.full_clean()
    registration.save()
    transaction.on_commit(lambda: _schedule_reminders(registration.pk))
    return registration


@transaction.atomic
def registration_cancel(*, user, webinar: WebinarPage) -> bool:
    """Give the seat back; returns whether there was one."""
    deleted, _rows = Registration.objects.filter(webinar=webinar, user=user).delete()
    return bool(deleted)


def _schedule_reminders(registration_id: int) -> None:
    from . import tasks

    tasks.schedule_reminders(registration_id=registration_id)


def calendar_feed_for(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user) -> CalendarFeed:
    """A new token: the old feed URL stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


# ---------------------------------------------------------------------------------------------------------------
# Room log


def _append_event(
    *,
    webinar_id: int,
    name: str,
    data: dict,
    presenter_data: dict | None = None,
    question=None,
    attendees_saw_it: bool = True,
) -> RoomEvent:
    """Give the change the room's next seq and log it; broadcast after commit. Attendees' payload is what
    `selectors.attendee_event` lets them see (a question waiting or dismissed: a no-op or a bare removal);
    presenters get the full one (`presenter_data` when given) whenever it differs."""
    Room.objects.get_or_create(webinar_id=webinar_id)
    room = Room.objects.select_for_update().get(webinar_id=webinar_id)
    room.last_seq += 1
    room.save(update_fields=["last_seq"])
    public = selectors.attendee_event({"name": name, "data": data}, attendees_saw_it=attendees_saw_it)
    presenter = {"name": name, "data": presenter_data if presenter_data is not None else data}
    event = RoomEvent.objects.create(
        webinar_id=webinar_id, seq=room.last_seq, name=name, payload=public,
        presenter_payload=presenter if presenter != public else None, question=question,
    )  # fmt: skip
    event.asker_id = question.author_id if question is not None else None  # see selectors.own_event
    transaction.on_commit(lambda: _broadcast(event))
    return event


def _question_event(question: Question, name: str, *, previous_status: str | None = None) -> RoomEvent:
    """`previous_status`: the question's status before this change, when it changed. A question dismissed before
    attendees could see it (never approved) is a `noop` for them, not a removal naming its id."""
    data = payloads.question_data(question)
    seen = previous_status is None or selectors.attendee_may_see_question(status=previous_status, mine=False)
    return _append_event(webinar_id=question.webinar_id, name=name, data=data, question=question, attendees_saw_it=seen)


def _poll_event(poll: Poll, name: str) -> RoomEvent:
    choices = list(poll.choices.all())
    public = payloads.poll_data(poll, choices, show_counts=not poll.results_hidden or poll.status == Poll.Status.CLOSED)
    presenter = payloads.poll_data(poll, choices, show_counts=True)
    return _append_event(
        webinar_id=poll.webinar_id, name=name, data=public, presenter_data=presenter if presenter != public else None
    )


def _check_rate(*, key: str, limit: int) -> None:
    """Count one action of a kind by a person (lms/caching/ratelimit.py): over `limit` in their minute, RateLimited.
    While the shared cache is down the action is allowed."""
    if ROOM_ACTIONS.hit(key) > limit:
        raise RateLimited(_("Too many actions in a minute. Please wait a moment."))


def room_resync_check(*, user) -> None:
    """May this person resync now? Counted before anything is read: over RESYNCS_PER_MINUTE, RateLimited and the
    room's log is not queried. A reconnect with `?after_seq=` asks it too: over the limit it gets a snapshot."""
    _check_rate(key=f"r:{user.pk}", limit=RESYNCS_PER_MINUTE)


def room_connect_check(*, user) -> None:
    """May this person open a room connection now? Counted before anything is read (the webinar, the attendance):
    over CONNECTS_PER_MINUTE, RateLimited, and the socket closes with 4429 before it opens an interval."""
    _check_rate(key=f"c:{user.pk}", limit=CONNECTS_PER_MINUTE)


def _clean_text(text, *, max_length: int, field: str) -> str:
    if not isinstance(text, str):
        raise ValidationError(_("Text is required."), code="invalid")
    text = clean_typed_text(text)
    if not text:
        raise ValidationError(_("Text is required."), code="invalid")
    if len(text) > max_length:
        raise ValidationError(
            _("%(field)s is too long: at most %(max)d characters.") % {"field": field, "max": max_length},
            code="too_long",
        )
    return text


def _get_question(*, webinar: WebinarPage, question_id: int, for_update=False) -> Question:
    rows = Question.objects.select_related("author")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    question = rows.filter(webinar=webinar, pk=question_id).first()
    if question is None:
        raise ObjectDoesNotExist(_("No such question in this webinar."))
    return question


# ---------------------------------------------------------------------------------------------------------------
# Questions


@transaction.atomic
def question_ask(*, user, webinar: WebinarPage, text, anonymous: bool = False, client_id: str = "") -> Question:
    """Ask a question. In a moderated room it waits for a presenter; the asker never gets an automatic vote,
    which would link them to their own anonymous question."""
    if not user_may_enter_room(user=user, webinar=webinar):
        raise PermissionDenied(_("Register for this webinar to take part."))
    _require_open_room(webinar)
    text = _clean_text(text, max_length=QUESTION_MAX_LENGTH, field=_("Question"))
    client_id = (client_id or "")[:64]
    if client_id:
        # A client that lost its connection before the ack sends the question again: store it once.
        earlier = Question.objects.filter(webinar=webinar, author=user, client_id=client_id).first()
        if earlier is not None:
            earlier.author = user  # the consumer renders it in async code, where a lazy author query would fail
            return earlier
    if not isinstance(anonymous, bool):
        raise ValidationError(_("Invalid anonymous flag."), code="invalid")
    _check_rate(key=f"q:{user.pk}", limit=QUESTIONS_PER_MINUTE)
    moderated = webinar.qa_mode == WebinarPage.QAMode.MODERATED and not user_is_presenter(user=user, webinar=webinar)
    question = Question(
        webinar=webinar,
        author=user,
        anonymous=anonymous,
        text=text,
        status=Question.Status.PENDING if moderated else Question.Status.APPROVED,
        client_id=client_id,
    )
    question.full_clean(exclude=["webinar", "author"])  # both just loaded; skips two lookups per question
    question.save()
    question.author = user
    _question_event(question, "question.created")
    return question


@transaction.atomic
def question_vote_toggle(*, user, webinar: WebinarPage, question_id: int) -> tuple[Question, bool]:
    """Add or take back the caller's vote; returns the question and whether the caller now votes for it."""
    if not user_may_enter_room(user=user, webinar=webinar):
        raise PermissionDenied(_("Register for this webinar to take part."))
    _require_open_room(webinar)
    if not webinar.votes_enabled:
        raise PermissionDenied(_("Voting is turned off for this webinar."))
    # Counted before the lookup, so ids cannot be tried freely; and a question the attendee may not see (someone
    # else's waiting one, a dismissed one) answers exactly as a missing id does: the one rule decides.
    _check_rate(key=f"v:{user.pk}", limit=VOTES_PER_MINUTE)
    question = _get_question(webinar=webinar, question_id=question_id, for_update=True)
    mine = question.author_id == user.pk
    if not (
        question.status == Question.Status.APPROVED
        and selectors.attendee_may_see_question(status=question.status, mine=mine)
    ):  # attendees vote for approved questions only (their own waiting one is not found either, as before)
        if not user_is_presenter(user=user, webinar=webinar):
            raise ObjectDoesNotExist(_("No such question in this webinar."))
        if question.status == Question.Status.DISMISSED:
            raise ValidationError(_("This question was dismissed."), code="invalid")
    deleted, _rows = Vote.objects.filter(question=question, user=user).delete()
    if deleted:
        Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") - 1)
        voted = False
    else:
        Vote.objects.create(question=question, user=user)
        Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
        voted = True
    question.refresh_from_db(fields=["vote_count"])
    _question_event(question, "question.updated")
    return question, voted


MODERATION_ACTIONS = ("approve", "dismiss", "answer", "pin", "unpin")


@transaction.atomic
def question_moderate(*, user, webinar: WebinarPage, question_id: int, action: str, answer=None) -> Question:
    """Presenters approve (also: undo a dismissal), dismiss, answer (with optional text), pin and unpin."""
    _require_presenter(user=user, webinar=webinar)
    if action not in MODERATION_ACTIONS:
        raise ValidationError(_("Unknown moderation action."), code="invalid")
    question = _get_question(webinar=webinar, question_id=question_id, for_update=True)
    previous_status = question.status
    if action == "approve":
        question.status = Question.Status.APPROVED
    elif action == "dismiss":
        question.status = Question.Status.DISMISSED
        question.pinned = False
    elif action == "answer":
        if answer is not None and not isinstance(answer, str):
            raise ValidationError(_("The answer must be text."), code="invalid")
        question.answer = (
            _clean_text(answer, max_length=ANSWER_MAX_LENGTH, field=_("Answer")) if (answer or "").strip() else ""
        )
        question.answered_at = timezone.now()
        question.status = Question.Status.APPROVED
        question.pinned = False
    elif action in ("pin", "unpin"):
        if question.status != Question.Status.APPROVED:
            raise ValidationError(_("Only approved questions can be pinned."), code="invalid")
        if action == "pin":
            # One pinned question at a time: the one being discussed now.
            for other in (
                Question.objects.select_for_update().filter(webinar=webinar, pinned=True).exclude(pk=question.pk)
            ):
                other.pinned = False
                other.save(update_fields=["pinned"])
                _question_event(other, "question.updated")
        question.pinned = action == "pin"
    question.full_clean(exclude=["webinar", "author"])
    question.save()
    _question_event(question, "question.updated", previous_status=previous_status)
    return question


# ---------------------------------------------------------------------------------------------------------------
# Polls


@transaction.atomic
def poll_open(*, user, webinar: WebinarPage, question, choices, results_hidden: bool = False) -> Poll:
    _require_presenter(user=user, webinar=webinar)
    _require_open_room(webinar)
    text = _clean_text(question, max_length=QUESTION_MAX_LENGTH, field=_("Poll question"))
    if not isinstance(choices, list) or not 2 <= len(choices) <= POLL_MAX_CHOICES:
        raise ValidationError(
            _("A poll needs between 2 and %(max)d choices.") % {"max": POLL_MAX_CHOICES}, code="invalid"
        )
    cleaned = [_clean_text(c, max_length=POLL_CHOICE_MAX_LENGTH, field=_("Choice")) for c in choices]
    if not isinstance(results_hidden, bool):
        raise ValidationError(_("Invalid results_hidden flag."), code="invalid")
    poll = Poll(webinar=webinar, question=text, results_hidden=results_hidden, created_by=user)
    poll.full_clean()
    poll.save()
    PollChoice.objects.bulk_create([PollChoice(poll=poll, text=c, position=i) for i, c in enumerate(cleaned)])
    _poll_event(poll, "poll.opened")
    return poll


def _get_poll(*, webinar: WebinarPage, poll_id: int) -> Poll:
    poll = Poll.objects.select_for_update().filter(webinar=webinar, pk=poll_id).first()
    if poll is None:
        raise ObjectDoesNotExist(_("No such poll in this webinar."))
    return poll


@transaction.atomic
def poll_close(*, user, webinar: WebinarPage, poll_id: int) -> Poll:
    _require_presenter(user=user, webinar=webinar)
    poll = _get_poll(webinar=webinar, poll_id=poll_id)
    if poll.status == Poll.Status.CLOSED:
        raise ValidationError(_("This poll is already closed."), code="invalid")
    poll.status = Poll.Status.CLOSED
    poll.closed_at = timezone.now()
    poll.save(update_fields=["status", "closed_at"])
    _poll_event(poll, "poll.closed")
    return poll


@transaction.atomic
def poll_vote(*, user, webinar: WebinarPage, poll_id: int, choice_id: int) -> Poll:
    """One vote per person per poll, single choice; a second vote is refused and changes nothing."""
    if not user_may_enter_room(user=user, webinar=webinar):
        raise PermissionDenied(_("Register for this webinar to take part."))
    poll = _get_poll(webinar=webinar, poll_id=poll_id)
    if poll.status != Poll.Status.OPEN:
        raise ValidationError(_("This poll is closed."), code="invalid")
    choice = PollChoice.objects.filter(poll=poll, pk=choice_id).first()
    if choice is None:
        raise ObjectDoesNotExist(_("No such choice in this poll."))
    _check_rate(key=f"v:{user.pk}", limit=VOTES_PER_MINUTE)
    if PollVote.objects.filter(poll=poll, user=user).exists():
        raise ValidationError(_("You have already voted in this poll."), code="invalid")
    try:
        with transaction.atomic():
            PollVote.objects.create(poll=poll, choice=choice, user=user)
    except IntegrityError as error:
        raise ValidationError(_("You have already voted in this poll."), code="invalid") from error
    PollChoice.objects.filter(pk=choice.pk).update(vote_count=F("vote_count") + 1)
    _poll_event(poll, "poll.updated")
    return poll


# ---------------------------------------------------------------------------------------------------------------
# Attendance


def worker_register(*, name: str) -> RoomWorker:
    """Record a starting server process. A previous incarnation under the same name has died: its open
    intervals close at its last heartbeat; so do those of any other worker that stopped beating."""
    with transaction.atomic():
        previous = RoomWorker.objects.filter(name=name).first()
        if previous is not None:
            _close_intervals(
                Attendance.objects.filter(worker=previous, disconnected_at__isnull=True), at=previous.last_seen
            )
            previous.delete()
        worker = RoomWorker.objects.create(name=name)
    attendance_close_stale()
    return worker


def worker_heartbeat(*, worker_id: int) -> None:
    RoomWorker.objects.filter(pk=worker_id).update(last_seen=timezone.now())


def attendance_close_stale(*, now=None) -> int:
    """Close intervals left open by crashed workers (at the worker's last heartbeat); returns how many."""
    now = now or timezone.now()
    closed = 0
    with transaction.atomic():
        dead_workers = list(RoomWorker.objects.filter(last_seen__lt=now - WORKER_STALE_AFTER))
        for worker in dead_workers:
            closed += _close_intervals(
                Attendance.objects.filter(worker=worker, disconnected_at__isnull=True), at=worker.last_seen
            )
        RoomWorker.objects.filter(pk__in=[w.pk for w in dead_workers]).delete()
    return closed


def _close_intervals(open_intervals, *, at) -> int:
    """Close these open intervals at `at` in one update (call inside a transaction); attendance_recorded is sent
    after commit once per person and webinar, as attendance_close sends it for one interval."""
    rows = list(open_intervals.select_for_update().values_list("pk", "user_id", "webinar_id"))
    if not rows:
        return 0
    closed = Attendance.objects.filter(pk__in=[pk for pk, _user, _webinar in rows]).update(disconnected_at=at)
    pairs = sorted({(user_id, webinar_id) for _pk, user_id, webinar_id in rows})

    def send_attendance_recorded() -> None:
        users = get_user_model().objects.in_bulk({user_id for user_id, _webinar in pairs})
        webinars = WebinarPage.objects.in_bulk({webinar_id for _user, webinar_id in pairs})
        for user_id, webinar_id in pairs:
            if user_id in users and webinar_id in webinars:
                attendance_recorded.send_robust(sender=Attendance, user=users[user_id], webinar=webinars[webinar_id])

    transaction.on_commit(send_attendance_recorded, robust=True)
    return closed


@transaction.atomic
def attendance_open(*, user, webinar: WebinarPage, worker: RoomWorker | None = None) -> Attendance:
    """Open a connected interval; refused (RateLimited) past CONNECTIONS_PER_USER open ones in this room."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()  # one connect per person at a time
    if Attendance.objects.filter(user=user, webinar=webinar, disconnected_at__isnull=True).count() >= (
        CONNECTIONS_PER_USER
    ):
        raise RateLimited(_("Too many open connections to this room. Close another tab and try again."))
    interval = Attendance(user=user, webinar=webinar, worker=worker, connected_at=timezone.now())
    interval.full_clean(exclude=["user", "webinar", "worker"])  # loaded by the caller: no lookups per connect
    interval.save()
    return interval


@transaction.atomic
def attendance_close(*, attendance_id: int) -> None:
    interval = Attendance.objects.select_related("user", "webinar").filter(pk=attendance_id).first()
    if interval is None or interval.disconnected_at is not None:
        return
    interval.disconnected_at = timezone.now()
    interval.save(update_fields=["disconnected_at"])
    user, webinar = interval.user, interval.webinar
    transaction.on_commit(
        lambda: attendance_recorded.send_robust(sender=Attendance, user=user, webinar=webinar), robust=True
    )


def webinars_ended_announce(*, since, now=None) -> list[tuple[WebinarPage, list[int]]]:
    """Send webinar_ended for each published webinar with presenters that ended in (since, now]: from its end on,
    "webinars presented" (selectors.webinars_presented) counts it. Returns (webinar, presenter ids) in order of
    end. Nothing is written, so a cron run may give a window a little longer than its interval: a webinar
    announced twice is harmless (two queries)."""
    now = now or timezone.now()
    rows = (
        WebinarPage.presenters.through.objects.filter(
            webinarpage__end__gt=since, webinarpage__end__lte=now, webinarpage__live=True
        )
        .values_list("webinarpage_id", "user_id")
        .order_by("webinarpage__end", "webinarpage_id", "user_id")
    )
    presenters: dict[int, list[int]] = defaultdict(list)
    for webinar_id, user_id in rows:
        presenters[webinar_id].append(user_id)
    webinars = WebinarPage.objects.in_bulk(list(presenters))
    announced = [(webinars[webinar_id], presenter_ids) for webinar_id, presenter_ids in presenters.items()]
    for webinar, presenter_ids in announced:
        webinar_ended.send_robust(sender=WebinarPage, webinar=webinar, presenter_ids=presenter_ids)
    return announced


@transaction.atomic
def room_attendees_update(*, webinar_id: int) -> RoomEvent | None:
    """Broadcast the attendee count if it changed since the last broadcast (any worker may call this)."""
    Room.objects.get_or_create(webinar_id=webinar_id)
    room = Room.objects.select_for_update().get(webinar_id=webinar_id)
    count = selectors.attendee_count(webinar_id=webinar_id)
    if count == room.attendees:
        return None
    Room.objects.filter(pk=room.pk).update(attendees=count)
    return _append_event(webinar_id=webinar_id, name="attendees", data={"count": count})

"""Reads other apps and pages need, each in a fixed number of queries whatever the data size."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone, translation

from lms.caching import cached

from . import payloads
from .models import (
    Attendance,
    Poll,
    PollVote,
    Question,
    Registration,
    Room,
    RoomEvent,
    Vote,
    WebinarIndexPage,
    WebinarPage,
)


@dataclass(frozen=True)
class AttendanceRecord:
    webinar_id: int
    webinar_title: str
    track_key: uuid.UUID | None
    start: datetime
    minutes_present: float
    duration_minutes: float
    share: float  # minutes_present / duration_minutes, 0..1


@dataclass(frozen=True)
class PresentedWebinar:
    webinar_id: int
    webinar_title: str
    track_key: uuid.UUID | None
    start: datetime


def union_seconds(intervals: list[tuple[datetime, datetime]], *, start: datetime, end: datetime) -> float:
    """Seconds covered by the union of the intervals clipped to [start, end]: two tabs count once."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals)
    total = 0.0
    current_start = current_end = None
    for a, b in clipped:
        if b <= a:
            continue
        if current_end is None or a > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = a, b
        else:
            current_end = max(current_end, b)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total


def webinar_attendance(*, user_ids=None) -> dict[int, list[AttendanceRecord]]:
    """Minutes present per user and started webinar (one query). Open intervals count up to now."""
    now = timezone.now()
    rows = Attendance.objects.filter(webinar__start__lte=now)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    rows = rows.values_list(
        "user_id",
        "webinar_id",
        "connected_at",
        "disconnected_at",
        "webinar__title",
        "webinar__track__translation_key",
        "webinar__start",
        "webinar__end",
    ).order_by("user_id", "webinar__start", "webinar_id")
    grouped: dict[tuple[int, int], dict] = {}
    for user_id, webinar_id, connected, disconnected, title, track_key, start, end in rows:
        entry = grouped.setdefault(
            (user_id, webinar_id),
            {"title": title, "track_key": track_key, "start": start, "end": end, "intervals": []},
        )
        entry["intervals"].append((connected, disconnected or now))
    result: dict[int, list[AttendanceRecord]] = {uid: [] for uid in (user_ids or [])}
    for (user_id, webinar_id), entry in grouped.items():
        duration = (entry["end"] - entry["start"]).total_seconds()
        present = union_seconds(entry["intervals"], start=entry["start"], end=entry["end"])
        result.setdefault(user_id, []).append(
            AttendanceRecord(
                webinar_id=webinar_id,
                webinar_title=entry["title"],
                track_key=entry["track_key"],
                start=entry["start"],
                minutes_present=present / 60,
                duration_minutes=duration / 60,
                share=min(1.0, present / duration) if duration > 0 else 0.0,
            )
        )
    return result


def webinars_presented(*, user_ids=None) -> dict[int, list[PresentedWebinar]]:
    """Published webinars that have ended, per presenter (one query)."""
    through = WebinarPage.presenters.through
    rows = through.objects.filter(webinarpage__end__lte=timezone.now(), webinarpage__live=True)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    rows = rows.values_list(
        "user_id",
        "webinarpage_id",
        F("webinarpage__title"),
        F("webinarpage__track__translation_key"),
        F("webinarpage__start"),
    ).order_by("user_id", "webinarpage__start", "webinarpage_id")
    result: dict[int, list[PresentedWebinar]] = {uid: [] for uid in (user_ids or [])}
    for user_id, webinar_id, title, track_key, start in rows:
        result.setdefault(user_id, []).append(
            PresentedWebinar(webinar_id=webinar_id, webinar_title=title, track_key=track_key, start=start)
        )
    return result


# ---------------------------------------------------------------------------------------------------------------
# The live room

RESYNC_MAX_EVENTS = 500  # further behind than this, a reconnecting client gets a fresh snapshot instead


# What attendees may see of a question: ONE rule, asked by every path that sends the room to an attendee (the
# hub's live broadcast and catch-up through event_frame, the resync and `?after_seq=` replay through event_frame,
# the snapshot through attendee_may_see_question). Presenters see everything.
HIDDEN = "hidden"  # the state of a question taken back from attendees: `{"id": ..., "status": "hidden"}` and no more
QUESTION_EVENTS = ("question.created", "question.updated")


def attendee_may_see_question(*, status: str, mine: bool) -> bool:
    """An attendee sees approved questions (every question of an open room is approved) and their own question
    while it waits for approval; never anyone else's waiting question nor any dismissed one."""
    return status == Question.Status.APPROVED or (mine and status == Question.Status.PENDING)


def attendee_event(body: dict, *, attendees_saw_it: bool = True) -> dict:
    """What attendees may see of a logged event body `{"name", "data"}`, the same for every attendee (the shared
    stream names nobody's own question). A question they may not see becomes a `noop` while it waits (they never
    saw it) and, once dismissed, a `question.updated` carrying only its id and the state "hidden": attendees who saw
    it approved drop it, and neither its text nor its author is sent. Applied when an event is written and again
    whenever one is read, so a log written by an earlier release is filtered too. `attendees_saw_it`, known where
    the event is made: False for a question dismissed without ever being approved, whose dismissal is a `noop` too
    (its id would tell attendees that an unseen question existed)."""
    data = body.get("data")
    if body.get("name") not in QUESTION_EVENTS or not isinstance(data, dict):
        return body
    status = data.get("status")
    if attendee_may_see_question(status=status, mine=False):
        return body
    if status == Question.Status.PENDING or not attendees_saw_it:
        return {"name": "noop", "data": {}}
    return {"name": "question.updated", "data": {"id": data.get("id"), "status": HIDDEN}}


def own_event(body: dict, full: dict) -> dict:
    """What the author of an event's question sees of it, given the shared attendees' `body` and the `full` one:
    the same, except that their own question dismissed while it waited (a `noop` for everyone else, who never saw
    it) is the bare `hidden` removal, so it leaves the view where they saw it waiting."""
    data = full.get("data")
    if (
        body.get("name") == "noop"
        and full.get("name") in QUESTION_EVENTS
        and isinstance(data, dict)
        and data.get("status") == Question.Status.DISMISSED
    ):
        return {"name": "question.updated", "data": {"id": data.get("id"), "status": HIDDEN}}
    return body


def event_asker_id(event: RoomEvent) -> int | None:
    """The author of the event's question: set on events just written (`services._append_event`) and on those
    read by `room_events_after`; None for others and events without a question."""
    return getattr(event, "asker_id", None)


def room_snapshot(*, webinar: WebinarPage, user, presenter: bool) -> dict:
    """The whole visible state of a room for one person (7 queries). The seq is read first, so the state is at
    least as new as it: events after it may be re-applied, which is harmless as every event carries full state."""
    seq = Room.objects.filter(webinar=webinar).values_list("last_seq", flat=True).first() or 0
    questions = Question.objects.filter(webinar=webinar).select_related("author").order_by("created_at", "id")
    if not presenter:  # the rows the rule may show (the waiting ones only the person's own), then the rule itself
        questions = questions.filter(Q(status=Question.Status.APPROVED) | Q(author=user))
        questions = [q for q in questions if attendee_may_see_question(status=q.status, mine=q.author_id == user.pk)]
    questions = list(questions)
    my_votes = set(Vote.objects.filter(user=user, question__webinar=webinar).values_list("question_id", flat=True))
    polls = list(Poll.objects.filter(webinar=webinar).prefetch_related("choices").order_by("created_at", "id"))
    my_poll_votes = dict(PollVote.objects.filter(user=user, poll__webinar=webinar).values_list("poll_id", "choice_id"))
    question_rows = []
    for question in questions:
        row = payloads.question_data(question)
        row["voted"] = question.pk in my_votes
        row["mine"] = question.author_id == user.pk
        question_rows.append(row)
    poll_rows = []
    for poll in polls:
        choices = list(poll.choices.all())
        show = presenter or not poll.results_hidden or poll.status == Poll.Status.CLOSED
        row = payloads.poll_data(poll, choices, show_counts=show)
        row["my_choice"] = my_poll_votes.get(poll.pk)
        poll_rows.append(row)
    return {
        "type": "snapshot",
        "seq": seq,
        "role": "presenter" if presenter else "attendee",
        "webinar": {"id": webinar.pk, "title": webinar.title, "qa_mode": webinar.qa_mode,
                    "votes_enabled": webinar.votes_enabled, "open": webinar.room_is_open()},
        "questions": question_rows,
        "polls": poll_rows,
        "attendees": Attendance.objects.filter(webinar=webinar, disconnected_at__isnull=True)
        .values("user_id").distinct().count(),
    }  # fmt: skip


def room_events_after(*, webinar_id: int, after_seq: int, upto_seq: int | None = None) -> list[RoomEvent] | None:
    """The logged events after a seq, in order (one query); None when too many were missed for a resync."""
    rows = (
        RoomEvent.objects.filter(webinar_id=webinar_id, seq__gt=after_seq)
        .annotate(asker_id=F("question__author_id"))
        .order_by("seq")
    )
    if upto_seq is not None:
        rows = rows.filter(seq__lte=upto_seq)
    events = list(rows[: RESYNC_MAX_EVENTS + 1])
    if len(events) > RESYNC_MAX_EVENTS:
        return None
    expected = range(after_seq + 1, after_seq + 1 + len(events))
    if [e.seq for e in events] != list(expected) or (upto_seq is not None and len(events) < upto_seq - after_seq):
        return None  # the log has a hole (pruned or not yet committed): only a snapshot is sure to be whole
    return events


def room_events_since(*, webinar_id: int, after_seq: int) -> tuple[list[RoomEvent] | None, int]:
    """What a resyncing client missed, and the room's current seq (two queries)."""
    current = Room.objects.filter(webinar_id=webinar_id).values_list("last_seq", flat=True).first() or 0
    return room_events_after(webinar_id=webinar_id, after_seq=after_seq, upto_seq=current), current


def event_frame(event: RoomEvent, *, presenter: bool, user_id: int | None = None) -> dict:
    """The frame of a logged event for one audience: presenters get the fuller payload when there is one,
    attendees what `attendee_event` lets through; the attendee `user_id`, when it is the author of the event's
    question, what `own_event` gives them."""
    full = event.presenter_payload if event.presenter_payload is not None else event.payload
    if presenter:
        body = full
    else:
        body = attendee_event(event.payload)
        if user_id is not None and user_id == event_asker_id(event):
            body = own_event(body, full)
    return {"type": "event", "seq": event.seq, "name": body["name"], "data": body["data"]}


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    minutes_present: float
    share: float
    connections: int


def attendance_report(*, webinar: WebinarPage) -> list[AttendanceRow]:
    """Minutes present per person in one webinar, most present first (one query)."""
    now = timezone.now()
    per_user: dict[int, dict] = {}
    rows = (
        Attendance.objects.filter(webinar=webinar)
        .select_related("user")
        .only("connected_at", "disconnected_at", "user__username", "user__display_name")
    )
    for row in rows:
        entry = per_user.setdefault(row.user_id, {"name": row.user.public_name, "intervals": []})
        entry["intervals"].append((row.connected_at, row.disconnected_at or now))
    duration = (webinar.end - webinar.start).total_seconds()
    report = []
    for entry in per_user.values():
        present = union_seconds(entry["intervals"], start=webinar.start, end=webinar.end)
        report.append(
            AttendanceRow(
                name=entry["name"],
                minutes_present=present / 60,
                share=min(1.0, present / duration) if duration > 0 else 0.0,
                connections=len(entry["intervals"]),
            )
        )
    return sorted(report, key=lambda r: (-r.minutes_present, r.name))


# --- The room's people ---------------------------------------------------------------------------------------------


def room_user(*, user_id: int):
    """The person as stored now (one query; their groups are read afresh when a rule asks), or None once the
    account is deactivated or deleted: what a room socket acts as for each presenter action and each re-check."""
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def room_active_user_ids(*, user_ids) -> set[int]:
    """Which of these people still have an active account: one query for every socket of a process (the hub's
    periodic check); a socket whose person is not among them loses the room."""
    return set(get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).values_list("pk", flat=True))


def attendee_count(*, webinar_id: int) -> int:
    return (
        Attendance.objects.filter(webinar_id=webinar_id, disconnected_at__isnull=True)
        .values("user_id")
        .distinct()
        .count()
    )


# --- What the webinar pages show ----------------------------------------------------------------------------------


def registration_count(*, webinar: WebinarPage) -> int:
    return Registration.objects.filter(webinar=webinar).count()


def is_registered(*, user, webinar: WebinarPage) -> bool:
    return user.is_authenticated and Registration.objects.filter(webinar=webinar, user=user).exists()


def index_url_for_language(request=None) -> str | None:
    """The webinar index of the current language (or English), for links from other pages: cached until a page is
    published, unpublished or moved (lms/caching), one query the first time."""
    language = translation.get_language() or "en"

    def url() -> str:
        pages = {p.locale.language_code: p for p in WebinarIndexPage.objects.live().select_related("locale")}
        page = pages.get(language) or pages.get("en") or next(iter(pages.values()), None)
        return (page.get_url(request=request) if page else None) or ""

    host = request.get_host() if request is not None else ""
    return cached(f"webinars:index-url:{host}:{language}", url) or None

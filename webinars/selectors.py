"""Reads other apps and pages need, each in a fixed number of queries whatever the data size."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from .models import Attendance, WebinarPage


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

"""Trainer reports: course summaries, the per-course report with its server-drawn SVG charts, the review queue.
Each function runs a fixed number of queries whatever the number of learners."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services
from .models import AssignmentSubmission, CoursePage, Enrollment, LessonProgress, SubmissionStatus

ACTIVE_DAYS = 7
REVIEW_QUEUE_LIMIT = 200
BUCKETS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 101)]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    """Geometry of a bar chart, computed here so that the template only prints numbers into <svg>."""

    title: str
    bars: list[Bar]
    width: int = 320
    height: int = 180
    baseline: int = 150


def bar_chart(*, title: str, values: list[tuple[str, int]]) -> BarChart:
    chart_width, top, baseline, gap = 320, 20, 150, 8
    slot = chart_width / max(len(values), 1)
    peak = max((v for _label, v in values), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(values):
        height = round((baseline - top) * value / peak, 1)
        x = round(i * slot + gap / 2, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=x,
                y=round(baseline - height, 1),
                width=round(slot - gap, 1),
                height=height,
                text_x=round(x + (slot - gap) / 2, 1),
                value_y=round(baseline - height - 4, 1),
            )
        )
    return BarChart(title=title, bars=bars, baseline=baseline)


def _bucket_counts(values: list[float]) -> list[tuple[str, int]]:
    counts = []
    for low, high in BUCKETS:
        label = f"{low}\u2013{min(high, 100)}"
        counts.append((label, sum(1 for v in values if low <= v < high)))
    return counts


def course_report(*, course: CoursePage) -> dict:
    """Enrolled, active in the last 7 days, completion rate, quiz score distribution and one row per learner, in
    every language of the course (four queries)."""
    structure = selectors.course_structure(course)
    enrollments = list(
        Enrollment.objects.filter(course_key=course.translation_key)
        .select_related("user")
        .only(
            "user__username",
            "user__display_name",
            "enrolled_at",
            "last_activity_at",
            "progress_percent",
            "completed_at",
        )
        .order_by("-last_activity_at")
    )
    lessons_done = dict(
        LessonProgress.objects.filter(course_key=course.translation_key, lesson_key__in=structure.lesson_keys)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    scores = selectors.best_quiz_scores(course_keys=[course.translation_key])
    since = timezone.now() - timedelta(days=ACTIVE_DAYS)
    rows = [
        {
            "name": e.user.public_name,
            "enrolled_at": e.enrolled_at,
            "last_activity_at": e.last_activity_at,
            "lessons_done": lessons_done.get(e.user_id, 0),
            "progress": e.progress_percent,
            "quiz_score": scores.get((e.user_id, course.translation_key)),
            "completed_at": e.completed_at,
        }
        for e in enrollments
    ]
    enrolled = len(rows)
    completed = sum(1 for r in rows if r["completed_at"])
    quiz_scores = [r["quiz_score"] for r in rows if r["quiz_score"] is not None]
    return {
        "lessons_total": len(structure.lesson_keys),
        "enrolled": enrolled,
        "active": sum(1 for r in rows if r["last_activity_at"] >= since),
        "completed": completed,
        "completion_rate": round(100 * completed / enrolled) if enrolled else 0,
        "quiz_takers": len(quiz_scores),
        "score_chart": bar_chart(title=_("Learners by best quiz score (%)"), values=_bucket_counts(quiz_scores)),
        "progress_chart": bar_chart(
            title=_("Learners by progress (%)"), values=_bucket_counts([r["progress"] for r in rows])
        ),
        "rows": rows,
    }


def trainer_course_summaries(*, user) -> list[dict]:
    """The trainer's courses with enrolment, completion and pending-review counts (three queries)."""
    course_ids = services.trainer_course_ids(user=user)
    if not course_ids:
        return []
    courses = list(CoursePage.objects.filter(pk__in=course_ids).select_related("locale", "track").order_by("path"))
    counts = {
        row["course_id"]: row
        for row in Enrollment.objects.filter(course_id__in=course_ids)
        .values("course_id")
        .annotate(enrolled=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
    }
    pending = dict(
        AssignmentSubmission.objects.filter(course_id__in=course_ids, status=SubmissionStatus.SUBMITTED)
        .values("course_id")
        .annotate(n=Count("id"))
        .values_list("course_id", "n")
    )
    return [
        {
            "course": course,
            "enrolled": counts.get(course.pk, {}).get("enrolled", 0),
            "completed": counts.get(course.pk, {}).get("completed", 0),
            "pending": pending.get(course.pk, 0),
        }
        for course in courses
    ]


def review_queue(*, course_ids: list[int]) -> list[AssignmentSubmission]:
    """Submissions waiting for a review, oldest first (one query)."""
    return list(
        AssignmentSubmission.objects.filter(course_id__in=course_ids, status=SubmissionStatus.SUBMITTED)
        .select_related("user", "lesson", "course")
        .order_by("submitted_at")[:REVIEW_QUEUE_LIMIT]
    )

"""Bulk reads for pages and for the apps above courses (certificates). Each runs a fixed number of queries,
whatever the number of users, courses or lessons."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Max

from lms.lookups import kept
from lms.rows import RowReader

from .models import (
    AssignmentSubmission,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    SubmissionStatus,
)


def live_lessons(course: CoursePage) -> list[dict]:
    """The course's live lessons in order (pk, title, slug), kept until a page is published, unpublished or moved
    (lms/lookups.py): every lesson and course page shows them."""
    return kept(
        f"courses:live-lessons:{course.pk}",
        lambda: list(LessonPage.objects.live().child_of(course).order_by("path").values("pk", "title", "slug")),
    )


_quote = connection.ops.quote_name
_ENROLLMENT = RowReader(Enrollment)


def _users_rows_in_lesson(model) -> str:
    """EXISTS: the user has a row of `model` in the lesson (two parameters: user, lesson)."""
    table = _quote(model._meta.db_table)
    return f"EXISTS (SELECT 1 FROM {table} WHERE {_quote('user_id')} = %s AND {_quote('lesson_id')} = %s)"  # noqa: S608 (names from the models)


_ENROLLMENT_IN_LESSON_SQL = _ENROLLMENT.select(
    f"{_quote('user_id')} = %s AND {_quote('course_id')} = %s",
    extra=f"{_users_rows_in_lesson(LessonProgress)}, "
    f"{_users_rows_in_lesson(QuizAttempt)} OR {_users_rows_in_lesson(AssignmentSubmission)}",
)


def enrollment_in_lesson(*, user_id: int, course_id: int, lesson_id: int) -> Enrollment | None:
    """The user's enrolment in the course, with `lesson_done` (the lesson is completed) and `lesson_started` (the
    user has a quiz attempt or a submission in it), in one query.

    Every lesson request runs it, the kept ones too (it checks access and gives the kept page's key), so the query
    is written out: built with the ORM (an annotated Exists) it was the costliest part of a kept lesson, 0.6 of
    its 2.6 ms above the signed-in floor in process (bench/README.md)."""
    params = [user_id, lesson_id] * 3 + [user_id, course_id]  # the EXISTS columns', then the WHERE's
    enrollment = _ENROLLMENT.fetch_one(_ENROLLMENT_IN_LESSON_SQL, params, extra=["lesson_done", "lesson_started"])
    if enrollment is not None:  # SQLite answers 0 or 1
        enrollment.lesson_done, enrollment.lesson_started = (
            bool(enrollment.lesson_done),
            bool(enrollment.lesson_started),
        )
    return enrollment


@dataclass(frozen=True)
class CourseCompletion:
    course_id: int  # CoursePage pk
    course_key: uuid.UUID  # translation_key: the same course in every language
    course_title: str
    completed_at: datetime
    quiz_score: float | None  # mean over the course's quizzes of the best score (0-100); None without quizzes


@dataclass(frozen=True)
class ApprovedAssignment:
    submission_id: int
    course_id: int
    course_key: uuid.UUID
    course_title: str
    lesson_id: int
    approved_at: datetime


def _for_users(queryset, user_ids: Iterable[int] | None):
    return queryset if user_ids is None else queryset.filter(user_id__in=list(user_ids))


def best_quiz_scores(*, user_ids: Iterable[int] | None = None, course_ids: Iterable[int] | None = None) -> dict:
    """{(user id, course id): mean of the best score per quiz}, in one query."""
    attempts = _for_users(QuizAttempt.objects.all(), user_ids)
    if course_ids is not None:
        attempts = attempts.filter(course_id__in=list(course_ids))
    best = attempts.values("user_id", "course_id", "lesson_id", "quiz_key").annotate(best=Max("score"))
    scores: dict[tuple[int, int], list[float]] = defaultdict(list)
    for row in best:
        scores[(row["user_id"], row["course_id"])].append(row["best"])
    return {key: round(sum(values) / len(values), 1) for key, values in scores.items()}


def course_completions(*, user_ids: Iterable[int] | None = None) -> dict[int, list[CourseCompletion]]:
    """Completed courses by user id (two queries). A completed course has every quiz passed, so the mean of
    the best scores over the attempted quizzes is the mean over the course's quizzes."""
    if user_ids is not None:
        user_ids = list(user_ids)
    enrollments = (
        _for_users(Enrollment.objects.filter(completed_at__isnull=False), user_ids)
        .select_related("course")
        .only("user_id", "completed_at", "course__title", "course__translation_key")
        .order_by("completed_at", "pk")
    )
    enrollments = list(enrollments)
    scores = best_quiz_scores(user_ids=user_ids, course_ids={e.course_id for e in enrollments}) if enrollments else {}
    result: dict[int, list[CourseCompletion]] = defaultdict(list)
    for enrollment in enrollments:
        result[enrollment.user_id].append(
            CourseCompletion(
                course_id=enrollment.course_id,
                course_key=enrollment.course.translation_key,
                course_title=enrollment.course.title,
                completed_at=enrollment.completed_at,
                quiz_score=scores.get((enrollment.user_id, enrollment.course_id)),
            )
        )
    return dict(result)


def approved_assignments(*, user_ids: Iterable[int] | None = None) -> dict[int, list[ApprovedAssignment]]:
    """Approved submissions by user id (one query)."""
    submissions = (
        _for_users(AssignmentSubmission.objects.filter(status=SubmissionStatus.APPROVED), user_ids)
        .select_related("course")
        .only("user_id", "lesson_id", "reviewed_at", "submitted_at", "course__title", "course__translation_key")
        .order_by("reviewed_at", "pk")
    )
    result: dict[int, list[ApprovedAssignment]] = defaultdict(list)
    for submission in submissions:
        result[submission.user_id].append(
            ApprovedAssignment(
                submission_id=submission.pk,
                course_id=submission.course_id,
                course_key=submission.course.translation_key,
                course_title=submission.course.title,
                lesson_id=submission.lesson_id,
                approved_at=submission.reviewed_at or submission.submitted_at,
            )
        )
    return dict(result)

"""The courses panel of /dashboard/: my courses with progress and resume links, assignments awaiting me,
recent activity; trainers also see their review queue count. A fixed number of queries."""

from itertools import chain

from django.db.models import F
from django.utils import translation

from lms import roles
from lms.restrictions import refused_paths, without_paths

from . import selectors, services
from .models import AssignmentSubmission, Enrollment, LessonProgress, QuizAttempt, SubmissionStatus

RECENT_ITEMS = 5


def panel_context(request) -> dict | None:
    user = request.user
    hidden = refused_paths(user)  # courses and lessons restricted to groups the person is not in (lms/restrictions.py)
    enrollments = list(
        without_paths(Enrollment.objects.filter(user=user), hidden, path_field="course__path")
        .select_related("course")
        .only(
            "course__title",
            "course__url_path",
            "course__translation_key",
            "course__locale",
            "progress_percent",
            "completed_at",
            "last_activity_at",
        )
        .order_by(F("completed_at").asc(nulls_first=True), "-last_activity_at")  # unfinished first
    )
    language = translation.get_language()
    for enrollment in enrollments:  # the course in the reader's language, wherever they enrolled
        enrollment.shown = selectors.course_in_language(enrollment.course, language, request)
    awaiting = list(
        without_paths(
            AssignmentSubmission.objects.filter(user=user, status=SubmissionStatus.CHANGES_REQUESTED),
            hidden,
            path_field="lesson__path",
        )
        .select_related("lesson")
        .only("lesson__title", "lesson__url_path", "feedback", "reviewed_at", "assignment_key")
        .order_by("-reviewed_at")
    )
    lessons = (
        without_paths(LessonProgress.objects.filter(user=user), hidden, path_field="lesson__path")
        .select_related("lesson")
        .only("lesson__title", "lesson__url_path", "completed_at")
    )
    attempts = (
        without_paths(QuizAttempt.objects.filter(user=user), hidden, path_field="lesson__path")
        .select_related("lesson")
        .only("lesson__title", "lesson__url_path", "created_at", "score", "passed")
    )
    submissions = (
        without_paths(AssignmentSubmission.objects.filter(user=user), hidden, path_field="lesson__path")
        .select_related("lesson")
        .only("lesson__title", "lesson__url_path", "submitted_at", "status")
    )
    activity = sorted(
        chain(
            (
                {"kind": "lesson", "when": p.completed_at, "lesson": p.lesson}
                for p in lessons.order_by("-completed_at")[:RECENT_ITEMS]
            ),
            (
                {"kind": "quiz", "when": a.created_at, "lesson": a.lesson, "attempt": a}
                for a in attempts.order_by("-created_at")[:RECENT_ITEMS]
            ),
            (
                {"kind": "assignment", "when": s.submitted_at, "lesson": s.lesson, "submission": s}
                for s in submissions.order_by("-submitted_at")[:RECENT_ITEMS]
            ),
        ),
        key=lambda item: item["when"],
        reverse=True,
    )[:RECENT_ITEMS]
    pending_reviews = None
    course_ids = services.trainer_course_ids(user=user) if roles.is_trainer(user) else []
    if course_ids:
        pending_reviews = AssignmentSubmission.objects.filter(
            course_id__in=course_ids, status=SubmissionStatus.SUBMITTED
        ).count()
    return {
        "enrollments": enrollments,
        "awaiting": awaiting,
        "activity": activity,
        "is_trainer": bool(course_ids),
        "pending_reviews": pending_reviews,
    }

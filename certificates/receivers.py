"""Receivers of the lower apps' domain signals (courses, webinars, practice). They only enqueue a re-evaluation, after
the commit, so the task reads what the sending service wrote and a rolled-back completion never issues a
certificate. Enqueueing is robust: if the task queue fails, the error is logged and the learner's action (already
committed) still succeeds; `manage.py refresh_progression` (cron) re-evaluates everyone and catches up. Changes to
what the cached ladder shows (eligibility.display_ladder) invalidate it."""

import logging
from collections.abc import Iterable

from django.db import transaction

from .tasks import progression_refresh_task

logger = logging.getLogger(__name__)


def _enqueue(user_ids: Iterable[int | None]) -> None:
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if not ids:
        return

    def enqueue_progression_refresh() -> None:
        try:
            progression_refresh_task.enqueue(user_ids=ids)
        except Exception:
            logger.exception(
                "could not enqueue the re-evaluation of users %s; manage.py refresh_progression will catch up", ids
            )

    transaction.on_commit(enqueue_progression_refresh, robust=True)


def on_course_completed(sender, *, user, course, **kwargs) -> None:
    _enqueue([user.pk])


def on_quiz_score_improved(sender, *, user, course, **kwargs) -> None:
    _enqueue([user.pk])


def on_assignment_approved(sender, *, submission, **kwargs) -> None:
    _enqueue([submission.user_id])


def on_attendance_recorded(sender, *, user, webinar, **kwargs) -> None:
    _enqueue([user.pk])


def on_webinar_ended(sender, *, webinar, presenter_ids, **kwargs) -> None:
    _enqueue(presenter_ids)


def on_record_accepted(sender, *, record, user, **kwargs) -> None:
    _enqueue([user.pk if user is not None else None])


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from courses.models import Track
    from courses.signals import assignment_approved, course_completed, quiz_score_improved
    from lms.caching import invalidate_all
    from practice.signals import record_accepted
    from webinars.signals import attendance_recorded, webinar_ended

    from .models import Level, LevelText, Requirement

    # What the cached ladder shows: levels, their requirements and translations, track names, course titles (pages
    # invalidate it themselves, lms/caching/wagtail.py).
    for model in (Level, Requirement, LevelText, Track):
        for signal in (post_save, post_delete):
            signal.connect(invalidate_all, sender=model, dispatch_uid=f"certificates.ladder.{model.__name__}")

    course_completed.connect(on_course_completed, dispatch_uid="certificates.course_completed")
    quiz_score_improved.connect(on_quiz_score_improved, dispatch_uid="certificates.quiz_score_improved")
    assignment_approved.connect(on_assignment_approved, dispatch_uid="certificates.assignment_approved")
    attendance_recorded.connect(on_attendance_recorded, dispatch_uid="certificates.attendance_recorded")
    webinar_ended.connect(on_webinar_ended, dispatch_uid="certificates.webinar_ended")
    record_accepted.connect(on_record_accepted, dispatch_uid="certificates.record_accepted")

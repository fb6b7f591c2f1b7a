"""Receivers of the lower apps' domain signals. They only enqueue a re-evaluation, after the commit, so the
task reads what the sending service wrote and a rolled-back completion never issues a certificate. Changes to
what the kept ladder shows (eligibility.display_ladder) renew it."""

from django.db import transaction

from .tasks import progression_refresh_task


def _enqueue(user_id: int | None) -> None:
    if user_id is not None:
        transaction.on_commit(lambda: progression_refresh_task.enqueue(user_id=user_id))


def on_course_completed(sender, *, user, course, **kwargs) -> None:
    _enqueue(user.pk)


def on_assignment_approved(sender, *, submission, **kwargs) -> None:
    _enqueue(submission.user_id)


def on_attendance_recorded(sender, *, user, webinar, **kwargs) -> None:
    _enqueue(user.pk)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from courses.models import Track
    from courses.signals import assignment_approved, course_completed
    from lms.lookups import renew
    from webinars.signals import attendance_recorded

    from .models import Level, LevelTranslation, Requirement

    # What the kept ladder shows: levels, their requirements and translations, track names, course titles (pages
    # renew it themselves, lms/lookups.py).
    for model in (Level, Requirement, LevelTranslation, Track):
        for signal in (post_save, post_delete):
            signal.connect(renew, sender=model, dispatch_uid=f"certificates.ladder.{model.__name__}")

    course_completed.connect(on_course_completed, dispatch_uid="certificates.course_completed")
    assignment_approved.connect(on_assignment_approved, dispatch_uid="certificates.assignment_approved")
    attendance_recorded.connect(on_attendance_recorded, dispatch_uid="certificates.attendance_recorded")

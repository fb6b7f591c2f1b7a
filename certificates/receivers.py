"""Receivers of the lower apps' domain signals. They only enqueue a re-evaluation, after the commit, so the
task reads what the sending service wrote and a rolled-back completion never issues a certificate. Changes to
what the cached ladder shows (eligibility.display_ladder) empty that cache."""

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
    from wagtail.signals import page_published, page_unpublished

    from courses.models import Track
    from courses.signals import assignment_approved, course_completed
    from webinars.signals import attendance_recorded

    from .eligibility import forget_display_ladder
    from .models import Level, LevelTranslation, Requirement

    # What the cached ladder shows: levels, their requirements and translations, track names, course titles.
    for model in (Level, Requirement, LevelTranslation, Track):
        for signal in (post_save, post_delete):
            signal.connect(forget_display_ladder, sender=model, dispatch_uid=f"certificates.ladder.{model.__name__}")
    page_published.connect(forget_display_ladder, dispatch_uid="certificates.ladder.published")
    page_unpublished.connect(forget_display_ladder, dispatch_uid="certificates.ladder.unpublished")

    course_completed.connect(on_course_completed, dispatch_uid="certificates.course_completed")
    assignment_approved.connect(on_assignment_approved, dispatch_uid="certificates.assignment_approved")
    attendance_recorded.connect(on_attendance_recorded, dispatch_uid="certificates.attendance_recorded")

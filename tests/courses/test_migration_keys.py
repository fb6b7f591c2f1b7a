"""Migrations 0006-0008 give existing records their translation keys, and a learner who had records in two languages of
one course (made before the keys) keeps one enrolment, the earliest completion of each lesson, every quiz attempt
numbered in the order made, and their approved answer."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from courses.models import AssignmentSubmission, Enrollment, LessonPage, LessonProgress, QuizAttempt
from lms.testing import make_user

from .factories import lessons_of, make_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps migration data

BEFORE, AFTER = ("courses", "0005_staff_chosen_by_admins"), ("courses", "0008_record_keys_constraints")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_records_made_in_two_languages_of_a_course_become_one_learners_record():
    english = make_course(lessons=1, title="Budgets")
    russian = make_course(lessons=1, language="ru", translation_of=english)
    (en_lesson,), (ru_lesson,) = lessons_of(english), lessons_of(russian)
    LessonPage.objects.filter(pk=ru_lesson.pk).update(translation_key=en_lesson.translation_key)
    learner, other = make_user(), make_user()
    start = timezone.now() - timedelta(days=10)

    apps = migrate(BEFORE)
    old = {name: apps.get_model("courses", name) for name in ["Enrollment", "LessonProgress", "QuizAttempt"]}
    Submission = apps.get_model("courses", "AssignmentSubmission")
    old["Enrollment"].objects.create(
        user_id=learner.pk, course_id=english.pk, enrolled_at=start, last_activity_at=start, progress_percent=40
    )
    old["Enrollment"].objects.create(
        user_id=learner.pk,
        course_id=russian.pk,
        enrolled_at=start + timedelta(days=1),
        last_activity_at=start + timedelta(days=5),
        progress_percent=100,
        completed_at=start + timedelta(days=5),
    )
    old["Enrollment"].objects.create(user_id=other.pk, course_id=russian.pk, enrolled_at=start, progress_percent=10)
    for lesson, day in ((ru_lesson, 2), (en_lesson, 3)):
        old["LessonProgress"].objects.create(
            user_id=learner.pk,
            lesson_id=lesson.pk,
            course_id=lesson.get_parent().pk,
            completed_at=start + timedelta(days=day),
        )
    for lesson, day, score in ((en_lesson, 1, 20.0), (ru_lesson, 2, 40.0), (en_lesson, 3, 90.0)):
        old["QuizAttempt"].objects.create(
            user_id=learner.pk,
            lesson_id=lesson.pk,
            course_id=lesson.get_parent().pk,
            quiz_key="quiz-1",
            number=1 if day < 3 else 2,
            score=score,
            passed=score >= 50,
            created_at=start + timedelta(days=day),
        )
    for lesson, day, status in ((en_lesson, 1, "approved"), (ru_lesson, 2, "submitted")):
        Submission.objects.create(
            user_id=learner.pk,
            lesson_id=lesson.pk,
            course_id=lesson.get_parent().pk,
            assignment_key="assignment-1",
            text=f"Answer of day {day}",
            status=status,
            submitted_at=start + timedelta(days=day),
        )

    migrate(AFTER)

    enrollment = Enrollment.objects.get(user=learner)  # one, the earliest, with the most advanced state
    assert (enrollment.course_id, enrollment.course_key) == (english.pk, english.translation_key)
    assert enrollment.enrolled_at == start and enrollment.progress_percent == 100
    assert enrollment.completed_at == enrollment.last_activity_at == start + timedelta(days=5)
    assert Enrollment.objects.get(user=other).course_key == english.translation_key  # keys backfilled
    progress = LessonProgress.objects.get(user=learner)
    assert (progress.lesson_id, progress.lesson_key) == (ru_lesson.pk, en_lesson.translation_key)
    attempts = QuizAttempt.objects.filter(user=learner).order_by("number")
    assert [(a.number, a.score) for a in attempts] == [(1, 20.0), (2, 40.0), (3, 90.0)]
    assert AssignmentSubmission.objects.get(user=learner).text == "Answer of day 1"  # the approved answer

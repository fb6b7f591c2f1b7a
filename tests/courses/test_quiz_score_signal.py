"""A better quiz score after the course was completed is announced (courses.signals.quiz_score_improved): a
"course completed with a minimum quiz score" requirement reads the best score."""

import pytest

from courses import services, signals

from .factories import lessons_of, make_course, quiz_block, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

HALF_RIGHT = {"q0": ["q0-c0"], "q1": ["q1-c2"]}


@pytest.fixture
def received():
    calls = []

    def on_improved(sender, *, user, course, lesson, quiz_key, score, **kwargs):
        calls.append(("improved", user.pk, course.pk, lesson.pk, quiz_key, score))

    def on_completed(sender, *, user, course, **kwargs):
        calls.append(("completed", user.pk, course.pk))

    signals.quiz_score_improved.connect(on_improved, dispatch_uid="tests.on_improved")
    signals.course_completed.connect(on_completed, dispatch_uid="tests.on_completed")
    yield calls
    signals.quiz_score_improved.disconnect(dispatch_uid="tests.on_improved")
    signals.course_completed.disconnect(dispatch_uid="tests.on_completed")


def test_only_a_new_best_score_after_completion_is_announced(
    learner_course, received, django_capture_on_commit_callbacks
):
    learner, course, lesson = learner_course
    with django_capture_on_commit_callbacks(execute=True):
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=wrong_answers())  # 0%, failed
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=HALF_RIGHT)  # 50%: completes
    assert received == [("completed", learner.pk, course.pk)]  # before completion, course_completed carries it
    received.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=right_answers())  # 100%
    assert received == []  # not before commit
    for callback in callbacks:
        callback()
    assert received == [("improved", learner.pk, course.pk, lesson.pk, "quiz-1", 100.0)]


def test_a_lower_or_equal_score_after_completion_is_not_announced(
    learner_course, received, django_capture_on_commit_callbacks
):
    learner, course, lesson = learner_course
    with django_capture_on_commit_callbacks(execute=True):
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=HALF_RIGHT)
    assert received == [("completed", learner.pk, course.pk)]
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=wrong_answers())
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=HALF_RIGHT)
    assert received == []


@pytest.fixture
def learner_course():
    from lms.testing import make_user

    learner = make_user()
    course = make_course(lessons=1, quiz=quiz_block(pass_mark=50, max_attempts=5))
    (lesson,) = lessons_of(course)
    services.enrollment_create(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=lesson)
    return learner, course, lesson

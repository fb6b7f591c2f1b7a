"""Selectors used by certificates: course completions with quiz scores, approved assignments; fixed queries."""

import uuid

import pytest

from courses import selectors, services
from courses.models import Enrollment
from lms import roles
from lms.testing import make_user

from .factories import assignment_block, complete_everything, lessons_of, make_course, quiz_block, wrong_answers

pytestmark = pytest.mark.django_db


def test_course_completions_carry_key_title_date_and_mean_best_quiz_score():
    trainer = make_user(role=roles.TRAINERS)
    learner, other = make_user(), make_user()
    course = make_course(lessons=2, quiz=quiz_block(max_attempts=3), assignment=assignment_block(), trainers=[trainer])
    last = lessons_of(course)[-1]
    services.enrollment_create(user=learner, course=course)
    services.quiz_submit(user=learner, lesson=last, quiz_key="quiz-1", answers=wrong_answers())  # 0 %
    complete_everything(user=learner, course=course, trainer=trainer)  # then 100 %: the best counts
    services.enrollment_create(user=other, course=course)  # enrolled, not complete

    result = selectors.course_completions()
    assert list(result) == [learner.pk]
    (completion,) = result[learner.pk]
    assert completion.course_id == course.pk
    assert isinstance(completion.course_key, uuid.UUID) and completion.course_key == course.translation_key
    assert completion.course_title == course.title
    assert completion.completed_at == Enrollment.objects.get(user=learner).completed_at
    assert completion.quiz_score == 100.0


def test_course_without_quiz_has_no_quiz_score_and_user_ids_filter():
    a, b = make_user(), make_user()
    course = make_course(lessons=1)
    complete_everything(user=a, course=course)
    complete_everything(user=b, course=course)
    assert selectors.course_completions(user_ids=[a.pk])[a.pk][0].quiz_score is None
    assert set(selectors.course_completions(user_ids=[a.pk])) == {a.pk}
    assert selectors.course_completions(user_ids=[]) == {}


def test_approved_assignments_list_only_approved_submissions():
    trainer = make_user(role=roles.TRAINERS)
    learner = make_user()
    course = make_course(lessons=1, assignment=assignment_block(), trainers=[trainer])
    services.enrollment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    submission = services.assignment_submit(user=learner, lesson=lesson, assignment_key="assignment-1", text="x")
    assert selectors.approved_assignments() == {}
    services.assignment_review(reviewer=trainer, submission=submission, approve=True)
    (approved,) = selectors.approved_assignments(user_ids=[learner.pk])[learner.pk]
    assert approved.submission_id == submission.pk
    assert (approved.course_id, approved.course_key, approved.lesson_id) == (
        course.pk,
        course.translation_key,
        lesson.pk,
    )
    assert approved.approved_at is not None


@pytest.mark.parametrize("learners", [1, 60])
def test_selectors_run_a_fixed_number_of_queries(django_assert_max_num_queries, learners):
    trainer = make_user(role=roles.TRAINERS)
    course = make_course(lessons=1, quiz=quiz_block(), assignment=assignment_block(), trainers=[trainer])
    for _ in range(learners):
        complete_everything(user=make_user(), course=course, trainer=trainer)
    with django_assert_max_num_queries(2):
        assert len(selectors.course_completions()) == learners
    with django_assert_max_num_queries(1):
        assert len(selectors.approved_assignments()) == learners

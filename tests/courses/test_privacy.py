"""Download my data includes progress, attempts and submissions; Delete my account removes them and the files."""

import json

import pytest
from django.urls import reverse

from courses import services
from courses.models import AssignmentSubmission, Enrollment, LessonProgress, QuizAttempt
from lms import roles
from lms.testing import PASSWORD, make_user

from .factories import assignment_block, lessons_of, make_course, pdf_upload, quiz_block, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_with_records(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path  # where assignment files are stored (courses/storage.py)
    trainer = make_user(role=roles.TRAINERS)
    learner = make_user()
    other = make_user()
    course = make_course(lessons=2, quiz=quiz_block(), assignment=assignment_block(), trainers=[trainer])
    first, last = lessons_of(course)
    for user in (learner, other):
        services.enrollment_create(user=user, course=course)
        services.lesson_complete(user=user, lesson=first)
        services.quiz_submit(user=user, lesson=last, quiz_key="quiz-1", answers=right_answers())
        services.assignment_submit(
            user=user,
            lesson=first,
            assignment_key="assignment-1",
            text=f"answer of {user.username}",
            upload=pdf_upload(),
        )
    return learner, other, course, tmp_path


def test_export_contains_my_course_records_only(client, learner_with_records):
    learner, other, course, _ = learner_with_records
    client.force_login(learner)
    data = json.loads(client.get(reverse("account_export")).content)["courses"]
    assert data["enrollments"][0]["course"] == course.title
    assert len(data["lessons_completed"]) == 1
    assert data["quiz_attempts"][0]["score"] == 100.0
    assert data["assignment_submissions"][0]["text"] == f"answer of {learner.username}"
    assert data["assignment_submissions"][0]["file_name"] == "goal.pdf"
    assert f"answer of {other.username}" not in json.dumps(data)


def test_delete_account_removes_records_and_uploaded_files(
    client, learner_with_records, django_capture_on_commit_callbacks
):
    learner, other, _course, media = learner_with_records
    mine = AssignmentSubmission.objects.get(user=learner).file.name
    theirs = AssignmentSubmission.objects.get(user=other).file.name
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    for model in (Enrollment, LessonProgress, QuizAttempt, AssignmentSubmission):
        assert not model.objects.filter(user_id=learner.pk).exists()
        assert model.objects.filter(user=other).exists()
    assert not (media / mine).exists()
    assert (media / theirs).exists()


def test_deleting_a_trainer_keeps_their_reviews_without_their_name(learner_with_records):
    _learner, other, course, _ = learner_with_records
    trainer = course.trainers.get()
    submission = AssignmentSubmission.objects.get(user=other)
    services.assignment_review(reviewer=trainer, submission=submission, approve=True)
    services.privacy_erase(trainer)
    submission.refresh_from_db()
    assert submission.status == "approved" and submission.reviewer is None
    assert not type(course).objects.get(pk=course.pk).trainers.exists()

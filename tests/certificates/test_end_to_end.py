"""End to end with the real courses and webinars apps: their services send the domain signals, our receivers
enqueue the re-evaluation task (immediate backend), and the queue, auto-issue and verification follow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates import eligibility, services
from certificates.models import AuditEntry, Certificate, QueueEntry

from .conftest import (
    ATTENDED,
    COURSE,
    PRESENTED,
    attend,
    complete_course,
    make_course,
    make_level,
    make_track,
    make_webinar,
)

pytestmark = pytest.mark.django_db


def test_completing_either_language_version_counts(site, learner, django_capture_on_commit_callbacks):
    english = make_course(site, title="Budget advocacy")
    russian = make_course(site, title="Бюджетная адвокация", language="ru", translation_of=english)
    level = make_level(requirements=[{"kind": COURSE, "course_page": english}])
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, russian)
    progress = eligibility.evaluate_user(learner).for_level(level.pk)
    assert progress.complete
    assert progress.requirements[0].evidence[0].title == "Бюджетная адвокация"
    # The receiver put the learner in the queue through the task.
    assert QueueEntry.objects.filter(user=learner, level=level, status="pending").exists()


def test_attendance_and_auto_issue_through_the_signals(site, learner, django_capture_on_commit_callbacks):
    track = make_track()
    level = make_level(
        requires_approval=False,
        requirements=[{"kind": ATTENDED, "count": 2, "min_share_percent": 75, "track": track}],
    )
    first = make_webinar(site, title="Reading a budget", track=track)
    second = make_webinar(site, title="Setting targets", track=track)
    short = make_webinar(site, title="Short visit", track=track)
    with django_capture_on_commit_callbacks(execute=True):
        attend(learner, first, minutes=58)
        attend(learner, short, minutes=10)
    item = eligibility.evaluate_user(learner).for_level(level.pk).requirements[0]
    assert (item.done, item.needed) == (1, 2)
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        attend(learner, second, minutes=59)
    certificate = Certificate.objects.get(holder=learner, level=level)
    assert certificate.issued_by is None
    assert AuditEntry.objects.get(certificate=certificate).action == "auto_issue"
    assert [e["title"] for e in certificate.evidence[0]["evidence"]] == ["Reading a budget", "Setting targets"]


def test_presented_webinars_count_once_they_are_over(site, django_capture_on_commit_callbacks):
    from lms.testing import make_user

    trainer = make_user(role="Trainers")
    level = make_level(requirements=[{"kind": PRESENTED, "count": 1}])
    start = timezone.now() - timedelta(hours=3)
    make_webinar(site, title="Training of trainers", start=start, minutes=90, presenters=[trainer])
    progress = eligibility.evaluate_user(trainer).for_level(level.pk)
    assert progress.complete and progress.requirements[0].evidence[0].title == "Training of trainers"


def test_the_demo_flow(site, learner, certifier, client, django_capture_on_commit_callbacks):
    """Progress, queue, issue, PDF link, valid, revoked: the issue's "done when" in one test."""
    course = make_course(site)
    level = make_level(name="Community Advocate", requirements=[{"kind": COURSE, "course_page": course}])
    client.force_login(learner)
    assert "0 of 1" in client.get("/certificates/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    assert "1 of 1" in client.get("/certificates/").content.decode()
    entry = QueueEntry.objects.get(user=learner, level=level)
    client.force_login(certifier)
    client.post(f"/admin/certification/{entry.pk}/issue/")
    certificate = Certificate.objects.get(holder=learner)
    assert "Valid" in client.get(f"/verify/{certificate.verification_code}/").content.decode()
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Test")
    assert "Revoked" in client.get(f"/verify/{certificate.verification_code}/").content.decode()


def test_an_approved_assignment_queues_the_learner(site, learner, django_capture_on_commit_callbacks):
    from courses import services as course_services
    from courses.models import LessonPage
    from lms.testing import make_user

    from .conftest import ASSIGNMENT

    trainer = make_user(role="Trainers")
    course = make_course(site, lessons=0)
    course.trainers.add(trainer)
    course.save_revision().publish()
    assignment = {"title": "Your goal", "prompt": "<p>Write it.</p>", "required": True, "allow_file": False}
    lesson = course.add_child(
        instance=LessonPage(
            title="Goal",
            slug="goal",
            body=[{"type": "assignment", "value": assignment, "id": "a1b2c3d4-0000-4000-8000-000000000001"}],
        )
    )
    level = make_level(requirements=[{"kind": ASSIGNMENT, "count": 1, "course_page": course}])
    course_services.enrollment_create(user=learner, course=course)
    submission = course_services.assignment_submit(
        user=learner,
        lesson=lesson,
        assignment_key="a1b2c3d4-0000-4000-8000-000000000001",
        text="Naloxone in pharmacies",
    )
    assert not QueueEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        course_services.assignment_review(reviewer=trainer, submission=submission, approve=True)
    assert QueueEntry.objects.filter(user=learner, level=level).exists()

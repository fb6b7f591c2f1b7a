"""When progress is re-evaluated: every change that can make someone eligible reaches the certifiers' queue (the
crashed worker's closed attendance, a presented webinar that ended, a better quiz score after completion), a
failing re-evaluation never breaks the learner's action, and `manage.py refresh_progression` catches up."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend

from certificates.models import AuditEntry, Certificate, QueueEntry
from courses import services as course_services
from courses.models import Enrollment, LessonPage, LessonProgress
from courses.signals import course_completed
from lms.testing import make_user
from tests.courses.factories import make_course as make_quiz_course
from tests.courses.factories import quiz_block, right_answers
from webinars import services as webinar_services
from webinars.models import Attendance, RoomWorker

from .conftest import ATTENDED, COURSE, PRACTICE, PRESENTED, complete_course, make_course, make_level, make_webinar

pytestmark = pytest.mark.django_db


def pending(user, level) -> bool:
    return QueueEntry.objects.filter(user=user, level=level, status=QueueEntry.Status.PENDING).exists()


# --- 1. A crashed worker's open intervals -------------------------------------------------------------------------


def _attending_on_a_worker_that_crashes(learner, webinar, *, name: str) -> RoomWorker:
    """The learner joined 58 minutes ago through a room worker whose last heartbeat was 2 minutes ago."""
    worker = webinar_services.worker_register(name=name)
    interval = webinar_services.attendance_open(user=learner, webinar=webinar, worker=worker)
    Attendance.objects.filter(pk=interval.pk).update(connected_at=timezone.now() - timedelta(minutes=58))
    RoomWorker.objects.filter(pk=worker.pk).update(last_seen=timezone.now() - timedelta(minutes=2))
    return worker


def test_attendance_closed_for_a_crashed_worker_puts_the_learner_in_the_queue(
    site, learner, django_capture_on_commit_callbacks
):
    level = make_level(requirements=[{"kind": ATTENDED, "count": 1, "min_share_percent": 75}])
    webinar = make_webinar(site, title="Reading a budget")
    _attending_on_a_worker_that_crashes(learner, webinar, name="host:crashed")
    assert not pending(learner, level)
    with django_capture_on_commit_callbacks(execute=True):
        assert webinar_services.attendance_close_stale() == 1
    assert pending(learner, level)
    entry = QueueEntry.objects.get(user=learner, level=level)
    assert entry.eligible_since is not None


def test_a_restarted_worker_closes_the_attendance_and_the_learner_gets_the_automatic_level(
    site, learner, django_capture_on_commit_callbacks
):
    level = make_level(requires_approval=False, requirements=[{"kind": ATTENDED, "count": 1, "min_share_percent": 75}])
    webinar = make_webinar(site, title="Setting targets")
    _attending_on_a_worker_that_crashes(learner, webinar, name="host:1")
    with django_capture_on_commit_callbacks(execute=True):
        webinar_services.worker_register(name="host:1")  # the same process name starts again
    certificate = Certificate.objects.get(holder=learner, level=level)
    assert certificate.evidence[0]["evidence"][0]["title"] == "Setting targets"


# --- 2. A presented webinar ends ----------------------------------------------------------------------------------


def test_a_presenter_whose_webinar_ended_is_queued_by_the_ended_webinars_run(site, django_capture_on_commit_callbacks):
    presenter = make_user(display_name="Dana")
    still_running = make_user(display_name="Erlan")
    level = make_level(requirements=[{"kind": PRESENTED, "count": 1}])
    now = timezone.now()
    make_webinar(site, title="Ended", start=now - timedelta(minutes=63), minutes=60, presenters=[presenter])
    make_webinar(site, title="Running", start=now - timedelta(minutes=30), minutes=60, presenters=[still_running])
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_progression", "--webinars-ended-within", "10", stdout=out)
    assert pending(presenter, level)
    assert not pending(still_running, level)
    assert (
        out.getvalue().strip()
        == "1 webinar(s) ended in the last 10 minute(s): re-evaluation of 1 presenter(s) enqueued."
    )


def test_the_full_refresh_catches_a_webinar_that_ended_long_ago(site, django_capture_on_commit_callbacks):
    presenter = make_user(display_name="Dana")
    level = make_level(requirements=[{"kind": PRESENTED, "count": 1}])
    make_webinar(site, title="Last month", start=timezone.now() - timedelta(days=30), presenters=[presenter])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_progression", "--webinars-ended-within", "10", stdout=StringIO())
    assert not pending(presenter, level)  # outside the window
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_progression", stdout=StringIO())
    assert pending(presenter, level)


# --- 3. A better quiz score after completion ----------------------------------------------------------------------


def test_a_better_quiz_score_after_completion_makes_the_minimum_score_level_eligible(
    learner, django_capture_on_commit_callbacks
):
    course = make_quiz_course(lessons=1, quiz=quiz_block(pass_mark=50, max_attempts=3))
    level = make_level(requirements=[{"kind": COURSE, "course_page": course, "min_quiz_score": 90}])
    lesson = LessonPage.objects.live().child_of(course).get()
    half_right = {"q0": ["q0-c0"], "q1": ["q1-c2"]}
    with django_capture_on_commit_callbacks(execute=True):
        course_services.enrollment_create(user=learner, course=course)
        course_services.lesson_complete(user=learner, lesson=lesson)
        attempt = course_services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=half_right)
    assert attempt.passed and attempt.score == 50
    assert Enrollment.objects.get(user=learner, course=course).completed_at is not None
    assert not pending(learner, level)  # completed, but with 50%
    with django_capture_on_commit_callbacks(execute=True):
        course_services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=right_answers())
    assert pending(learner, level)


# --- 4. A failing re-evaluation never breaks the learner's action --------------------------------------------------


class UnavailableQueue(BaseTaskBackend):
    """A task queue that cannot take jobs (its database or broker is down)."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("the task queue is unavailable")


@pytest.fixture
def course_to_finish(site, learner, client):
    """A one-lesson course the learner is enrolled in and signed in for, and a level that needs it."""
    course = make_course(site, title="Budget basics")
    level = make_level(requirements=[{"kind": COURSE, "course_page": course}])
    course_services.enrollment_create(user=learner, course=course)
    client.force_login(learner)
    return course, level, LessonPage.objects.live().child_of(course).get()


def _finish(client, lesson):
    return client.post(reverse("courses:lesson_complete", args=[lesson.pk]))


def _completed(learner, course) -> bool:
    return (
        LessonProgress.objects.filter(user=learner, course=course).exists()
        and Enrollment.objects.get(user=learner, course=course).completed_at is not None
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits run the on-commit code
def test_an_unavailable_task_queue_does_not_fail_the_lesson_completion(
    course_to_finish, learner, client, settings, caplog
):
    course, _level, lesson = course_to_finish
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.UnavailableQueue"}}
    with caplog.at_level(logging.ERROR):
        response = _finish(client, lesson)
    assert response.status_code == 302
    assert _completed(learner, course)
    assert not QueueEntry.objects.exists()  # not re-evaluated: the nightly refresh_progression catches up
    assert any(
        r.name == "certificates.receivers" and "refresh_progression" in r.getMessage() and r.exc_info
        for r in caplog.records
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refresh_that_raises_does_not_fail_the_lesson_completion(
    course_to_finish, learner, client, monkeypatch, caplog
):
    course, _level, lesson = course_to_finish

    def broken_refresh(**kwargs):
        raise RuntimeError("evaluation failed")

    monkeypatch.setattr("certificates.services.progression_refresh", broken_refresh)
    with caplog.at_level(logging.ERROR):
        response = _finish(client, lesson)
    assert response.status_code == 302
    assert _completed(learner, course)
    assert any(r.levelno >= logging.ERROR and r.exc_info for r in caplog.records)  # the failure is logged


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broken_listener_neither_fails_the_completion_nor_stops_the_certificates_one(
    course_to_finish, learner, client, caplog
):
    course, level, lesson = course_to_finish

    def broken_listener(sender, **kwargs):
        raise RuntimeError("another app's listener failed")

    course_completed.connect(broken_listener, dispatch_uid="tests.broken_listener")
    try:
        with caplog.at_level(logging.ERROR):
            response = _finish(client, lesson)
    finally:
        course_completed.disconnect(dispatch_uid="tests.broken_listener")
    assert response.status_code == 302
    assert _completed(learner, course)
    assert pending(learner, level)
    assert any("broken_listener" in r.getMessage() for r in caplog.records)


# --- The command ----------------------------------------------------------------------------------------------------


def test_refresh_progression_catches_up_and_says_what_it_did(site, learner, certifier):
    """On-commit code does not run in this test (as if every signal's enqueue had been lost): the command alone
    brings the queue and the automatic level up to date."""
    course = make_course(site, title="Budget basics")
    queued = make_level(requirements=[{"kind": COURSE, "course_page": course}])
    automatic = make_level(requires_approval=False, requirements=[{"kind": COURSE, "course_page": course}])
    complete_course(learner, course)
    assert not QueueEntry.objects.exists() and not Certificate.objects.exists()
    users = get_user_model().objects.filter(is_active=True).count()
    out = StringIO()
    call_command("refresh_progression", stdout=out)
    assert pending(learner, queued)
    assert Certificate.objects.filter(holder=learner, level=automatic, issued_by=None).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.AUTO_ISSUE).count() == 1
    assert out.getvalue().strip() == (
        f"Evaluated {users} user(s): 1 added to the certifiers' queue, 1 certificate(s) issued automatically."
    )
    out = StringIO()
    call_command("refresh_progression", stdout=out)  # nothing new: nothing added, nothing issued twice
    assert out.getvalue().strip() == (
        f"Evaluated {users} user(s): 0 added to the certifiers' queue, 0 certificate(s) issued automatically."
    )
    assert Certificate.objects.count() == 1


# --- Field practice -----------------------------------------------------------------------------------------------


def test_an_accepted_case_record_puts_the_author_in_the_queue(learner, django_capture_on_commit_callbacks):
    """The real selector counts accepted records of the course (any language version); `record_accepted`, sent by
    practice's accept service after commit, re-evaluates the author."""
    from practice.models import CaseRecord, RecordStatus
    from practice.signals import record_accepted
    from tests.practice.network_factories import accepted_cases, make_practice

    practice = make_practice()
    other_course = make_practice()
    level = make_level(
        requirements=[{"kind": PRACTICE, "record_kind": "cases", "count": 2, "course_page": practice.course_page}]
    )
    accepted_cases(practice, 1, author=learner)
    accepted_cases(other_course, 3, author=learner)  # another course's practice does not count
    accepted_cases(practice, 2, author=learner, status=RecordStatus.SUBMITTED)  # not accepted yet
    (record,) = accepted_cases(practice, 1, author=learner)
    assert not pending(learner, level)
    with django_capture_on_commit_callbacks(execute=True):
        record_accepted.send_robust(sender=CaseRecord, record=record, user=learner)
    assert pending(learner, level)
    response_progress = eligibility_progress(learner, level)
    assert (response_progress.done, response_progress.needed) == (2, 2)


def eligibility_progress(user, level):
    from certificates.eligibility import evaluate_user

    return evaluate_user(user).for_level(level.pk).requirements[0]

"""The webinars services announce what the apps above count: attendance closed for a crashed worker, and
presented webinars that ended (webinars.signals)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.testing import make_user
from webinars import services
from webinars.models import Attendance, RoomWorker
from webinars.signals import attendance_recorded, webinar_ended

from .factories import make_trainer, make_webinar

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def on_attendance(sender, *, user, webinar, **kwargs):
        calls.append(("attendance", user.pk, webinar.pk))

    def on_ended(sender, *, webinar, presenter_ids, **kwargs):
        calls.append(("ended", webinar.pk, presenter_ids))

    attendance_recorded.connect(on_attendance, dispatch_uid="tests.on_attendance")
    webinar_ended.connect(on_ended, dispatch_uid="tests.on_ended")
    yield calls
    attendance_recorded.disconnect(dispatch_uid="tests.on_attendance")
    webinar_ended.disconnect(dispatch_uid="tests.on_ended")


def test_closing_a_crashed_workers_intervals_sends_attendance_recorded_once_per_person_after_commit(
    received, django_capture_on_commit_callbacks
):
    webinar, other_webinar = make_webinar(), make_webinar()
    learner, other = make_user(), make_user()
    crashed = services.worker_register(name="host:crashed")
    for user, room in ((learner, webinar), (learner, webinar), (other, webinar), (learner, other_webinar)):
        services.attendance_open(user=user, webinar=room, worker=crashed)  # the learner has two tabs in one room
    last_seen = timezone.now() - timedelta(minutes=3)
    RoomWorker.objects.filter(pk=crashed.pk).update(last_seen=last_seen)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.attendance_close_stale() == 4
    assert received == []  # not before commit
    for callback in callbacks:
        callback()
    assert sorted(received) == sorted(
        [
            ("attendance", learner.pk, webinar.pk),
            ("attendance", other.pk, webinar.pk),
            ("attendance", learner.pk, other_webinar.pk),
        ]
    )
    assert set(Attendance.objects.values_list("disconnected_at", flat=True)) == {last_seen}


def test_a_restarted_worker_announces_the_intervals_it_closes(received, django_capture_on_commit_callbacks):
    webinar, learner = make_webinar(), make_user()
    crashed = services.worker_register(name="host:1")
    services.attendance_open(user=learner, webinar=webinar, worker=crashed)
    with django_capture_on_commit_callbacks(execute=True):
        services.worker_register(name="host:1")
    assert received == [("attendance", learner.pk, webinar.pk)]
    assert not Attendance.objects.filter(disconnected_at__isnull=True).exists()


def test_nothing_to_close_announces_nothing(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.worker_register(name="host:quiet")
        assert services.attendance_close_stale() == 0
    assert received == [] and callbacks == []


def test_webinars_ended_announce_sends_each_presented_webinar_that_ended_in_the_window(received):
    dana, erlan = make_trainer(), make_trainer()
    now = timezone.now()
    ended = make_webinar(presenters=[dana, erlan], starts_in=timedelta(minutes=-65), minutes=60)
    make_webinar(presenters=[dana], starts_in=timedelta(minutes=-30), minutes=60)  # still running
    make_webinar(presenters=[dana], starts_in=timedelta(days=-2), minutes=60)  # ended before the window
    make_webinar(starts_in=timedelta(minutes=-62), minutes=60)  # no presenters: nobody to re-evaluate
    unpublished = make_webinar(presenters=[erlan], starts_in=timedelta(minutes=-63), minutes=60)
    unpublished.unpublish()
    announced = services.webinars_ended_announce(since=now - timedelta(minutes=10), now=now)
    assert [(webinar.pk, ids) for webinar, ids in announced] == [(ended.pk, sorted([dana.pk, erlan.pk]))]
    assert received == [("ended", ended.pk, sorted([dana.pk, erlan.pk]))]

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from lms.testing import make_user
from webinars import selectors, services
from webinars.dashboard import panel_context
from webinars.models import Attendance
from webinars.selectors import union_seconds
from webinars.transcript import transcript_rows

from .factories import make_trainer, make_webinar

pytestmark = pytest.mark.django_db


def _at(minutes):
    return timezone.now().replace(microsecond=0) + timedelta(minutes=minutes)


def test_union_counts_overlapping_tabs_once_and_clips_to_the_webinar():
    start, end = _at(0), _at(60)
    intervals = [(_at(-10), _at(20)), (_at(10), _at(30)), (_at(50), _at(90))]
    assert union_seconds(intervals, start=start, end=end) == (30 + 10) * 60
    assert union_seconds([], start=start, end=end) == 0


def test_webinar_attendance_minutes_and_share():
    trainer = make_trainer()
    webinar = make_webinar(presenters=[trainer], starts_in=timedelta(minutes=-120), minutes=60)
    upcoming = make_webinar(presenters=[trainer], starts_in=timedelta(days=1))
    learner = make_user()
    start = webinar.start
    for a, b in ((-5, 20), (10, 30), (45, 70)):  # two tabs overlap; the last runs past the end
        Attendance.objects.create(user=learner, webinar=webinar, connected_at=start + timedelta(minutes=a),
                                  disconnected_at=start + timedelta(minutes=b))  # fmt: skip
    Attendance.objects.create(user=learner, webinar=upcoming, connected_at=timezone.now())
    records = selectors.webinar_attendance(user_ids=[learner.pk, trainer.pk])
    assert records[trainer.pk] == []
    (record,) = records[learner.pk]
    assert record.webinar_id == webinar.pk and record.webinar_title == webinar.title
    assert record.minutes_present == pytest.approx(45)
    assert record.duration_minutes == pytest.approx(60) and record.share == pytest.approx(0.75)


def test_webinars_presented_only_ended_and_published():
    trainer = make_trainer()
    done = make_webinar(presenters=[trainer], starts_in=timedelta(days=-2))
    make_webinar(presenters=[trainer], starts_in=timedelta(days=2))
    draft = make_webinar(presenters=[trainer], starts_in=timedelta(days=-3))
    draft.unpublish()
    presented = selectors.webinars_presented(user_ids=[trainer.pk])
    assert [p.webinar_id for p in presented[trainer.pk]] == [done.pk]


def _busy(size):
    trainer = make_trainer()
    learners = [make_user() for _ in range(size)]
    webinars = [make_webinar(presenters=[trainer], starts_in=timedelta(minutes=-30 - i)) for i in range(2)]
    for webinar in webinars:
        for learner in learners:
            services.registration_create(user=learner, webinar=webinar)
            interval = services.attendance_open(user=learner, webinar=webinar)
            services.attendance_close(attendance_id=interval.pk)
            question = services.question_ask(user=learner, webinar=webinar, text="q?", anonymous=True)
            services.question_vote_toggle(user=trainer, webinar=webinar, question_id=question.pk)
        poll = services.poll_open(user=trainer, webinar=webinar, question="p?", choices=["a", "b"])
        services.poll_vote(user=learners[0], webinar=webinar, poll_id=poll.pk, choice_id=poll.choices.first().pk)
    return trainer, learners, webinars


@pytest.mark.parametrize("size", [1, 12])
def test_reads_run_a_fixed_number_of_queries(size, django_assert_max_num_queries):
    trainer, learners, webinars = _busy(size)
    ids = [u.pk for u in learners]
    with django_assert_max_num_queries(1):
        assert len(selectors.webinar_attendance(user_ids=ids)) == size
    with django_assert_max_num_queries(1):
        selectors.webinars_presented(user_ids=[trainer.pk])
    with django_assert_max_num_queries(7):
        snapshot = selectors.room_snapshot(webinar=webinars[0], user=learners[0], presenter=False)
    assert len(snapshot["questions"]) == size and snapshot["questions"][0]["author"] is None
    with django_assert_max_num_queries(3):
        transcript_rows(webinars[0])
    with django_assert_max_num_queries(1):
        selectors.attendance_report(webinar=webinars[0])
    request = RequestFactory().get("/dashboard/")
    request.user = learners[0]
    with django_assert_max_num_queries(7):  # 3 of ours + cold-cache site look-ups (the site, its specific root)
        assert len(panel_context(request)["webinars"]) == 2

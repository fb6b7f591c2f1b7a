from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from lms.services import user_export_data
from lms.testing import make_user
from webinars import privacy, services, tasks
from webinars.models import (
    Attendance,
    Poll,
    PollChoice,
    PollVote,
    Question,
    Registration,
    RoomEvent,
    Vote,
    WebinarPage,
)

from .factories import make_trainer, make_webinar

pytestmark = pytest.mark.django_db


def test_export_has_my_anonymous_questions_and_erase_keeps_them_without_a_link():
    trainer = make_trainer()
    webinar = make_webinar(presenters=[trainer])
    me = make_user(display_name="Findable Name")
    services.registration_create(user=me, webinar=webinar)
    anonymous = services.question_ask(user=me, webinar=webinar, text="Secret question", anonymous=True)
    named = services.question_ask(user=me, webinar=webinar, text="Named question")
    other = services.question_ask(user=make_user(), webinar=webinar, text="Other")
    services.question_vote_toggle(user=me, webinar=webinar, question_id=other.pk)
    poll = services.poll_open(user=trainer, webinar=webinar, question="P?", choices=["a", "b"])
    services.poll_vote(user=me, webinar=webinar, poll_id=poll.pk, choice_id=poll.choices.first().pk)
    services.attendance_open(user=me, webinar=webinar)
    data = user_export_data(user=me)["webinars"]
    assert {q["text"] for q in data["questions"]} == {"Secret question", "Named question"}
    assert len(data["question_votes"]) == 1 and len(data["poll_votes"]) == 1 and len(data["attendance"]) == 1
    privacy.erase(me)
    anonymous.refresh_from_db()
    named.refresh_from_db()
    assert anonymous.author is None and named.author is None and named.anonymous
    assert not Vote.objects.filter(user=me).exists() and not PollVote.objects.filter(user=me).exists()
    assert not Registration.objects.filter(user=me).exists() and not Attendance.objects.filter(user=me).exists()
    other.refresh_from_db()
    assert other.vote_count == 1 and PollChoice.objects.get(poll=poll, position=0).vote_count == 1  # counts stay
    assert "Findable Name" not in str(list(RoomEvent.objects.values_list("payload", "presenter_payload")))


def _registration(starts_in, registered_ago):
    webinar = make_webinar(presenters=[make_trainer()], starts_in=starts_in)
    learner = make_user(email="learner@example.org", preferred_language="ru")
    registration = services.registration_create(user=learner, webinar=webinar)
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - registered_ago)
    return registration


def test_due_reminders_are_sent_once_in_the_persons_language():
    _registration(timedelta(hours=20), timedelta(days=3))
    _registration(timedelta(minutes=50), timedelta(days=3))
    _registration(timedelta(minutes=50), timedelta(minutes=5))  # registered inside the hour: no reminder
    _registration(timedelta(days=3), timedelta(days=1))  # not due yet
    mail.outbox.clear()
    assert tasks.send_due_reminders.call() == 3  # 24 h for the first; 24 h and 1 h for the second
    assert len(mail.outbox) == 3
    assert all(m.to == ["learner@example.org"] for m in mail.outbox)
    assert tasks.send_due_reminders.call() == 0


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_reminders_are_enqueued_for_later_with_a_deferring_backend():
    from django_tasks import default_task_backend

    registration = _registration(timedelta(days=2), timedelta(0))
    default_task_backend.clear()
    tasks.schedule_reminders(registration_id=registration.pk)
    assert sorted(r.task.run_after for r in default_task_backend.results) == [
        registration.webinar.start - timedelta(hours=24),
        registration.webinar.start - timedelta(hours=1),
    ]


def test_load_demo_twice_gives_a_live_an_upcoming_and_a_past_webinar(capsys):
    call_command("load_demo")
    call_command("load_demo")
    webinars = {w.slug: w for w in WebinarPage.objects.filter(locale__language_code="en")}
    assert len(webinars) == 3
    # Each one session, its page in every language of the demo, at the same time.
    for page in webinars.values():
        versions = list(WebinarPage.objects.filter(translation_key=page.translation_key).select_related("locale"))
        assert sorted(v.locale.language_code for v in versions) == ["en", "ru", "uk"]
        assert all(v.session == page and (v.start, v.end) == (page.start, page.end) for v in versions)
    uk = WebinarPage.objects.get(slug="demo-past-advocacy-targets", locale__language_code="uk")
    assert uk.title == "Цілі та завдання адвокації" and uk.track.name != webinars[uk.slug].track.name
    assert webinars["demo-live-budget-questions"].is_live()
    assert webinars["demo-upcoming-street-lawyer"].start > timezone.now()
    past = webinars["demo-past-advocacy-targets"]
    assert past.has_ended() and Question.objects.filter(webinar=past, answered_at__isnull=False).count() == 2
    assert Poll.objects.get(webinar=past).status == Poll.Status.CLOSED
    assert past.presenters.get().username == "trainer"

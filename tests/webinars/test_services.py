from datetime import timedelta

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lms.testing import make_user
from webinars import services
from webinars.models import (
    Attendance,
    Poll,
    PollVote,
    Question,
    Registration,
    Room,
    RoomEvent,
    RoomWorker,
    Vote,
    WebinarPage,
)
from webinars.signals import attendance_recorded

from .factories import make_trainer, make_webinar

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return make_trainer()


@pytest.fixture
def webinar(trainer):
    return make_webinar(presenters=[trainer])


# -- registration ------------------------------------------------------------------------------------------------


def test_registration_respects_capacity_and_is_idempotent(trainer):
    webinar = make_webinar(presenters=[trainer], capacity=2, starts_in=timedelta(days=1))
    first, second, third = make_user(), make_user(), make_user()
    services.registration_create(user=first, webinar=webinar)
    services.registration_create(user=first, webinar=webinar)  # twice: still one seat
    services.registration_create(user=second, webinar=webinar)
    with pytest.raises(ValidationError) as error:
        services.registration_create(user=third, webinar=webinar)
    assert error.value.code == "full"
    assert Registration.objects.filter(webinar=webinar).count() == 2
    assert services.registration_cancel(user=first, webinar=webinar) is True
    services.registration_create(user=third, webinar=webinar)
    assert set(Registration.objects.values_list("user_id", flat=True)) == {second.pk, third.pk}


def test_registration_refused_after_the_webinar(trainer):
    webinar = make_webinar(presenters=[trainer], starts_in=timedelta(days=-2))
    with pytest.raises(ValidationError):
        services.registration_create(user=make_user(), webinar=webinar)
    assert not Registration.objects.exists()


def test_room_needs_registration_only_when_seats_are_limited(trainer):
    limited = make_webinar(presenters=[trainer], capacity=10)
    open_webinar = make_webinar(presenters=[trainer])
    learner = make_user()
    assert services.user_may_enter_room(user=learner, webinar=open_webinar)
    assert not services.user_may_enter_room(user=learner, webinar=limited)
    assert services.user_may_enter_room(user=trainer, webinar=limited)
    services.registration_create(user=learner, webinar=limited)
    assert services.user_may_enter_room(user=learner, webinar=limited)


# -- questions ---------------------------------------------------------------------------------------------------


def test_ask_writes_the_question_and_logs_the_event_with_the_next_seq(webinar, django_capture_on_commit_callbacks):
    learner = make_user()
    sent = []
    services.set_broadcaster(sent.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = services.question_ask(user=learner, webinar=webinar, text="What is a line item?")
            services.question_ask(user=learner, webinar=webinar, text="Second", anonymous=True)
    finally:
        services.set_broadcaster(None)
    assert [e.seq for e in sent] == [1, 2]
    assert Room.objects.get(webinar=webinar).last_seq == 2
    assert sent[0].payload["data"]["id"] == first.pk
    assert sent[0].payload["data"]["author"] == learner.public_name
    assert sent[1].payload["data"]["author"] is None
    assert first.vote_count == 0  # the asker is never auto-voted


def test_nothing_is_broadcast_when_the_transaction_rolls_back(webinar, django_capture_on_commit_callbacks):
    sent = []
    services.set_broadcaster(sent.append)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            services.question_ask(user=make_user(), webinar=webinar, text="Rolled back")
            raise RuntimeError
    finally:
        services.set_broadcaster(None)
    assert sent == []
    assert not Question.objects.exists() and not RoomEvent.objects.exists()


@pytest.mark.parametrize(
    ("text", "code"), [("", "invalid"), ("   ", "invalid"), ("x" * 501, "too_long"), (42, "invalid")]
)
def test_bad_question_text_stores_nothing(webinar, text, code):
    with pytest.raises(ValidationError) as error:
        services.question_ask(user=make_user(), webinar=webinar, text=text)
    assert error.value.code == code
    assert not Question.objects.exists() and not RoomEvent.objects.exists()


def test_question_rate_limit_per_minute(webinar):
    learner = make_user()
    for n in range(services.QUESTIONS_PER_MINUTE):
        services.question_ask(user=learner, webinar=webinar, text=f"Question {n}")
    with pytest.raises(services.RateLimited):
        services.question_ask(user=learner, webinar=webinar, text="One too many")
    assert Question.objects.count() == services.QUESTIONS_PER_MINUTE
    services.question_ask(user=make_user(), webinar=webinar, text="Someone else may still ask")


def test_same_client_id_is_stored_once(webinar):
    learner = make_user()
    a = services.question_ask(user=learner, webinar=webinar, text="Hello", client_id="abc")
    b = services.question_ask(user=learner, webinar=webinar, text="Hello", client_id="abc")
    assert a.pk == b.pk and Question.objects.count() == 1 and RoomEvent.objects.count() == 1


def test_moderated_room_hides_new_questions_from_attendees(trainer):
    webinar = make_webinar(presenters=[trainer], qa_mode=WebinarPage.QAMode.MODERATED)
    question = services.question_ask(user=make_user(), webinar=webinar, text="Pending?")
    assert question.status == Question.Status.PENDING
    event = RoomEvent.objects.get()
    assert event.payload == {"name": "noop", "data": {}}
    assert event.presenter_payload["data"]["text"] == "Pending?"
    with pytest.raises(ObjectDoesNotExist):  # attendees cannot vote on what they cannot see
        services.question_vote_toggle(user=make_user(), webinar=webinar, question_id=question.pk)
    services.question_moderate(user=trainer, webinar=webinar, question_id=question.pk, action="approve")
    assert RoomEvent.objects.order_by("seq").last().payload["data"]["status"] == "approved"


def test_vote_toggles_and_counts(webinar):
    question = services.question_ask(user=make_user(), webinar=webinar, text="Vote me")
    voter = make_user()
    question, voted = services.question_vote_toggle(user=voter, webinar=webinar, question_id=question.pk)
    assert voted and question.vote_count == 1
    question, voted = services.question_vote_toggle(user=voter, webinar=webinar, question_id=question.pk)
    assert not voted and question.vote_count == 0 and not Vote.objects.exists()


def test_votes_refused_on_dismissed_questions_and_when_turned_off(trainer):
    webinar = make_webinar(presenters=[trainer])
    question = services.question_ask(user=make_user(), webinar=webinar, text="Off topic")
    services.question_moderate(user=trainer, webinar=webinar, question_id=question.pk, action="dismiss")
    with pytest.raises(ObjectDoesNotExist):  # to attendees, as if it did not exist (no oracle of dismissed ids)
        services.question_vote_toggle(user=make_user(), webinar=webinar, question_id=question.pk)
    with pytest.raises(ValidationError):  # presenters see it: they are told why
        services.question_vote_toggle(user=trainer, webinar=webinar, question_id=question.pk)
    quiet = make_webinar(presenters=[trainer], votes_enabled=False)
    other = services.question_ask(user=make_user(), webinar=quiet, text="No votes here")
    with pytest.raises(PermissionDenied):
        services.question_vote_toggle(user=make_user(), webinar=quiet, question_id=other.pk)
    assert not Vote.objects.exists()


def test_foreign_question_ids_are_not_found(trainer, webinar):
    elsewhere = make_webinar(presenters=[trainer])
    question = services.question_ask(user=make_user(), webinar=elsewhere, text="Elsewhere")
    with pytest.raises(ObjectDoesNotExist):
        services.question_vote_toggle(user=make_user(), webinar=webinar, question_id=question.pk)
    with pytest.raises(ObjectDoesNotExist):
        services.question_moderate(user=trainer, webinar=webinar, question_id=question.pk, action="dismiss")


def test_only_presenters_moderate(webinar):
    question = services.question_ask(user=make_user(), webinar=webinar, text="Mine")
    other_trainer = make_trainer()
    for user in (make_user(), other_trainer):
        with pytest.raises(PermissionDenied):
            services.question_moderate(user=user, webinar=webinar, question_id=question.pk, action="dismiss")
    question.refresh_from_db()
    assert question.status == Question.Status.APPROVED
    admin = make_user(role="admin")
    services.question_moderate(user=admin, webinar=webinar, question_id=question.pk, action="pin")


def test_moderation_dismiss_undo_answer_and_single_pin(trainer, webinar):
    q1 = services.question_ask(user=make_user(), webinar=webinar, text="One")
    q2 = services.question_ask(user=make_user(), webinar=webinar, text="Two")
    services.question_moderate(user=trainer, webinar=webinar, question_id=q1.pk, action="dismiss")
    services.question_moderate(user=trainer, webinar=webinar, question_id=q1.pk, action="approve")  # undo
    services.question_moderate(user=trainer, webinar=webinar, question_id=q1.pk, action="pin")
    services.question_moderate(user=trainer, webinar=webinar, question_id=q2.pk, action="pin")
    q1.refresh_from_db()
    q2.refresh_from_db()
    assert q1.status == "approved" and not q1.pinned and q2.pinned
    answered = services.question_moderate(
        user=trainer, webinar=webinar, question_id=q2.pk, action="answer", answer="Yes, **bold**"
    )
    assert answered.answered_at and not answered.pinned
    last = RoomEvent.objects.order_by("seq").last()
    assert "<strong>bold</strong>" in last.payload["data"]["answer_html"]
    with pytest.raises(ValidationError):
        services.question_moderate(user=trainer, webinar=webinar, question_id=q2.pk, action="delete")


def test_markdown_in_questions_is_sanitised(webinar):
    services.question_ask(
        user=make_user(), webinar=webinar, text="<script>alert(1)</script> [x](javascript:alert(1)) *ok*"
    )
    html = RoomEvent.objects.get().payload["data"]["html"]
    assert "<script" not in html and "javascript:" not in html and "<em>ok</em>" in html


def test_a_question_saved_anywhere_carries_its_html_and_older_rows_get_theirs_from_the_migration(webinar):
    import importlib

    from django.apps import apps

    question = Question.objects.create(webinar=webinar, text="Is *this* rendered?")  # not through a service
    assert question.text_html == "<p>Is <em>this</em> rendered?</p>"
    question.answer = "**Yes**"
    question.save(update_fields=["answer"])
    question.refresh_from_db()
    assert question.answer_html == "<p><strong>Yes</strong></p>"

    Question.objects.filter(pk=question.pk).update(text_html="", answer_html="")  # a row from before 0002
    migration = importlib.import_module("webinars.migrations.0003_render_question_html")
    migration.render_missing_html(apps, None)
    question.refresh_from_db()
    assert (question.text_html, question.answer_html) == (
        "<p>Is <em>this</em> rendered?</p>",
        "<p><strong>Yes</strong></p>",
    )


def test_room_is_read_only_after_the_grace_period(trainer):
    webinar = make_webinar(presenters=[trainer], starts_in=timedelta(hours=-3), minutes=60)
    with pytest.raises(PermissionDenied):
        services.question_ask(user=make_user(), webinar=webinar, text="Too late")
    assert not Question.objects.exists()


# -- polls -------------------------------------------------------------------------------------------------------


def test_polls_open_vote_once_close(trainer, webinar):
    with pytest.raises(PermissionDenied):
        services.poll_open(user=make_user(), webinar=webinar, question="Q?", choices=["a", "b"])
    for bad in ([], ["only one"], ["a"] * 11, ["a", ""], "a,b"):
        with pytest.raises(ValidationError):
            services.poll_open(user=trainer, webinar=webinar, question="Q?", choices=bad)
    assert not Poll.objects.exists()
    poll = services.poll_open(user=trainer, webinar=webinar, question="Which?", choices=["A", "B"], results_hidden=True)
    a, b = poll.choices.all()
    voter = make_user()
    services.poll_vote(user=voter, webinar=webinar, poll_id=poll.pk, choice_id=a.pk)
    with pytest.raises(ValidationError):
        services.poll_vote(user=voter, webinar=webinar, poll_id=poll.pk, choice_id=b.pk)
    assert PollVote.objects.count() == 1
    event = RoomEvent.objects.order_by("seq").last()
    assert [c["votes"] for c in event.payload["data"]["choices"]] == [None, None]  # hidden from attendees
    assert [c["votes"] for c in event.presenter_payload["data"]["choices"]] == [1, 0]
    assert event.payload["data"]["total"] == 1
    assert "user" not in str(event.payload) and str(voter.pk) not in str(event.payload["data"]["choices"])
    with pytest.raises(PermissionDenied):
        services.poll_close(user=voter, webinar=webinar, poll_id=poll.pk)
    services.poll_close(user=trainer, webinar=webinar, poll_id=poll.pk)
    closed = RoomEvent.objects.order_by("seq").last()
    assert closed.name == "poll.closed" and [c["votes"] for c in closed.payload["data"]["choices"]] == [1, 0]
    with pytest.raises(ValidationError):
        services.poll_vote(user=make_user(), webinar=webinar, poll_id=poll.pk, choice_id=b.pk)


def test_poll_choice_of_another_poll_is_not_found(trainer, webinar):
    p1 = services.poll_open(user=trainer, webinar=webinar, question="1?", choices=["a", "b"])
    p2 = services.poll_open(user=trainer, webinar=webinar, question="2?", choices=["c", "d"])
    with pytest.raises(ObjectDoesNotExist):
        services.poll_vote(user=make_user(), webinar=webinar, poll_id=p1.pk, choice_id=p2.choices.first().pk)
    assert not PollVote.objects.exists()


# -- attendance --------------------------------------------------------------------------------------------------


def test_closing_an_interval_sends_attendance_recorded_after_commit(webinar, django_capture_on_commit_callbacks):
    learner = make_user()
    received = []

    def receiver(sender, user, webinar, **kwargs):
        received.append((user.pk, webinar.pk))

    attendance_recorded.connect(receiver)
    try:
        interval = services.attendance_open(user=learner, webinar=webinar)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.attendance_close(attendance_id=interval.pk)
        assert received == []  # not before commit
        for callback in callbacks:
            callback()
    finally:
        attendance_recorded.disconnect(receiver)
    assert received == [(learner.pk, webinar.pk)]
    assert Attendance.objects.get().disconnected_at is not None


def test_a_restarted_or_silent_worker_has_its_open_intervals_closed(webinar):
    learner = make_user()
    crashed = services.worker_register(name="host:1")
    interval = services.attendance_open(user=learner, webinar=webinar, worker=crashed)
    RoomWorker.objects.filter(pk=crashed.pk).update(last_seen=timezone.now() - timedelta(minutes=1))
    services.worker_register(name="host:1")  # the same worker starts again
    interval.refresh_from_db()
    assert interval.disconnected_at is not None
    silent = services.worker_register(name="host:2")
    other = services.attendance_open(user=learner, webinar=webinar, worker=silent)
    alive = services.worker_register(name="host:3")
    live_interval = services.attendance_open(user=learner, webinar=webinar, worker=alive)
    RoomWorker.objects.filter(pk=silent.pk).update(last_seen=timezone.now() - timedelta(minutes=5))
    assert services.attendance_close_stale() == 1
    other.refresh_from_db()
    live_interval.refresh_from_db()
    assert other.disconnected_at is not None and live_interval.disconnected_at is None


def test_attendee_count_event_only_when_it_changes(webinar):
    a, b = make_user(), make_user()
    services.attendance_open(user=a, webinar=webinar)
    services.attendance_open(user=a, webinar=webinar)  # a second tab is the same person
    services.attendance_open(user=b, webinar=webinar)
    event = services.room_attendees_update(webinar_id=webinar.pk)
    assert event.payload == {"name": "attendees", "data": {"count": 2}}
    assert services.room_attendees_update(webinar_id=webinar.pk) is None


@pytest.mark.django_db
def test_control_characters_are_removed_from_questions_before_they_are_stored():
    trainer = make_trainer()
    webinar = make_webinar(presenters=[trainer])
    question = services.question_ask(user=make_user(), webinar=webinar, text="Budget\x00 line\x07 42\nnext")
    question.refresh_from_db()
    assert question.text == "Budget line 42\nnext"

"""What attendees may see of a question in a moderated room (issue 18, item 1): only what is approved, and their
own question while it waits. A dismissed question never reaches them: not live, not from the room log
(`?after_seq=0`, `resync`), not in a snapshot; one they saw before it was dismissed is taken back by a
`question.updated` that carries only its id and the state "hidden". Presenters see everything."""

import json

import pytest

from lms.testing import make_user
from webinars import selectors, services
from webinars.models import Question, RoomEvent, Vote, WebinarPage

from .factories import make_trainer, make_webinar
from .room import db, frames_until_quiet, join, next_frame, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("room_hub_cleanup"),
]

SECRET = "Where can I buy clean needles near the station?"


@pytest.fixture
def room():
    trainer = make_trainer()
    return {
        "trainer": trainer,
        "asker": make_user(display_name="Aigerim"),
        "bystander": make_user(display_name="Bolat"),
        "late": make_user(display_name="Dana"),
        "webinar": make_webinar(presenters=[trainer], qa_mode=WebinarPage.QAMode.MODERATED),
    }


def _leaks(frames) -> bool:
    blob = json.dumps(frames, ensure_ascii=False)
    return SECRET in blob or "Aigerim" in blob


def _question_frames(frames):
    return [f for f in frames if f.get("type") == "event" and f["name"].startswith("question.")]


async def test_a_dismissed_question_never_reaches_attendees_live_from_the_log_or_the_snapshot(room):
    webinar, trainer = room["webinar"], room["trainer"]
    presenter, *_ = await join(webinar, trainer)
    asker, *_ = await join(webinar, room["asker"])
    bystander, *_ = await join(webinar, room["bystander"])
    ack = await send(asker, {"type": "question.ask", "text": SECRET, "anonymous": False, "client_id": "d1"})
    assert ack["type"] == "ack" and ack["question"]["status"] == "pending"  # the asker sees their own
    question_id = ack["question"]["id"]
    await frames_until_quiet(presenter)
    await presenter.send_to(text_data=json.dumps({"type": "question.moderate", "question_id": question_id,
                                                  "action": "dismiss", "client_id": "m"}))  # fmt: skip
    presenter_frames = await frames_until_quiet(presenter)
    dismissed = [f for f in _question_frames(presenter_frames) if f["data"]["status"] == "dismissed"]
    assert dismissed and dismissed[0]["data"]["text"] == SECRET  # presenters see everything

    live = await frames_until_quiet(bystander) + await frames_until_quiet(asker)
    assert not _leaks(live), live
    # Attendees never saw it: nothing to take back, the seq is kept by a noop or a bare removal.
    for frame in _question_frames(live):
        assert frame["data"] == {"id": question_id, "status": "hidden"}

    # A late joiner replaying the whole log, one resyncing on an open socket, and a snapshot.
    late, _, _, _ = await join(webinar, room["late"], query="?after_seq=0", expect_snapshot=False)
    replay = await frames_until_quiet(late)
    assert any(f["type"] == "resynced" for f in replay) and not _leaks(replay), replay
    replay_again = await send(late, {"type": "resync", "after_seq": 0})
    replay_again = [replay_again, *await frames_until_quiet(late)]
    assert not _leaks(replay_again), replay_again
    _, _, _, snapshot = await join(webinar, room["bystander"])
    assert snapshot["questions"] == [] and not _leaks(snapshot)
    # The presenter's replay keeps the full story.
    presenter_replay = await send(presenter, {"type": "resync", "after_seq": 0})
    presenter_replay = [presenter_replay, *await frames_until_quiet(presenter)]
    assert SECRET in json.dumps(presenter_replay, ensure_ascii=False)
    for communicator in (presenter, asker, bystander, late):
        await communicator.disconnect()


async def test_an_approved_question_dismissed_later_is_taken_back_without_its_text(room):
    webinar, trainer = room["webinar"], room["trainer"]
    question = await db(services.question_ask, user=room["asker"], webinar=webinar, text=SECRET)
    await db(services.question_moderate, user=trainer, webinar=webinar, question_id=question.pk, action="approve")
    bystander, _, _, snapshot = await join(webinar, room["bystander"])
    assert [q["text"] for q in snapshot["questions"]] == [SECRET]  # approved: everyone sees it
    await db(services.question_moderate, user=trainer, webinar=webinar, question_id=question.pk, action="dismiss")
    removal = await next_frame(bystander)
    assert removal["name"] == "question.updated" and removal["data"] == {"id": question.pk, "status": "hidden"}
    _, _, _, snapshot = await join(webinar, room["late"])
    assert snapshot["questions"] == []
    # Restored: everyone gets it back in full.
    await db(services.question_moderate, user=trainer, webinar=webinar, question_id=question.pk, action="approve")
    restored = await next_frame(bystander)
    assert restored["data"]["text"] == SECRET and restored["data"]["status"] == "approved"
    await bystander.disconnect()


async def test_the_log_of_an_earlier_release_is_filtered_when_replayed(room):
    """Events logged before the fix hold the dismissed question's full text as the attendees' payload: the replay
    (and the hub's catch-up, which reads the same rows) filters them when reading, not only when writing."""
    webinar, trainer = room["webinar"], room["trainer"]
    question = await db(services.question_ask, user=room["asker"], webinar=webinar, text=SECRET)
    await db(services.question_moderate, user=trainer, webinar=webinar, question_id=question.pk, action="dismiss")

    def as_logged_before():
        event = RoomEvent.objects.filter(webinar=webinar).order_by("-seq").first()
        full = event.presenter_payload or event.payload
        RoomEvent.objects.filter(pk=event.pk).update(payload=full, presenter_payload=None)
        return event.seq

    seq = await db(as_logged_before)
    late, _, _, _ = await join(webinar, room["late"], query="?after_seq=0", expect_snapshot=False)
    replay = await frames_until_quiet(late)
    assert {"type": "resynced", "seq": seq, "role": "attendee"} in replay
    assert not _leaks(replay), replay
    await late.disconnect()
    event = await db(lambda: RoomEvent.objects.get(webinar=webinar, seq=seq))
    assert selectors.event_frame(event, presenter=True)["data"]["text"] == SECRET


async def test_anonymous_questions_stay_authorless_through_approval_and_dismissal(room):
    webinar, trainer = room["webinar"], room["trainer"]
    presenter, *_ = await join(webinar, trainer)
    bystander, *_ = await join(webinar, room["bystander"])
    question = await db(services.question_ask, user=room["asker"], webinar=webinar, text=SECRET, anonymous=True)
    for action in ("approve", "dismiss", "approve"):
        await db(services.question_moderate, user=trainer, webinar=webinar, question_id=question.pk, action=action)
    seen = await frames_until_quiet(presenter) + await frames_until_quiet(bystander)
    late, _, _, _ = await join(webinar, room["late"], query="?after_seq=0", expect_snapshot=False)
    seen += await frames_until_quiet(late)
    _, _, _, snapshot = await join(webinar, trainer)
    blob = json.dumps([*seen, snapshot], ensure_ascii=False)
    assert SECRET in blob and "Aigerim" not in blob and room["asker"].username not in blob
    for communicator in (presenter, bystander, late):
        await communicator.disconnect()


def _full(question_id, status, author="Aigerim"):
    return {"id": question_id, "text": SECRET, "author": author, "status": status, "votes": 0}


@pytest.mark.parametrize(
    ("name", "status", "expected"),
    [
        ("question.created", "approved", "full"),
        ("question.updated", "approved", "full"),
        ("question.created", "pending", {"name": "noop", "data": {}}),
        ("question.updated", "pending", {"name": "noop", "data": {}}),
        ("question.updated", "dismissed", {"name": "question.updated", "data": {"id": 7, "status": "hidden"}}),
    ],
)
def test_the_one_rule_for_the_shared_stream(name, status, expected):
    body = {"name": name, "data": _full(7, status)}
    assert selectors.attendee_event(body) == (body if expected == "full" else expected)
    assert selectors.attendee_event({"name": "attendees", "data": {"count": 3}}) == {
        "name": "attendees",
        "data": {"count": 3},
    }


def test_the_one_rule_for_a_person(room):
    """An attendee sees approved questions and their own while it waits; nobody else's pending or dismissed."""
    see = selectors.attendee_may_see_question
    assert see(status=Question.Status.APPROVED, mine=False)
    assert see(status=Question.Status.PENDING, mine=True)
    assert not see(status=Question.Status.PENDING, mine=False)
    assert not see(status=Question.Status.DISMISSED, mine=False)
    webinar, trainer = room["webinar"], room["trainer"]
    mine = services.question_ask(user=room["asker"], webinar=webinar, text="Mine, waiting")
    theirs = services.question_ask(user=room["bystander"], webinar=webinar, text="Theirs, waiting")
    gone = services.question_ask(user=room["bystander"], webinar=webinar, text=SECRET)
    services.question_moderate(user=trainer, webinar=webinar, question_id=gone.pk, action="dismiss")
    shown = services.question_ask(user=room["bystander"], webinar=webinar, text="Approved")
    services.question_moderate(user=trainer, webinar=webinar, question_id=shown.pk, action="approve")
    snapshot = selectors.room_snapshot(webinar=webinar, user=room["asker"], presenter=False)
    assert [q["text"] for q in snapshot["questions"]] == ["Mine, waiting", "Approved"]
    assert not _leaks(snapshot["questions"][1:])
    presenter_view = selectors.room_snapshot(webinar=webinar, user=trainer, presenter=True)
    assert {q["id"] for q in presenter_view["questions"]} == {mine.pk, theirs.pk, gone.pk, shown.pk}


def test_a_question_dismissed_before_anyone_saw_it_is_a_noop_for_attendees(room):
    """Dismissing a question that was never approved sent every attendee `{"id": N, "status": "hidden"}`: the id
    of a question they never saw, and so how many were asked and turned down. Only a question attendees could
    have seen (approved before) is taken back; presenters get the full event either way."""
    webinar, trainer = room["webinar"], room["trainer"]

    def dismissal_frames(question):
        services.question_moderate(user=trainer, webinar=webinar, question_id=question.pk, action="dismiss")
        event = RoomEvent.objects.filter(webinar=webinar).order_by("-seq").first()
        return selectors.event_frame(event, presenter=False), selectors.event_frame(event, presenter=True)

    never_seen = services.question_ask(user=room["asker"], webinar=webinar, text=SECRET)
    attendee, presenter = dismissal_frames(never_seen)
    assert (attendee["name"], attendee["data"]) == ("noop", {})
    assert presenter["data"]["text"] == SECRET and presenter["data"]["status"] == "dismissed"

    seen = services.question_ask(user=room["asker"], webinar=webinar, text="Approved first")
    services.question_moderate(user=trainer, webinar=webinar, question_id=seen.pk, action="approve")
    attendee, _ = dismissal_frames(seen)
    assert attendee["data"] == {"id": seen.pk, "status": "hidden"}
    attendee, _ = dismissal_frames(seen)  # dismissed again: already taken back
    assert attendee["name"] == "noop"


def test_voting_on_a_question_an_attendee_may_not_see_answers_as_a_missing_one(room, monkeypatch):
    """A dismissed question answered "This question was dismissed." and a missing id "No such question": with the
    rate counted after the lookup, ids could be tried freely to learn which questions were turned down."""
    from django.core.exceptions import ObjectDoesNotExist, ValidationError

    webinar, trainer, voter = room["webinar"], room["trainer"], room["bystander"]
    pending = services.question_ask(user=room["asker"], webinar=webinar, text="Waiting")
    mine = services.question_ask(user=voter, webinar=webinar, text="My own, waiting")
    dismissed = services.question_ask(user=room["asker"], webinar=webinar, text=SECRET)
    services.question_moderate(user=trainer, webinar=webinar, question_id=dismissed.pk, action="dismiss")
    taken_back = services.question_ask(user=room["asker"], webinar=webinar, text="Approved, then dismissed")
    services.question_moderate(user=trainer, webinar=webinar, question_id=taken_back.pk, action="approve")
    services.question_moderate(user=trainer, webinar=webinar, question_id=taken_back.pk, action="dismiss")
    answers = set()
    for question_id in (pending.pk, mine.pk, dismissed.pk, taken_back.pk, taken_back.pk + 1000):
        with pytest.raises(ObjectDoesNotExist) as error:
            services.question_vote_toggle(user=voter, webinar=webinar, question_id=question_id)
        answers.add(str(error.value))
    assert answers == {"No such question in this webinar."}
    with pytest.raises(ValidationError):  # presenters see the dismissed question: they are told why
        services.question_vote_toggle(user=trainer, webinar=webinar, question_id=dismissed.pk)
    # Every try counts toward the vote limit, found or not: enumerating ids is throttled.
    monkeypatch.setattr(services, "VOTES_PER_MINUTE", 6)
    with pytest.raises(ObjectDoesNotExist):
        services.question_vote_toggle(user=voter, webinar=webinar, question_id=taken_back.pk + 1001)
    with pytest.raises(services.RateLimited):
        services.question_vote_toggle(user=voter, webinar=webinar, question_id=taken_back.pk + 1002)
    assert not Vote.objects.exists()


async def test_the_asker_alone_sees_their_waiting_question_go_when_it_is_dismissed(room):
    """Attendees get a `noop` for a question dismissed before approval; its asker, who saw it waiting, gets the
    bare removal (live, and when replaying the log), so it does not stay shown as waiting."""
    webinar, trainer = room["webinar"], room["trainer"]
    asker, _, _, _ = await join(webinar, room["asker"])
    bystander, *_ = await join(webinar, room["bystander"])
    ack = await send(asker, {"type": "question.ask", "text": SECRET, "anonymous": True, "client_id": "w1"})
    question_id = ack["question"]["id"]
    await frames_until_quiet(asker)
    await db(services.question_moderate, user=trainer, webinar=webinar, question_id=question_id, action="dismiss")
    removal = {"id": question_id, "status": "hidden"}
    assert [f["data"] for f in _question_frames(await frames_until_quiet(asker))] == [removal]
    assert _question_frames(await frames_until_quiet(bystander)) == []
    for person, expected in ((room["asker"], [removal]), (room["late"], [])):
        replay, *_ = await join(webinar, person, query="?after_seq=0", expect_snapshot=False)
        frames = await frames_until_quiet(replay)
        assert [f["data"] for f in _question_frames(frames)] == expected and not _leaks(frames)
        await replay.disconnect()
    for communicator in (asker, bystander):
        await communicator.disconnect()

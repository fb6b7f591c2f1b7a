import json

import pytest
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.test import override_settings

from lms.testing import PASSWORD, make_user
from webinars import services
from webinars.models import Attendance, Question, RoomEvent, WebinarPage
from webinars.routing import websocket_urlpatterns

from .factories import make_trainer, make_webinar
from .room import db, frames_until_quiet, join, next_frame, row_counts, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("room_hub_cleanup"),
]


@pytest.fixture
def people():
    trainer = make_trainer()
    return {
        "trainer": trainer,
        "learner": make_user(display_name="Aigerim"),
        "other": make_user(display_name="Bolat"),
        "webinar": make_webinar(presenters=[trainer]),
    }


async def test_snapshot_ask_ack_and_broadcast_in_seq_order(people):
    webinar = people["webinar"]
    presenter, _, _, snap_p = await join(webinar, people["trainer"])
    learner, _, _, snap_l = await join(webinar, people["learner"])
    assert snap_p["role"] == "presenter" and snap_l["role"] == "attendee"
    assert snap_l["questions"] == [] and snap_l["seq"] == 0

    ack = await send(learner, {"type": "question.ask", "text": "How to read **line 7**?", "anonymous": False,
                               "client_id": "c1"})  # fmt: skip
    if ack["type"] == "event":  # the broadcast may overtake the ack
        ack, event = await next_frame(learner), ack
    else:
        event = await next_frame(learner)
    assert ack["type"] == "ack" and ack["client_id"] == "c1" and ack["question"]["mine"] is True
    assert event == await next_frame(presenter)
    assert event["seq"] == 1 and event["name"] == "question.created"
    assert event["data"]["author"] == "Aigerim" and "<strong>line 7</strong>" in event["data"]["html"]
    await presenter.send_to(text_data=json.dumps({"type": "question.moderate", "question_id": event["data"]["id"],
                                                  "action": "answer", "answer": "Top right."}))  # fmt: skip
    updates = [await next_frame(learner), await next_frame(presenter)]
    assert all(u["seq"] == 2 and u["data"]["answered"] and u["data"]["answer"] == "Top right." for u in updates)
    await learner.disconnect()
    await presenter.disconnect()


async def test_anonymous_question_carries_no_author_anywhere(people):
    webinar = people["webinar"]
    presenter, *_ = await join(webinar, people["trainer"])
    asker, *_ = await join(webinar, people["learner"])
    await asker.send_to(text_data=json.dumps({"type": "question.ask", "text": "Is it safe to say?",
                                              "anonymous": True, "client_id": "anon"}))  # fmt: skip
    seen = await frames_until_quiet(presenter) + await frames_until_quiet(asker)
    question_id = await db(lambda: Question.objects.get().pk)
    await presenter.send_to(text_data=json.dumps({"type": "question.vote", "question_id": question_id}))
    seen += await frames_until_quiet(presenter)
    late, _, _, snapshot = await join(webinar, people["other"])
    presenter2, _, _, presenter_snapshot = await join(webinar, people["trainer"])
    blob = json.dumps([*seen, snapshot, presenter_snapshot])
    learner = people["learner"]
    assert "Is it safe to say?" in blob
    assert learner.public_name not in blob and learner.username not in blob
    assert snapshot["questions"][0]["author"] is None and snapshot["questions"][0]["votes"] == 1
    assert snapshot["questions"][0]["mine"] is False
    for communicator in (presenter, asker, late, presenter2):
        await communicator.disconnect()


async def test_moderated_room_and_presenter_only_actions(people):
    trainer = people["trainer"]
    webinar = await db(make_webinar, presenters=[trainer], qa_mode=WebinarPage.QAMode.MODERATED)
    presenter, *_ = await join(webinar, trainer)
    asker, *_ = await join(webinar, people["learner"])
    bystander, *_ = await join(webinar, people["other"])
    await asker.send_to(text_data=json.dumps({"type": "question.ask", "text": "Hidden first", "anonymous": False,
                                              "client_id": "m1"}))  # fmt: skip
    queued = await next_frame(presenter)
    assert queued["data"]["status"] == "pending"
    hidden = await next_frame(bystander, attendees=True)
    while hidden["name"] == "attendees":
        hidden = await next_frame(bystander, attendees=True)
    assert hidden == {"type": "event", "seq": queued["seq"], "name": "noop", "data": {}}
    qid = queued["data"]["id"]
    before = await db(row_counts)
    error = await send(bystander, {"type": "question.moderate", "question_id": qid, "action": "approve"})
    assert error["type"] == "error" and error["code"] == "forbidden"
    error = await send(bystander, {"type": "poll.open", "question": "Mine?", "choices": ["a", "b"]})
    assert error["code"] == "forbidden"
    assert await db(row_counts) == before
    await presenter.send_to(text_data=json.dumps({"type": "question.moderate", "question_id": qid,
                                                  "action": "approve"}))  # fmt: skip
    approved = await next_frame(bystander)
    assert approved["name"] == "question.updated" and approved["data"]["text"] == "Hidden first"
    for communicator in (presenter, asker, bystander):
        await communicator.disconnect()


async def test_poll_flow_hides_results_and_refuses_second_vote(people):
    webinar = people["webinar"]
    presenter, *_ = await join(webinar, people["trainer"])
    voter, *_ = await join(webinar, people["learner"])
    await presenter.send_to(text_data=json.dumps({"type": "poll.open", "question": "Which target?",
                                                  "choices": ["OAT", "Naloxone"], "results_hidden": True}))  # fmt: skip
    opened = await next_frame(voter)
    assert opened["name"] == "poll.opened"
    poll_id, choice = opened["data"]["id"], opened["data"]["choices"][1]["id"]
    ack = await send(voter, {"type": "poll.vote", "poll_id": poll_id, "choice_id": choice, "client_id": "v"})
    if ack["type"] == "event":
        ack, update = await next_frame(voter), ack
    else:
        update = await next_frame(voter)
    assert ack["type"] == "ack" and ack["choice_id"] == choice
    assert update["name"] == "poll.updated" and [c["votes"] for c in update["data"]["choices"]] == [None, None]
    presenter_frames = [f for f in await frames_until_quiet(presenter) if f.get("name") == "poll.updated"]
    assert [c["votes"] for c in presenter_frames[-1]["data"]["choices"]] == [0, 1]
    again = await send(voter, {"type": "poll.vote", "poll_id": poll_id, "choice_id": choice})
    assert again["type"] == "error" and again["code"] == "invalid"
    await presenter.send_to(text_data=json.dumps({"type": "poll.close", "poll_id": poll_id}))
    closed = await next_frame(voter)
    assert closed["name"] == "poll.closed" and [c["votes"] for c in closed["data"]["choices"]] == [0, 1]
    await presenter.disconnect()
    await voter.disconnect()


BAD_FRAMES = [
    ("{not json", "invalid"),
    ("[1, 2]", "invalid"),
    ('"text"', "invalid"),
    ('{"type": "question.delete"}', "invalid"),
    ('{"no_type": 1}', "invalid"),
    ('{"type": 5}', "invalid"),
    ('{"type": "question.ask", "text": 12, "anonymous": false, "client_id": "x"}', "invalid"),
    ('{"type": "question.ask", "text": "hi", "anonymous": "yes", "client_id": "x"}', "invalid"),
    ('{"type": "question.ask", "text": "hi", "anonymous": false}', "invalid"),
    ('{"type": "question.ask", "text": "' + "x" * 501 + '", "anonymous": false, "client_id": "x"}', "too_long"),
    ('{"type": "question.vote", "question_id": "1"}', "invalid"),
    ('{"type": "question.vote", "question_id": true}', "invalid"),
    ('{"type": "question.vote", "question_id": -3}', "invalid"),
    ('{"type": "question.vote", "question_id": 999999}', "not_found"),
    ('{"type": "poll.vote", "poll_id": 999999, "choice_id": 1}', "not_found"),
    ('{"type": "poll.vote", "poll_id": 1.5, "choice_id": 1}', "invalid"),
    ('{"type": "resync", "after_seq": "0"}', "invalid"),
    ('{"type": "question.moderate", "question_id": 1, "action": "approve"}', "forbidden"),
    ('{"type": "poll.close", "poll_id": 1}', "forbidden"),
    ('{"type": "question.ask", "text": "' + "y" * 17000 + '"}', "too_long"),
]


async def test_bad_frames_get_an_error_keep_the_socket_and_change_nothing(people):
    webinar = people["webinar"]
    learner, *_ = await join(webinar, people["learner"])
    before = await db(row_counts)
    for raw, code in BAD_FRAMES:
        await learner.send_to(text_data=raw)
        reply = await next_frame(learner)
        assert reply["type"] == "error" and reply["code"] == code, (raw[:60], reply)
        assert reply["message"]
    await learner.send_to(bytes_data=b"\x00\x01")
    assert (await next_frame(learner))["code"] == "invalid"
    assert await db(row_counts) == before
    # Still open and working after all that.
    ack = await send(learner, {"type": "question.ask", "text": "Still here?", "anonymous": False, "client_id": "ok"})
    assert ack["type"] in ("ack", "event")
    await learner.disconnect()


async def test_vote_on_a_dismissed_or_foreign_question(people):
    trainer, webinar = people["trainer"], people["webinar"]
    elsewhere = await db(make_webinar, presenters=[trainer])
    foreign = await db(services.question_ask, user=people["other"], webinar=elsewhere, text="Elsewhere")
    dismissed = await db(services.question_ask, user=people["other"], webinar=webinar, text="Gone")
    await db(services.question_moderate, user=trainer, webinar=webinar, question_id=dismissed.pk, action="dismiss")
    learner, *_ = await join(webinar, people["learner"])
    before = await db(row_counts)
    reply = await send(learner, {"type": "question.vote", "question_id": foreign.pk})
    assert reply["code"] == "not_found"
    reply = await send(learner, {"type": "question.vote", "question_id": dismissed.pk})
    assert reply["code"] == "not_found"  # as for a missing id: attendees cannot tell dismissed ids apart
    assert await db(row_counts) == before
    await learner.disconnect()


async def test_rate_limit_replies_rate_limited_and_stores_nothing(people):
    learner, *_ = await join(people["webinar"], people["learner"])
    for n in range(services.QUESTIONS_PER_MINUTE):
        await learner.send_to(text_data=json.dumps({"type": "question.ask", "text": f"q{n}", "client_id": f"r{n}"}))
    await frames_until_quiet(learner)
    reply = await send(learner, {"type": "question.ask", "text": "one more", "client_id": "late"})
    assert reply == {"type": "error", "code": "rate_limited", "message": reply["message"], "client_id": "late"}
    assert await db(Question.objects.count) == services.QUESTIONS_PER_MINUTE
    await learner.disconnect()


async def test_refused_connections(people):
    trainer = people["trainer"]
    limited = await db(make_webinar, presenters=[trainer], capacity=5)
    from django.contrib.auth.models import AnonymousUser

    _, connected, code, _ = await join(people["webinar"], AnonymousUser(), expect_snapshot=False)
    assert not connected and code == 4401
    _, connected, code, _ = await join(limited, people["learner"], expect_snapshot=False)  # not registered
    assert not connected and code == 4403
    draft = await db(make_webinar, presenters=[trainer])
    await db(lambda: WebinarPage.objects.filter(pk=draft.pk).update(live=False))
    _, connected, code, _ = await join(draft, people["learner"], expect_snapshot=False)
    assert not connected and code == 4404


async def test_session_cookie_authenticates_and_foreign_origin_is_refused(people, client):
    from asgiref.sync import sync_to_async

    await sync_to_async(client.login)(username=people["learner"].username, password=PASSWORD)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        app = AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
    good = [(b"cookie", cookie), (b"origin", b"http://testserver")]
    communicator, connected, _, snapshot = await join(people["webinar"], None, app=app, headers=good)
    assert connected and snapshot["role"] == "attendee"
    await communicator.disconnect()
    evil = [(b"cookie", cookie), (b"origin", b"https://evil.example")]
    _, connected, _, _ = await join(people["webinar"], None, app=app, headers=evil, expect_snapshot=False)
    assert not connected
    _, connected, code, _ = await join(people["webinar"], None, app=app, headers=[(b"origin", b"http://testserver")],
                                       expect_snapshot=False)  # fmt: skip
    assert not connected and code == 4401


async def test_resync_gives_exactly_the_missed_events_or_a_snapshot(people):
    webinar = people["webinar"]
    learner, _, _, snapshot = await join(webinar, people["learner"])
    seen_seq = snapshot["seq"]
    await learner.disconnect()
    for n in range(3):
        await db(services.question_ask, user=people["other"], webinar=webinar, text=f"missed {n}")
    # Reconnect with the last seq seen: the missed events, in order, then "resynced"; no snapshot.
    back, _, _, _ = await join(webinar, people["learner"], query=f"?after_seq={seen_seq}", expect_snapshot=False)
    frames = [await next_frame(back) for _ in range(4)]
    assert [f["seq"] for f in frames[:3]] == [seen_seq + 1, seen_seq + 2, seen_seq + 3]
    assert [f["data"]["text"] for f in frames[:3]] == ["missed 0", "missed 1", "missed 2"]
    assert frames[3]["type"] == "resynced" and frames[3]["seq"] == seen_seq + 3
    # An explicit resync on an open socket works the same way.
    reply = await send(back, {"type": "resync", "after_seq": seen_seq + 1})
    assert reply["seq"] == seen_seq + 2
    assert (await next_frame(back))["seq"] == seen_seq + 3
    assert (await next_frame(back))["type"] == "resynced"
    # Far behind (more than the resync window) or ahead of the log: a fresh snapshot instead.
    from webinars import selectors

    reply = await send(back, {"type": "resync", "after_seq": 10_000})
    assert reply["type"] == "snapshot" and len(reply["questions"]) == 3
    old_limit = selectors.RESYNC_MAX_EVENTS
    selectors.RESYNC_MAX_EVENTS = 2
    try:
        reply = await send(back, {"type": "resync", "after_seq": seen_seq})
    finally:
        selectors.RESYNC_MAX_EVENTS = old_limit
    assert reply["type"] == "snapshot"
    await db(lambda: RoomEvent.objects.filter(webinar=webinar, seq__lte=seen_seq + 1).delete())  # log pruned
    reply = await send(back, {"type": "resync", "after_seq": seen_seq})
    assert reply["type"] == "snapshot" and reply["seq"] == seen_seq + 3
    await back.disconnect()


async def test_an_ask_sent_again_after_a_reconnect_gets_the_stored_question(people):
    """A browser re-sends an ask whose ack was lost with its connection; the server stores each client_id once and
    must acknowledge the stored question. It used to read the stored question's author lazily in async code
    (SynchronousOnlyOperation), which closed the socket, so the re-sent ask was never acknowledged (bench/soak.py,
    after a worker kill)."""
    webinar, learner = people["webinar"], people["learner"]
    await db(services.question_ask, user=learner, webinar=webinar, text="Sent before the drop", client_id="c9")
    back, *_ = await join(webinar, learner)
    ack = await send(back, {"type": "question.ask", "text": "Sent before the drop", "anonymous": False,
                            "client_id": "c9"})  # fmt: skip
    assert ack["type"] == "ack" and ack["client_id"] == "c9"
    assert ack["question"]["author"] == "Aigerim" and ack["question"]["mine"] is True
    assert await db(lambda: Question.objects.count()) == 1
    assert (await send(back, {"type": "ping"}))["type"] == "pong"  # the socket is still open
    await back.disconnect()


async def test_attendance_interval_and_attendee_count(people):
    webinar = people["webinar"]
    learner, *_ = await join(webinar, people["learner"])
    other, *_ = await join(webinar, people["other"])
    frame = await next_frame(learner, attendees=True, timeout=5)
    while frame.get("name") != "attendees" or frame["data"]["count"] != 2:
        frame = await next_frame(learner, attendees=True, timeout=5)
    await other.disconnect()
    frame = await next_frame(learner, attendees=True, timeout=5)
    assert frame["name"] == "attendees" and frame["data"]["count"] == 1
    from webinars.models import Attendance

    closed = await db(lambda: list(Attendance.objects.filter(user=people["other"]).values_list("disconnected_at")))
    assert len(closed) == 1 and closed[0][0] is not None
    await learner.disconnect()


async def test_one_person_may_hold_only_a_few_connections_to_a_room(people):
    learner, webinar = people["learner"], people["webinar"]
    sockets = []
    for _ in range(services.CONNECTIONS_PER_USER):
        communicator, connected, _, _ = await join(webinar, learner)
        assert connected
        sockets.append(communicator)
    extra, connected, _, _ = await join(webinar, learner, expect_snapshot=False)
    assert connected  # accepted only to say why it is closed
    closed = await extra.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4429}
    assert await db(lambda: Attendance.objects.filter(user=learner, disconnected_at__isnull=True).count()) == (
        services.CONNECTIONS_PER_USER
    )
    other, connected, _, _ = await join(webinar, people["other"])  # someone else still gets in
    assert connected
    await sockets[0].disconnect()
    again, connected, _, _ = await join(webinar, learner)  # a freed slot can be used again
    assert connected
    for communicator in [*sockets[1:], other, again]:
        await communicator.disconnect()


DEEP = "[" * 5000 + "]" * 5000  # 10 KB, under the frame limit: json.loads raised RecursionError on it


def _open_intervals(user) -> int:
    return Attendance.objects.filter(user=user, disconnected_at__isnull=True).count()


async def test_a_deeply_nested_frame_is_refused_and_leaves_no_interval_open(people):
    """It used to crash the consumer (RecursionError): the socket closed with 1011 without disconnect(), the
    attendance interval stayed open (minutes kept counting) and after five such frames the person was refused
    by the connection limit."""
    learner, webinar = people["learner"], people["webinar"]
    for _ in range(services.CONNECTIONS_PER_USER + 2):
        communicator, connected, _, _ = await join(webinar, learner)
        assert connected
        await communicator.send_to(text_data=DEEP)
        reply = await next_frame(communicator)
        assert reply["type"] == "error" and reply["code"] == "invalid" and reply["message"]
        assert (await send(communicator, {"type": "ping"}))["type"] == "pong"  # the socket stays open
        assert await db(_open_intervals, learner) == 1
        await communicator.disconnect()
        assert await db(_open_intervals, learner) == 0
    assert await db(lambda: Attendance.objects.filter(user=learner).count()) == services.CONNECTIONS_PER_USER + 2


async def test_an_unexpected_error_answers_error_and_a_dying_socket_closes_its_interval(people, monkeypatch):
    """A handler that fails unexpectedly (a bug, a database error) answers `error` and keeps the socket; a
    consumer that dies (here: its first snapshot fails after the interval was opened) closes the interval first."""
    from webinars import selectors

    learner, webinar = people["learner"], people["webinar"]
    communicator, *_ = await join(webinar, learner)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "question_vote_toggle", broken)
    reply = await send(communicator, {"type": "question.vote", "question_id": 1, "client_id": "v1"})
    assert reply["type"] == "error" and reply["code"] == "invalid" and reply["client_id"] == "v1"
    assert (await send(communicator, {"type": "ping"}))["type"] == "pong"
    await communicator.disconnect()

    monkeypatch.setattr(selectors, "room_snapshot", broken)
    for _ in range(services.CONNECTIONS_PER_USER + 1):
        dying, connected, _, _ = await join(webinar, learner, expect_snapshot=False)
        assert connected
        closed = await dying.receive_output(timeout=5)
        while closed["type"] == "websocket.send":  # an attendee count may come first
            assert "snapshot" not in closed["text"]
            closed = await dying.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": 1011}
        await dying.wait(timeout=5)
        assert await db(_open_intervals, learner) == 0
    monkeypatch.undo()
    again, connected, _, snapshot = await join(webinar, learner)
    assert connected and snapshot["type"] == "snapshot"
    await again.disconnect()


async def test_resync_is_rate_limited_and_a_refused_one_reads_nothing(people, monkeypatch):
    """300 resyncs on one socket used to cost 300 snapshots (2,411 queries measured)."""
    from django.db.backends.utils import CursorWrapper

    webinar, learner = people["webinar"], people["learner"]
    await db(services.question_ask, user=people["other"], webinar=webinar, text="one")
    communicator, *_ = await join(webinar, learner)
    limit = services.RESYNCS_PER_MINUTE
    log_reads = []  # every read of the room's log or questions, in any thread
    original = CursorWrapper._execute_with_wrappers

    def counting(self, sql, params, many, executor):
        if sql.startswith("SELECT") and ("webinars_roomevent" in sql or "webinars_question" in sql):
            log_reads.append(sql)
        return original(self, sql, params, many, executor)

    monkeypatch.setattr(CursorWrapper, "_execute_with_wrappers", counting)
    for n in range(limit):
        await communicator.send_to(text_data=json.dumps({"type": "resync", "after_seq": 0, "client_id": f"s{n}"}))
    served = [f for f in await frames_until_quiet(communicator) if f["type"] == "resynced"]
    assert len(served) == limit and log_reads
    log_reads.clear()
    for n in range(300 - limit):
        await communicator.send_to(text_data=json.dumps({"type": "resync", "after_seq": 0, "client_id": f"x{n}"}))
    refused = [f for f in await frames_until_quiet(communicator) if f.get("name") != "attendees"]
    assert [f["type"] for f in refused] == ["error"] * (300 - limit)
    assert {f["code"] for f in refused} == {"rate_limited"} and refused[-1]["client_id"] == f"x{299 - limit}"
    assert log_reads == []
    assert (await send(communicator, {"type": "ping"}))["type"] == "pong"
    await communicator.disconnect()

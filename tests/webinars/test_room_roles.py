"""A room socket keeps the presenter's view only while the rule holds (`webinars.services.room_role`: a presenter of
the webinar, in the Trainers group, active, with the staff second factor), asked on fresh data for every presenter's
action and every WEBINARS_ROLE_CHECK_SECONDS while it lives (`RoomConsumer.recheck`, `RoomHub.check_roles`). A
presenter who loses the role drops to the attendees' view (a fresh attendee snapshot, attendee frames from then on);
a person deactivated or deleted while connected loses the room (4401). docs/webinars.md, "Roles while connected"."""

import asyncio
import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms import roles
from lms.testing import make_user
from webinars import hub as room_hub
from webinars.models import Attendance, Question, WebinarPage

from .factories import make_trainer, make_webinar
from .room import db, frames_until_quiet, join, next_frame, send

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("room_hub_cleanup"),
]

SECRET = "A waiting question about my status"
ASKER = "Aigerim the asker"


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def a_moderated_room():
    trainer = make_trainer(display_name="Dana the trainer")
    learner = make_user(display_name=ASKER)
    webinar = make_webinar(presenters=[trainer], qa_mode=WebinarPage.QAMode.MODERATED)
    from webinars import services

    question = services.question_ask(user=learner, webinar=webinar, text=SECRET)
    return SimpleNamespace(trainer=trainer, learner=learner, webinar=webinar, question=question)


def remove_from_the_trainers_group(world):
    roles.revoke_role(fresh(world.trainer), roles.TRAINERS)  # another copy of the user: the socket's is stale


def remove_from_the_presenters(world):
    webinar = WebinarPage.objects.get(pk=world.webinar.pk)
    webinar.presenters.remove(world.trainer)
    webinar.save()


REMOVALS = pytest.mark.parametrize(
    "removal", [remove_from_the_trainers_group, remove_from_the_presenters], ids=["trainers group", "presenters"]
)


async def frames_until_snapshot(communicator, *, timeout=5) -> tuple[list[dict], dict]:
    before = []
    while True:
        frame = await next_frame(communicator, timeout=timeout, attendees=True)
        if frame["type"] == "snapshot":
            return before, frame
        before.append(frame)


async def assert_attendee_view(communicator, world, view: dict) -> None:
    """The fresh snapshot is the attendees' one; from then on a new waiting question reaches them as a `noop`, and
    moderation is refused, leaving the question as it was."""
    assert view["role"] == "attendee"
    assert SECRET not in json.dumps(view, ensure_ascii=False) and ASKER not in json.dumps(view, ensure_ascii=False)
    asker, *_ = await join(world.webinar, world.learner)
    ack = await send(asker, {"type": "question.ask", "text": "A second secret", "anonymous": False, "client_id": "q2"})
    assert ack["type"] in ("ack", "event")
    seen = json.dumps(await frames_until_quiet(communicator, timeout=1), ensure_ascii=False)
    assert "A second secret" not in seen and ASKER not in seen and '"noop"' in seen
    error = await send(
        communicator, {"type": "question.moderate", "question_id": world.question.pk, "action": "approve"}
    )
    assert error["type"] == "error" and error["code"] == "forbidden"
    assert (await db(Question.objects.get, pk=world.question.pk)).status == Question.Status.PENDING
    await asker.disconnect()


@REMOVALS
async def test_a_presenter_who_lost_the_role_is_refused_at_their_next_action_then_sees_the_attendees_view(
    settings, removal
):
    settings.WEBINARS_ROLE_CHECK_SECONDS = 3600  # no timer here: the refused action itself asks the rule again
    world = await db(a_moderated_room)
    presenter, _, _, snapshot = await join(world.webinar, world.trainer)
    assert snapshot["role"] == "presenter" and SECRET in json.dumps(snapshot, ensure_ascii=False)

    await db(removal, world)
    error = await send(presenter, {"type": "question.moderate", "question_id": world.question.pk,
                                   "action": "approve", "client_id": "m1"})  # fmt: skip
    assert error["type"] == "error" and error["code"] == "forbidden" and error["client_id"] == "m1"
    assert (await db(Question.objects.get, pk=world.question.pk)).status == Question.Status.PENDING
    before, view = await frames_until_snapshot(presenter)
    assert SECRET not in json.dumps(before, ensure_ascii=False)
    await assert_attendee_view(presenter, world, view)
    await presenter.disconnect()


@REMOVALS
async def test_a_presenter_who_lost_the_role_drops_to_the_attendees_view_at_the_next_check(settings, removal):
    settings.WEBINARS_ROLE_CHECK_SECONDS = 1
    world = await db(a_moderated_room)
    presenter, _, _, snapshot = await join(world.webinar, world.trainer)
    assert snapshot["role"] == "presenter"

    await db(removal, world)
    _before, view = await frames_until_snapshot(presenter)  # without sending anything
    await assert_attendee_view(presenter, world, view)
    await presenter.disconnect()


@REMOVALS
async def test_a_presenter_who_lost_the_role_gets_no_presenters_replay_on_resync(settings, removal):
    settings.WEBINARS_ROLE_CHECK_SECONDS = 3600
    world = await db(a_moderated_room)
    presenter, _, _, _snapshot = await join(world.webinar, world.trainer)
    await db(removal, world)
    await presenter.send_to(text_data=json.dumps({"type": "resync", "after_seq": 0, "client_id": "resync"}))
    before, view = await frames_until_snapshot(presenter)
    assert before == [] and view["role"] == "attendee"
    assert SECRET not in json.dumps(view, ensure_ascii=False)
    assert await presenter.receive_nothing(timeout=0.5)
    await presenter.disconnect()


async def close_code(communicator, *, timeout=5) -> int:
    while True:
        message = await communicator.receive_output(timeout=timeout)
        if message["type"] == "websocket.close":
            return message["code"]


def deactivate(user):
    type(user).objects.filter(pk=user.pk).update(is_active=False)


def delete(user):
    fresh(user).delete()


@pytest.mark.parametrize("change", [deactivate, delete], ids=["deactivated", "deleted"])
@pytest.mark.parametrize("who", ["trainer", "learner"])
async def test_a_person_deactivated_or_deleted_while_connected_loses_the_room(settings, who, change):
    settings.WEBINARS_ROLE_CHECK_SECONDS = 1
    world = await db(a_moderated_room)
    person = getattr(world, who)
    communicator, *_ = await join(world.webinar, person)
    await db(change, person)
    assert await close_code(communicator) == 4401
    assert not await db(lambda: Attendance.objects.filter(user_id=person.pk, disconnected_at__isnull=True).exists())
    await communicator.disconnect()


async def test_a_deactivated_presenters_next_action_closes_the_socket_and_changes_nothing(settings):
    settings.WEBINARS_ROLE_CHECK_SECONDS = 3600
    world = await db(a_moderated_room)
    presenter, *_ = await join(world.webinar, world.trainer)
    await db(deactivate, world.trainer)
    await presenter.send_to(text_data=json.dumps({"type": "question.moderate", "question_id": world.question.pk,
                                                  "action": "approve"}))  # fmt: skip
    assert await close_code(presenter) == 4401
    assert (await db(Question.objects.get, pk=world.question.pk)).status == Question.Status.PENDING
    await presenter.disconnect()


async def test_the_periodic_check_costs_one_query_for_all_attendees(settings):
    """Attendee sockets of active people are checked together (one query per process); a presenter's socket asks
    the rule on fresh data (its row, its groups, the webinar's presenters, the page's restrictions)."""
    settings.WEBINARS_ROLE_CHECK_SECONDS = 3600
    world = await db(a_moderated_room)
    people = [world.learner, *[await db(make_user) for _ in range(5)]]
    sockets = [(await join(world.webinar, person))[0] for person in people]
    hub = await room_hub.get_hub()
    counter = CaptureQueriesContext(connection)

    async def count(fn) -> int:
        await db(counter.__enter__)
        try:
            await fn()
        finally:
            await db(counter.__exit__, None, None, None)
        queries = await db(lambda: [q["sql"] for q in counter.captured_queries])
        # the hub's own maintenance (attendee counts, the log poll) may run meanwhile: not the check's
        return [sql for sql in queries if "webinars_room" not in sql and "webinars_attendance" not in sql]

    assert len(await count(hub.check_roles)) == 1
    presenter, *_ = await join(world.webinar, world.trainer)
    await asyncio.sleep(0.2)
    with_presenter = await count(hub.check_roles)
    assert len(with_presenter) <= 6, with_presenter
    for communicator in [*sockets, presenter]:
        await communicator.disconnect()

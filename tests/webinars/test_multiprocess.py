"""Two real ASGI server processes share one room through channels_redis and PostgreSQL; a private Redis is
stopped and restarted under a live room. Marked postgres + redis; run one at a time (xdist group)."""

import asyncio
import os
import uuid

import pytest
from django.db import connection

from lms.testing import make_user
from tests.servers import start_asgi, start_redis

from .factories import make_trainer, make_webinar
from .live import RoomClient, session_cookie

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.xdist_group("webinars-servers"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _server_env(redis_url: str, **extra) -> dict:
    settings = connection.settings_dict
    database_url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return {
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CHANNEL_LAYER_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
        **extra,
    }


def _room():
    trainer = make_trainer()
    webinar = make_webinar(presenters=[trainer])
    learners = [make_user() for _ in range(4)]
    return trainer, webinar, learners


def test_questions_asked_on_one_server_reach_the_other_in_seq_order():
    trainer, webinar, learners = _room()
    cookies = [session_cookie(u) for u in [trainer, *learners]]
    # A slow log poll: delivery between the processes must come through Redis, not the fallback.
    env = _server_env(os.environ["REDIS_URL"], WEBINARS_CATCH_UP_SECONDS="600")
    with start_asgi(env=env) as one, start_asgi(env=env) as two:
        try:
            asyncio.run(_two_servers(one, two, webinar.pk, cookies))
        except BaseException:
            print(one.output()[-3000:], two.output()[-3000:])
            raise


async def _two_servers(one, two, webinar_id, cookies):
    clients = [
        RoomClient((one if i % 2 == 0 else two).ws_url, webinar_id, cookie, name=f"c{i}")
        for i, cookie in enumerate(cookies)
    ]
    for client in clients:
        await client.open()
        await client.wait_for(lambda c: c.seq is not None)
    per_client = 5
    for round_ in range(per_client):
        await asyncio.gather(
            *(
                c.send(
                    {
                        "type": "question.ask",
                        "text": f"{c.name} q{round_}",
                        "anonymous": False,
                        "client_id": f"{c.name}-{round_}",
                    }
                )
                for c in clients[1:]
            )
        )
    expected = {f"{c.name} q{r}" for c in clients[1:] for r in range(per_client)}
    for client in clients:
        try:
            await client.wait_for(lambda c: set(c.question_texts()) >= expected, timeout=30)
        except TimeoutError:
            raise AssertionError(
                [(c.name, c.seq, len(c.question_texts()), c.errors[:2], len(c.acks)) for c in clients]
            ) from None
    orders = [[e["seq"] for e in c.events if e["name"] == "question.created"] for c in clients]
    texts = [c.question_texts() for c in clients]
    assert all(t == texts[0] for t in texts), "every client sees the same order"
    assert all(o == orders[0] for o in orders)
    for client in clients:
        seqs = [e["seq"] for e in client.events]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), f"{client.name} has a gap"
        assert not client.errors
        await client.close()


def test_redis_outage_loses_no_question():
    trainer, webinar, learners = _room()
    cookies = [session_cookie(u) for u in [trainer, *learners]]
    redis = start_redis()
    try:
        env = _server_env(f"redis://127.0.0.1:{redis.port}/0", WEBINARS_CATCH_UP_SECONDS="2")
        with start_asgi(env=env) as one, start_asgi(env=env) as two:
            asyncio.run(_outage(one, two, redis, webinar.pk, cookies))
    finally:
        redis.stop()


async def _outage(one, two, redis, webinar_id, cookies):
    clients = [
        RoomClient((one if i % 2 == 0 else two).ws_url, webinar_id, cookie, name=f"c{i}")
        for i, cookie in enumerate(cookies)
    ]
    for client in clients:
        await client.open()
        await client.wait_for(lambda c: c.seq is not None)
    asked = []

    async def ask(client, label):
        asked.append(label)
        await client.send({"type": "question.ask", "text": label, "anonymous": False, "client_id": label})

    await ask(clients[1], "before the outage")
    redis.stop()
    await ask(clients[1], "during, on server two")
    await ask(clients[2], "during, on server one")
    # A client drops and comes back during the outage: it resumes from its last seq.
    dropped = clients[3]
    await dropped.close()
    await ask(clients[4], "while c3 was away")
    await dropped.open()
    restarted = start_redis(port=redis.port)
    try:
        await asyncio.sleep(1)
        await ask(clients[1], "after the restart")
        for client in clients:
            await client.wait_for(lambda c: set(c.question_texts()) >= set(asked), timeout=40)
    finally:
        for client in clients:
            await client.close()
        restarted.stop()
    first = clients[0].question_texts()
    assert sorted(first) == sorted(asked)
    for client in clients:
        assert client.question_texts() == first
        seqs = [e["seq"] for e in client.events]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert dropped.snapshots == 1  # resumed with the missed events, no second snapshot

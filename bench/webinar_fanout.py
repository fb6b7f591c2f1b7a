"""Fan-out benchmark of the live webinar room.

Starts the platform's ASGI server (daphne by default; one or two workers; in-memory or Redis channel layer) or
targets a running one, connects N logged-in websocket clients to one room, lets attendees ask and vote at a
steady rate, and reports per broadcast the delivery latency to every client (p50, p95, p99, max), messages lost,
the time to connect everyone, and server memory per connection. Then it runs the same load against a minimal
broadcast server written with the `websockets` library (bench/floor_server.py) and prints the ratio.

    .venv/bin/python bench/webinar_fanout.py                        # 1,000 clients, 1 worker, in-memory layer
    .venv/bin/python bench/webinar_fanout.py --workers 2 --redis redis://127.0.0.1:6379/0
    .venv/bin/python bench/webinar_fanout.py --clients 200 --seconds 10 --no-floor

The database is a SQLite file (migrated on first use) unless --database-url is given.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import Process, free_port, start_asgi, start_tcp  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ---------------------------------------------------------------------------------------------------------------
# Setting up the platform side: database, users, sessions, the room


def prepare_platform(database_url: str, clients: int) -> tuple[int, list[str]]:
    """Migrate (if needed), create a live webinar and `clients` users with sessions; return (webinar id, cookies)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from lms.demo import ensure_home_pages
    from webinars.models import WebinarIndexPage, WebinarPage

    call_command("migrate", verbosity=0)
    home = ensure_home_pages()["en"]
    index = WebinarIndexPage.objects.child_of(home).first() or home.add_child(
        instance=WebinarIndexPage(title="Webinars", slug="webinars")
    )
    start = timezone.now() - timedelta(minutes=5)
    webinar = index.add_child(
        instance=WebinarPage(title=f"Bench {uuid.uuid4().hex[:6]}", slug=f"bench-{uuid.uuid4().hex[:10]}",
                             start=start, end=start + timedelta(hours=3))
    )  # fmt: skip
    User = get_user_model()
    tag = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create(
        [User(username=f"bench-{tag}-{i}", password="!") for i in range(clients)], batch_size=500
    )
    if not users[0].pk:  # SQLite before 3.35 returns no ids
        users = list(User.objects.filter(username__startswith=f"bench-{tag}-").order_by("pk"))
    store = SessionStore()
    sessions, cookies = [], []
    for user in users:
        key = store._get_new_session_key()
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                HASH_SESSION_KEY: user.get_session_auth_hash()}  # fmt: skip
        sessions.append(Session(session_key=key, session_data=store.encode(data),
                                expire_date=timezone.now() + timedelta(days=1)))  # fmt: skip
        cookies.append(f"sessionid={key}")
    Session.objects.bulk_create(sessions, batch_size=500)
    return webinar.pk, cookies


def start_floor() -> Process:
    port = free_port()
    return start_tcp([sys.executable, str(ROOT / "bench" / "floor_server.py"), "--port", str(port)],
                     env={**os.environ, "PYTHONUNBUFFERED": "1"}, name="floor", port=port)  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# The load


class Client:
    __slots__ = ("cookie", "events", "index", "received", "seq", "snapshot_seq", "socket", "url")

    def __init__(self, index: int, url: str, cookie: str):
        self.index, self.url, self.cookie = index, url, cookie
        self.seq = self.snapshot_seq = None
        self.received: dict[int, float] = {}  # seq -> arrival time
        self.events: dict[int, tuple] = {}  # seq -> (name, key)
        self.socket = None


async def open_socket(url: str, cookie: str, **options):
    """A websocket to the room as a signed-in browser opens it (session cookie, same-origin Origin header)."""
    from websockets.asyncio.client import connect

    options = {"compression": None, "open_timeout": 120, "max_queue": None, "ping_interval": None, **options}
    origin = url.replace("ws://", "http://").split("/ws/")[0]
    return await connect(url, origin=origin, additional_headers={"Cookie": cookie}, **options)


async def steady_actions(clients: list, question_ids: list[int], *, rate: float, seconds: float):
    """The steady load, `rate` actions a second for `seconds`: yields (n, actor, None) for an ask and (n, actor,
    question id) for a vote. Even actions ask (a spread-out attendee each time); odd ones vote on one of the three
    newest questions in `question_ids`, each vote by the next attendee in turn, so that nobody takes a vote back."""
    voter = 0
    start = time.perf_counter()
    for n in range(int(rate * seconds)):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if n % 2 == 0 or not question_ids:
            yield n, clients[(n * 7919) % len(clients)], None
        else:
            voter = (voter + 1) % len(clients)
            yield n, clients[voter], question_ids[-1 - (n // 2) % min(3, len(question_ids))]


async def run_load(urls: list[str], cookies: list[str], *, rate: float, seconds: float, connect_concurrency: int):
    clients = [Client(i, urls[i % len(urls)], cookies[i]) for i in range(len(cookies))]
    sent_at: dict[tuple, float] = {}
    question_ids: list[int] = []
    readers: list[asyncio.Task] = []
    gate = asyncio.Semaphore(connect_concurrency)
    snapshots = asyncio.Event()
    waiting = [len(clients)]

    async def reader(client: Client):
        loads, now = json.loads, time.perf_counter
        async for raw in client.socket:
            arrived = now()
            frame = loads(raw)
            kind = frame.get("type")
            if kind == "event":
                seq = frame["seq"]
                client.received[seq] = arrived
                data = frame["data"]
                if frame["name"] == "question.created":
                    client.events[seq] = ("ask", data["text"])
                    if client.index == 0:
                        question_ids.append(data["id"])
                elif frame["name"] == "question.updated":
                    client.events[seq] = ("vote", (data["id"], data["votes"]))
                else:
                    client.events[seq] = (frame["name"], None)
            elif kind == "snapshot":
                client.seq = client.snapshot_seq = frame["seq"]
                waiting[0] -= 1
                if waiting[0] == 0:
                    snapshots.set()

    async def open_one(client: Client):
        async with gate:
            client.socket = await open_socket(client.url, client.cookie)
            readers.append(asyncio.create_task(reader(client)))

    t0 = time.perf_counter()
    await asyncio.gather(*(open_one(c) for c in clients))
    await asyncio.wait_for(snapshots.wait(), timeout=300)
    connect_seconds = time.perf_counter() - t0

    # The k-th vote on a question is the broadcast with votes == k: that is how a vote's broadcast is matched to
    # the moment it was sent.
    votes_sent: dict[int, int] = {}
    async for n, actor, qid in steady_actions(clients, question_ids, rate=rate, seconds=seconds):
        if qid is None:
            text = f"bench question {n} {uuid.uuid4().hex[:6]}"
            sent_at[("ask", text)] = time.perf_counter()
            await actor.socket.send(json.dumps({"type": "question.ask", "text": text, "anonymous": n % 4 == 0,
                                                "client_id": uuid.uuid4().hex}))  # fmt: skip
        else:
            votes_sent[qid] = votes_sent.get(qid, 0) + 1
            sent_at[("vote", (qid, votes_sent[qid]))] = time.perf_counter()
            await actor.socket.send(json.dumps({"type": "question.vote", "question_id": qid}))
    # Let the last broadcasts arrive.
    last_seq = max((max(c.received) if c.received else 0) for c in clients)
    settle_until = time.perf_counter() + 15
    while time.perf_counter() < settle_until:
        last_seq = max((max(c.received) if c.received else 0) for c in clients)
        if all(len(c.received) >= last_seq - c.snapshot_seq for c in clients):
            break
        await asyncio.sleep(0.2)
    for client in clients:
        await client.socket.close()
    return clients, sent_at, connect_seconds, last_seq


def summarise(clients, sent_at, last_seq) -> dict:
    latencies: list[float] = []
    per_broadcast_p99: list[float] = []
    lost = 0
    by_seq: dict[int, list[float]] = {}
    key_of_seq: dict[int, tuple] = {}
    for client in clients:
        expected = range(client.snapshot_seq + 1, last_seq + 1)
        lost += sum(1 for seq in expected if seq not in client.received)
        for seq, arrived in client.received.items():
            by_seq.setdefault(seq, []).append(arrived)
            if seq in client.events:
                key_of_seq.setdefault(seq, client.events[seq])
    for seq, arrivals in by_seq.items():
        key = key_of_seq.get(seq)
        if key is None or key not in sent_at:
            continue
        sent = sent_at[key]
        values = [(a - sent) * 1000 for a in arrivals]
        latencies.extend(values)
        per_broadcast_p99.append(percentile(values, 99))
    return {
        "broadcasts_measured": len(per_broadcast_p99),
        "deliveries": len(latencies),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies) if latencies else float("nan"),
        "worst_broadcast_p99_ms": max(per_broadcast_p99) if per_broadcast_p99 else float("nan"),
        "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
        "lost": lost,
    }


def measure(label, urls, pids, cookies, args) -> dict:
    before = sum(rss_kib(pid) for pid in pids)
    clients, sent_at, connect_seconds, last_seq = asyncio.run(
        run_load(urls, cookies, rate=args.rate, seconds=args.seconds, connect_concurrency=args.connect_concurrency)
    )
    result = summarise(clients, sent_at, last_seq)
    result["connect_s"] = connect_seconds
    result["peak_rss_mib"] = sum(rss_kib(pid) for pid in pids) / 1024
    result["kib_per_connection"] = (sum(rss_kib(pid) for pid in pids) - before) / len(cookies) if pids else None
    result["label"] = label
    return result


def print_result(result: dict) -> None:
    print(
        f"{result['label']:<40} clients={len_clients} broadcasts={result['broadcasts_measured']} "
        f"p50={result['p50_ms']:.0f}ms p95={result['p95_ms']:.0f}ms p99={result['p99_ms']:.0f}ms "
        f"max={result['max_ms']:.0f}ms lost={result['lost']} connect={result['connect_s']:.1f}s "
        f"mem/conn={result['kib_per_connection'] or 0:.0f}KiB",
        flush=True,
    )


len_clients = 0


def main() -> None:
    global len_clients
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=4.0, help="actions (asks and votes) per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1, choices=(1, 2))
    parser.add_argument("--server", default="daphne", choices=("daphne", "uvicorn"))
    parser.add_argument("--redis", default="", help="REDIS_URL for the channel layer (required for 2 workers)")
    parser.add_argument("--layer", default="core", choices=("core", "pubsub"), help="channels_redis layer")
    parser.add_argument("--database-url", default=f"sqlite:///{Path('/tmp/webinar-bench.sqlite3')}")
    parser.add_argument("--url", default="", help="target a running server (ws://host:port); skips starting one")
    parser.add_argument("--webinar", type=int, default=0, help="with --url: the room id")
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--json", default="", help="also write the results to this file")
    args = parser.parse_args()
    if args.workers == 2 and not args.redis:
        parser.error("two workers need --redis")
    len_clients = args.clients
    results = []
    webinar_id, cookies = prepare_platform(args.database_url, args.clients)
    if args.url:
        urls = [f"{args.url}/ws/webinars/{args.webinar or webinar_id}/"]
        results.append(measure(f"platform at {args.url}", urls, [], cookies, args))
    else:
        env = {"DJANGO_SETTINGS_MODULE": "lms.settings.test", "DATABASE_URL": args.database_url,
               "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "600"}  # fmt: skip
        if args.redis:
            env.update(
                REDIS_URL=args.redis, CHANNEL_LAYER=args.layer, CHANNEL_LAYER_PREFIX=f"bench-{uuid.uuid4().hex[:8]}"
            )
        else:
            env["REDIS_URL"] = ""
        # daphne drops a websocket whose handshake takes over 5 s (its default); a 1,000-client storm needs more.
        extra = ("--websocket_connect_timeout", "60") if args.server == "daphne" else ()
        servers = [start_asgi(env=env, server=args.server, args=extra) for _ in range(args.workers)]
        try:
            urls = [f"{s.ws_url}/ws/webinars/{webinar_id}/" for s in servers]
            layer = f"redis-{args.layer}" if args.redis else "in-memory"
            label = f"{args.server} x{args.workers} ({layer})"
            results.append(measure(label, urls, [s.popen.pid for s in servers], cookies, args))
        finally:
            for server in servers:
                server.stop()
    print_result(results[-1])
    if not args.no_floor:
        floor = start_floor()
        try:
            results.append(measure("websockets floor", [floor.ws_url], [floor.popen.pid], cookies, args))
        finally:
            floor.stop()
        print_result(results[-1])
        ratio = results[0]["p99_ms"] / results[1]["p99_ms"] if results[1]["p99_ms"] else float("nan")
        print(f"p99 ratio platform/floor: {ratio:.2f}x", flush=True)
        results.append({"p99_ratio": ratio})
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

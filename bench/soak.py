"""Soak benchmark: the production topology under steady load, with a worker crash, a Redis restart and a
PostgreSQL restart on the way.

Everything runs on loopback and is started here: a private PostgreSQL cluster and a private redis-server (so
restarting them disturbs no other database), two uvicorn workers with production settings (channels_redis layer)
and Debian's nginx in front of them. N attendees sit in one live room, asking and voting at a steady rate, while
M learners read lesson pages. At 25% of the run one worker is killed with SIGKILL (its attendees reconnect through
nginx to the other one and resync; a supervisor's restart follows), at 50% Redis is restarted, at 75%
PostgreSQL. At the end every attendee resyncs once more: every acknowledged question must be in every
attendee's view and in the database (lost = 0). Not a CI test: the full run takes about a quarter of an hour.

    .venv/bin/python bench/soak.py --report bench/results/soak.md            # 1,000 attendees, 50 readers, 10 min
    .venv/bin/python bench/soak.py --attendees 200 --http-users 10 --minutes 2

Needs root (initdb and pg_ctl run as the postgres user through runuser) or a user who may run initdb.
Everything it starts is stopped, and its temporary folder removed (unless --keep), also on Ctrl-C.
"""

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import platform
import random
import re
import resource
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from array import array
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import HOST, environment, fetch, manage, publish_report, seed  # noqa: E402
from bench.webinar_fanout import Client, open_socket, percentile, prepare_platform, rss_kib, steady_actions  # noqa: E402
from tests.servers import Process, free_port, start_asgi, start_redis, start_tcp  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
NGINX = "/usr/sbin/nginx"
REFUSED = {4401, 4403, 4404, 4429}  # close codes after which room.js stops reconnecting
FAULTS = {
    "worker": (0.25, "worker SIGKILL"),
    "redis": (0.50, "Redis restart"),
    "postgres": (0.75, "PostgreSQL restart"),
}
WARM_UP = 0.20  # share of the run after which worker memory is the baseline (before the first fault)
GROWTH_TARGET = 10.0  # % RSS growth allowed after warm-up


# ---------------------------------------------------------------------------------------------------------------
# The servers


class Postgres:
    """A throwaway cluster in `root` on its own port, so that restarting it disturbs nobody else's database.
    initdb refuses to run as root: as root, every command runs as the postgres user in a folder it owns."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        root.mkdir()
        self.as_owner = []
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", "data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_owner, str(PG_BIN / tool), *args], cwd=self.root, check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", "data", "-l", "postgres.log", "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", "data", "-m", "fast", "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return (self.root / "data" / "postmaster.pid").exists()


NGINX_CONF = """\
worker_processes 1;
worker_rlimit_nofile 16384;
pid {root}/nginx.pid;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {root}/client_body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    keepalive_requests 100000;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream lms {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{
            proxy_pass http://lms;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 2s;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


def start_nginx(root: Path, upstream_ports: list[int], log_dir: Path) -> Process:
    """Debian's nginx as the balancer: websocket upgrade passed through, long reads for the room, and a dead
    upstream skipped (the next one is tried; the dead one rests for 3 s)."""
    root.mkdir()
    root.chmod(0o755)  # nginx's workers run as nobody when the master is root
    port = free_port()
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in upstream_ports)
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, port=port, servers=servers))
    return start_tcp(
        [NGINX, "-p", str(root), "-c", str(conf), "-g", "daemon off;"], name="nginx", port=port, log_dir=log_dir
    )


class Servers:
    """Every server of the run. The fault methods block (run them in a thread); stop() ends whatever runs."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.env: dict = {}
        self.postgres: Postgres | None = None
        self.redis: Process | None = None
        self.nginx: Process | None = None
        self.workers: list[Process] = []
        self.retired: list[Process] = []  # killed workers, kept for their logs

    def start_worker(self, slot: int, port: int | None = None) -> Process:
        # The slot's name lets a restarted worker close the intervals its dead predecessor left open.
        env = {**self.env, "WEBINARS_WORKER_NAME": f"soak-{slot + 1}"}
        return start_asgi(env=env, server="uvicorn", port=port, timeout=120, log_dir=self.tmp)

    def kill_worker(self, outage: float) -> None:
        victim = self.workers[0]
        victim.kill()
        self.retired.append(victim)
        time.sleep(outage)
        self.workers[0] = self.start_worker(0, victim.port)

    def restart_redis(self, outage: float) -> None:
        self.redis.stop()
        time.sleep(outage)
        self.redis = start_redis(port=self.redis.port, log_dir=self.tmp)

    def restart_postgres(self, outage: float) -> None:
        self.postgres.stop()
        time.sleep(outage)
        self.postgres.start()

    def stop(self) -> None:
        stops = [p.stop for p in (self.nginx, *self.workers, self.redis) if p is not None]
        if self.postgres is not None and self.postgres.running():
            stops.append(self.postgres.stop)
        for stop in stops:  # each one, whatever the others do
            try:
                stop()
            except Exception as error:
                print(f"cleanup: {stop.__qualname__} failed: {error}", file=sys.stderr)


def open_connections(port: int) -> int:
    """Established TCP connections to a worker (nginx's proxied websockets and requests in flight)."""
    out = subprocess.run(
        ["ss", "-Htn", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True
    ).stdout
    return len(out.splitlines())


# ---------------------------------------------------------------------------------------------------------------
# What the run measures


class Run:
    """Counters and samples shared by the attendees, the readers and the fault schedule (times: perf_counter)."""

    def __init__(self, minutes: float):
        self.seconds = minutes * 60
        self.start = 0.0
        self.errors: list[tuple[float, str]] = []  # (when, kind)
        self.counts: Counter = Counter()
        self.sent_at: dict[str, float] = {}  # question text -> first sent
        self.acked: dict[int, str] = {}  # question id -> text
        self.question_ids: list[int] = []  # acknowledged, in order: what voters vote on
        self.delivery = (array("d"), array("d"))  # (ask sent at, ms until an attendee had its event)
        self.pages = (array("d"), array("d"))  # (request started at, ms)
        self.ack_ms: list[float] = []
        self.reconnect_ms: list[float] = []
        self.windows: list[dict] = []  # faults: name, start, back (service up again), end (back + settle)
        self.memory: list[dict] = []  # samples: label, rows
        self.stopping = False
        self.reading = True

    def acknowledged(self, question: dict, now: float) -> None:
        if question["id"] not in self.acked:
            self.acked[question["id"]] = question["text"]
            self.question_ids.append(question["id"])
            self.ack_ms.append((now - self.sent_at[question["text"]]) * 1000)

    def error(self, kind: str) -> None:
        self.errors.append((time.perf_counter(), kind))

    def in_fault(self, t: float) -> bool:
        return any(w["start"] <= t <= w["end"] for w in self.windows)


class Attendee(Client):
    """The fan-out benchmark's client, grown into what the browser's room.js does: it reconnects with backoff
    (1 s doubling to 30 s, jittered) and `?after_seq=`, asks for a resync when a seq is skipped, applies events
    only in seq order, and re-sends its unacknowledged questions once live again (the server stores each
    client_id once). Pings every 25 s; a socket silent for 55 s is dropped."""

    __slots__ = (
        "attempt",
        "dropped_at",
        "gaps",
        "heard",
        "live",
        "pending",
        "questions",
        "refused",
        "resyncing",
        "synced",
    )

    def __init__(self, index: int, url: str, cookie: str):
        super().__init__(index, url, cookie)
        self.attempt = 0
        self.dropped_at: float | None = None
        self.gaps = 0
        self.heard = 0.0
        self.live = False
        self.pending: dict[str, dict] = {}  # client_id -> ask frame, until acknowledged or refused
        self.questions: set[int] = set()
        self.refused = False
        self.resyncing = False
        self.synced = asyncio.Event()

    async def serve(self, run: Run, gate: asyncio.Semaphore) -> None:
        async with gate:  # only the first connection is paced: reconnections spread by their own jitter
            await self.connect(run)
        while True:
            if self.socket is not None:
                await self.read(run)
            if run.stopping or self.refused:
                return
            base = min(30.0, 2.0**self.attempt)
            self.attempt += 1
            await asyncio.sleep(base / 2 + random.random() * base / 2)
            if run.stopping:
                return
            await self.connect(run)

    async def connect(self, run: Run) -> None:
        from websockets.exceptions import InvalidHandshake, InvalidStatus

        url = self.url + (f"?after_seq={self.seq}" if self.seq is not None else "")
        try:
            self.socket = await open_socket(url, self.cookie, open_timeout=30, max_size=None)
        except InvalidStatus as error:
            run.error(f"websocket handshake refused: HTTP {error.response.status_code}")
        except (OSError, TimeoutError, InvalidHandshake) as error:
            run.error(f"websocket connect failed: {type(error).__name__}")
        else:
            self.heard = time.perf_counter()

    async def read(self, run: Run) -> None:
        from websockets.exceptions import ConnectionClosed

        socket = self.socket
        with contextlib.suppress(ConnectionClosed):
            async for raw in socket:
                self.heard = time.perf_counter()
                await self.handle(json.loads(raw), run)
        self.socket = None
        self.live = False
        if run.stopping:
            return
        if socket.close_code in REFUSED:
            self.refused = True
            run.error(f"websocket refused: close code {socket.close_code}")
            return
        run.counts["websocket drops"] += 1
        if self.dropped_at is None:
            self.dropped_at = time.perf_counter()

    async def send(self, frame: dict) -> bool:
        from websockets.exceptions import ConnectionClosed

        if self.socket is None:
            return False
        try:
            await self.socket.send(json.dumps(frame))
        except ConnectionClosed:
            return False
        return True

    async def handle(self, frame: dict, run: Run) -> None:
        kind = frame.get("type")
        if kind == "event":
            await self.apply(frame, run)
        elif kind == "snapshot":
            self.seq = frame["seq"]
            self.questions = {q["id"] for q in frame["questions"]}
            run.counts["snapshots"] += 1
            await self.on_live(run)
        elif kind == "resynced":
            run.counts["resyncs"] += 1
            await self.on_live(run)
        elif kind == "ack" and "question" in frame:
            if self.pending.pop(frame["client_id"], None) is not None:
                run.acknowledged(frame["question"], self.heard)
            self.questions.add(frame["question"]["id"])
        elif kind == "ack":
            run.counts["votes acknowledged"] += 1
        elif kind == "error":
            if self.pending.pop(frame.get("client_id"), None) is not None:
                run.error(f"ask refused: {frame['code']}")
            else:
                run.error(f"error frame: {frame['code']}")

    async def apply(self, frame: dict, run: Run) -> None:
        seq = frame["seq"]
        if self.seq is None or seq <= self.seq:
            return
        if seq > self.seq + 1:
            self.gaps += 1
            if not self.resyncing:
                self.resyncing = True
                await self.send({"type": "resync", "after_seq": self.seq})
            return
        self.seq = seq
        if frame["name"] in ("question.created", "question.updated"):
            data = frame["data"]
            self.questions.add(data["id"])
            sent = run.sent_at.get(data["text"]) if frame["name"] == "question.created" else None
            if sent is not None:
                run.delivery[0].append(sent)
                run.delivery[1].append((self.heard - sent) * 1000)

    async def on_live(self, run: Run) -> None:
        self.attempt = 0
        self.resyncing = False
        self.live = True
        self.synced.set()
        if self.dropped_at is not None:
            run.reconnect_ms.append((time.perf_counter() - self.dropped_at) * 1000)
            self.dropped_at = None
        for frame in list(self.pending.values()):
            run.counts["asks re-sent after a reconnect"] += 1
            await self.send(frame)

    async def ask(self, n: int, run: Run) -> None:
        text = f"soak question {n} {uuid.uuid4().hex[:8]}"
        frame = {"type": "question.ask", "text": text, "anonymous": n % 4 == 0, "client_id": uuid.uuid4().hex}
        self.pending[frame["client_id"]] = frame
        run.sent_at[text] = time.perf_counter()
        run.counts["asks"] += 1
        if not await self.send(frame):
            run.counts["asks made offline (sent once live)"] += 1

    async def resync(self) -> bool:
        """The final check: ask for everything after the last seq applied and wait until live again."""
        self.synced.clear()
        self.resyncing = True
        if not await self.send({"type": "resync", "after_seq": self.seq}):
            return False
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.synced.wait(), timeout=60)
        return self.synced.is_set()


async def keep_alive(attendees: list[Attendee], run: Run) -> None:
    """room.js's ping: every 25 s; a socket that heard nothing for 55 s is dead, whatever TCP says."""
    while not run.stopping:
        await asyncio.sleep(25)
        now = time.perf_counter()
        for attendee in attendees:
            if attendee.socket is None:
                continue
            if now - attendee.heard > 55:
                run.counts["silent sockets dropped"] += 1
                attendee.socket.transport.abort()
            else:
                await attendee.send({"type": "ping"})


async def read_lessons(number: int, session: str, lessons: list[str], port: int, run: Run, think: float) -> None:
    """One learner: a lesson page, a pause to read it (think time, jittered), the next lesson, over one keep-alive
    connection through nginx (opened again after an error)."""
    rng = random.Random(number)
    position = rng.randrange(len(lessons))
    streams = None
    while run.reading:
        path = lessons[position % len(lessons)]
        position += 1
        started = time.perf_counter()
        try:
            if streams is None:
                streams = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout=10)
            status, _ = await asyncio.wait_for(fetch(*streams, path, session), timeout=30)
        except (OSError, EOFError, TimeoutError, ValueError) as error:
            run.error(f"HTTP {type(error).__name__}")
            if streams is not None:
                streams[1].close()
            streams = None
        else:
            run.pages[0].append(started)
            run.pages[1].append((time.perf_counter() - started) * 1000)
            run.counts["lesson pages read"] += 1
            if not 200 <= status < 300:
                run.error(f"HTTP {status}")
        await asyncio.sleep(think * (0.5 + rng.random()))
    if streams is not None:
        streams[1].close()


def sample_memory(servers: Servers, run: Run, label: str) -> None:
    rows = [
        {"slot": slot + 1, "pid": w.popen.pid, "rss_kib": rss_kib(w.popen.pid), "connections": open_connections(w.port)}
        for slot, w in enumerate(servers.workers)
        if w.alive()
    ]
    run.memory.append({"label": label, "at": time.perf_counter() - run.start, "rows": rows})


async def fault_schedule(servers: Servers, run: Run, args) -> None:
    """Warm-up sample, then each fault at its share of the run: inject, wait for the service to be back, and
    count the following `settle` seconds as part of its window; a memory sample before each and at the end."""

    async def until(share: float) -> None:
        await asyncio.sleep(max(0.0, run.start + share * run.seconds - time.perf_counter()))

    await until(WARM_UP)
    sample_memory(servers, run, "warm-up")
    actions = {"worker": servers.kill_worker, "redis": servers.restart_redis, "postgres": servers.restart_postgres}
    for key in args.faults:
        share, name = FAULTS[key]
        await until(share)
        if key != "worker":  # the warm-up sample was just taken before the kill
            sample_memory(servers, run, f"before {name}")
        window = {"name": name, "start": time.perf_counter()}
        run.windows.append(window)
        window["end"] = float("inf")  # until the service is back
        print(f"{window['start'] - run.start:.0f} s: {name}", flush=True)
        await asyncio.to_thread(actions[key], args.outage)
        window["back"] = time.perf_counter()
        window["end"] = window["back"] + args.settle
    await until(1.0)
    sample_memory(servers, run, "end")


async def soak(servers: Servers, run: Run, args, webinar_id: int, cookies: list[str], readers: list[dict]) -> dict:
    url = f"ws://127.0.0.1:{servers.nginx.port}/ws/webinars/{webinar_id}/"
    attendees = [Attendee(i, url, cookie) for i, cookie in enumerate(cookies)]
    gate = asyncio.Semaphore(args.connect_concurrency)
    started = time.perf_counter()
    tasks = [asyncio.create_task(a.serve(run, gate)) for a in attendees]
    while sum(a.live or a.refused for a in attendees) < len(attendees) and time.perf_counter() - started < 600:
        await asyncio.sleep(0.2)
    connect_s = time.perf_counter() - started
    print(f"attendees joined in {connect_s:.1f} s; load for {run.seconds:.0f} s", flush=True)
    run.start = time.perf_counter()
    background = [asyncio.create_task(keep_alive(attendees, run))]
    reading = [
        asyncio.create_task(read_lessons(i, r["session"], r["lessons"], servers.nginx.port, run, args.think))
        for i, r in enumerate(readers)
    ]
    faults = asyncio.create_task(fault_schedule(servers, run, args))
    async for n, actor, question_id in steady_actions(attendees, run.question_ids, rate=args.rate, seconds=run.seconds):
        if question_id is None:
            await actor.ask(n, run)
        elif actor.live:
            await actor.send({"type": "question.vote", "question_id": question_id})
            run.counts["votes"] += 1
        else:
            run.counts["votes not made (voter offline)"] += 1
    await faults
    run.reading = False
    await asyncio.gather(*reading)

    # Drain: everyone live again and every ask answered, then one last resync each.
    drain_until = time.perf_counter() + args.drain
    while time.perf_counter() < drain_until and any((not a.live and not a.refused) or a.pending for a in attendees):
        await asyncio.sleep(0.5)
    synced = await asyncio.gather(*(a.resync() for a in attendees))
    quiet_until = time.perf_counter() + 10  # trailing attendee-count events: wait until everyone is level
    while time.perf_counter() < quiet_until and len({a.seq for a in attendees if a.live}) > 1:
        await asyncio.sleep(0.5)
    run.stopping = True
    final_seq = max((a.seq or 0) for a in attendees)
    acked = set(run.acked)
    checked = [a for a, ok in zip(attendees, synced, strict=True) if ok]
    for attendee in attendees:
        if attendee.socket is not None:
            await attendee.socket.close()
    for task in [*tasks, *background]:
        task.cancel()
    await asyncio.gather(*tasks, *background, return_exceptions=True)
    return {
        "connect_s": connect_s,
        "final_seq": final_seq,
        "not_live": len(attendees) - len(checked),
        "lost_pairs": sum(len(acked - a.questions) for a in checked),
        "lost_questions": len(set().union(*(acked - a.questions for a in checked))),
        "gaps_seen": sum(a.gaps for a in attendees),
        "behind_at_end": sum(1 for a in checked if a.seq < final_seq),
        "never_acked": sum(len(a.pending) for a in attendees),
    }


# ---------------------------------------------------------------------------------------------------------------
# Setting up, checking the database, reporting


def server_environment(postgres: Postgres, redis: Process, tmp: Path) -> dict:
    """bench/pages.py's production environment with this run's own database, Redis, secret and folders."""
    env = environment("postgres", server="uvicorn")
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DATABASE_URL=postgres.url,
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        CHANNEL_LAYER="core",
        CHANNEL_LAYER_PREFIX=f"soak-{uuid.uuid4().hex[:8]}",
        SECRET_KEY=secrets.token_urlsafe(50),
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp / "private"),
    )
    return env


def prepare(servers: Servers, args) -> tuple[int, list[str], list[dict]]:
    """Migrate, load the demo, seed the courses and the readers (bench/pages.py) and the room with its attendees
    (bench/webinar_fanout.py), in this process, with the servers' settings."""
    env = servers.env
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo")
    os.environ.update(env)
    readers = seed(
        course_count=args.courses, lesson_count=args.lessons, learners=max(args.http_users, 1), browsers=args.http_users
    ).get("browsers", [])
    webinar_id, cookies = prepare_platform(env["DATABASE_URL"], args.attendees)
    close_database()
    return webinar_id, cookies, readers


def close_database() -> None:
    """Give back this process's pooled connections: the pool would hand out dead ones after the restart."""
    from django.db import connection

    connection.close()
    connection.close_pool()


def stored_question_ids(webinar_id: int) -> set[int]:
    from webinars.models import Question

    close_database()
    return set(Question.objects.filter(webinar_id=webinar_id).values_list("id", flat=True))


def server_exceptions(processes: list[Process]) -> Counter:
    """What ended each traceback in the workers' logs (not the exceptions it was raised while handling)."""
    exception = re.compile(r"^((?=[\w.]*[a-z])[A-Za-z_][\w.]*)(?::|$)")
    chained = ("During handling of the above exception", "The above exception was the direct cause")
    found: Counter = Counter()
    for process in processes:
        lines = process.output().splitlines()
        for i, line in enumerate(lines):
            match = exception.match(line)
            if match and not any(lines[i + 2 : i + 3] and lines[i + 2].startswith(c) for c in chained):
                found[match.group(1)] += 1
    return found


def machine() -> str:
    model = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    cpu = model.group(1) if model else platform.processor()
    versions = []
    for cmd in ([NGINX, "-v"], ["redis-server", "--version"], [str(PG_BIN / "postgres"), "--version"]):
        out = subprocess.run(cmd, capture_output=True, text=True)
        versions.append((out.stdout or out.stderr).strip().split("\n")[0])
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}; " + "; ".join(versions)
    )


def summary(counts: Counter) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in counts.most_common()) or "none"


def percentile_row(label: str, sample) -> str:
    cells = " | ".join(f"{percentile(sample, q):.0f}" for q in (50, 95, 99))
    return f"| {label} | {len(sample)} | {cells} | {max(sample, default=float('nan')):.0f} |"


def latency_rows(name: str, times: array, values: array, run: Run) -> list[str]:
    quiet = [v for t, v in zip(times, values, strict=True) if not run.in_fault(t)]
    return [percentile_row(name, list(values)), percentile_row(f"{name}, outside fault windows", quiet)]


def growth(samples: dict, base_label: str | None) -> str:
    base, last = samples.get(base_label), samples.get("end")
    if not (base and last):
        return "n/a"
    pct = 100 * (last["rss_kib"] - base["rss_kib"]) / base["rss_kib"]
    return f"{pct:+.1f}% {'ok' if pct < GROWTH_TARGET else 'OVER'}"


def memory_rows(run: Run, killed_pids: set[int], worker_killed: bool) -> list[str]:
    by_pid: dict[int, dict] = {}
    for sample in run.memory:
        for row in sample["rows"]:
            by_pid.setdefault(row["pid"], {"slot": row["slot"], "samples": {}})["samples"][sample["label"]] = row
    labels = [s["label"] for s in run.memory]
    lines = [
        "| worker | " + " | ".join(labels) + " | growth after warm-up | growth since the kill settled |",
        "|---|" + "---:|" * (len(labels) + 2),
    ]
    settled = next((label for label in labels if label.startswith("before")), None) if worker_killed else None
    for pid, info in by_pid.items():
        samples = info["samples"]
        cells = [
            f"{samples[x]['rss_kib'] / 1024:.0f} MiB ({samples[x]['connections']} conn.)" if x in samples else ""
            for x in labels
        ]
        role = "killed" if pid in killed_pids else ("restarted" if "warm-up" not in samples else "kept")
        lines.append(
            f"| {info['slot']} ({role}, pid {pid}) | "
            + " | ".join(cells)
            + f" | {growth(samples, 'warm-up')} | {growth(samples, settled)} |"
        )
    return lines


def report(args, run: Run, result: dict, stored: set[int], servers: Servers, started_at: str, load: str) -> list:
    acked = set(run.acked)
    missing_db = len(acked - stored)
    lost = result["lost_pairs"] + missing_db
    verdict = "PASS" if lost == 0 and result["not_live"] == 0 and result["behind_at_end"] == 0 else "FAIL"
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    faults = ", ".join(FAULTS[k][1] for k in args.faults) or "no faults"
    lines = [
        f"### Soak: {args.attendees} attendees, {args.http_users} readers, {args.minutes:g} min; {faults}",
        "",
        f"- Date: {started_at}; machine: {machine()}",
        f"- Load average (1/5/15 min) at start {load}, at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- Command: `{shlex.join([Path(sys.executable).name, 'bench/soak.py', *sys.argv[1:]])}`",
        f"- Parameters: rate {args.rate:g} room actions/s (half asks, half votes), reader think time "
        f"{args.think:g} s, outage {args.outage:g} s per fault, windows end {args.settle:g} s after the service "
        f"is back; {args.courses} courses x {args.lessons} lessons; 2 uvicorn workers behind nginx, PostgreSQL "
        f"and Redis private to the run",
        f"- Load generator (this process, one event loop): {cpu.ru_utime + cpu.ru_stime:.0f} s CPU; attendees "
        f"connected in {result['connect_s']:.1f} s",
        "",
        f"**{verdict}**: lost {lost} (acknowledged questions missing from an attendee's final view: "
        f"{result['lost_pairs']} attendee-question pairs, {result['lost_questions']} distinct questions; missing "
        f"from the database: {missing_db}); attendees not live at the end: {result['not_live']}; behind the "
        f"room's last seq after the final resync: {result['behind_at_end']}.",
        "",
        f"| fault | at (s) | service back after (s) | errors while down | errors in the {args.settle:g} s after |",
        "|---|---:|---:|---|---|",
    ]
    for w in run.windows:
        down = Counter(kind for t, kind in run.errors if w["start"] <= t < w["back"])
        after = Counter(kind for t, kind in run.errors if w["back"] <= t <= w["end"])
        lines.append(
            f"| {w['name']} | {w['start'] - run.start:.0f} | {w['back'] - w['start']:.1f} | {summary(down)} | "
            f"{summary(after)} |"
        )
    lines += [
        "",
        "| room | count |",
        "|---|---:|",
        f"| questions asked | {run.counts['asks']} |",
        f"| acknowledged | {len(acked)} |",
        f"| never acknowledged (still waiting at the end) | {result['never_acked']} |",
        f"| stored without an acknowledgement reaching the asker | {len(stored - acked)} |",
        f"| votes sent / acknowledged | {run.counts['votes']} / {run.counts['votes acknowledged']} |",
        f"| seq gaps seen (each filled by a resync) | {result['gaps_seen']} |",
        f"| room seq at the end | {result['final_seq']} |",
    ]
    lines += [
        f"| {k} | {v} |"
        for k, v in sorted(run.counts.items())
        if k not in ("asks", "votes", "votes acknowledged", "lesson pages read")
    ]
    lines += [
        "",
        "| latency (ms) | samples | p50 | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|",
        *latency_rows("question delivery (ask sent → each attendee)", *run.delivery, run),
        *latency_rows("lesson page (through nginx)", *run.pages, run),
        percentile_row("ask → ack", run.ack_ms),
        percentile_row("reconnect (drop → live again)", run.reconnect_ms),
    ]
    lines += ["", f"Lesson pages read: {run.counts['lesson pages read']}.", ""]
    lines += ["| error | count | outside fault windows |", "|---|---:|---:|"]
    total = Counter(kind for _t, kind in run.errors)
    quiet = Counter(kind for t, kind in run.errors if not run.in_fault(t))
    lines += [f"| {k} | {v} | {quiet[k]} |" for k, v in total.most_common()] or ["| none | 0 | 0 |"]
    killed = {p.popen.pid for p in servers.retired}
    lines += [
        "",
        f"Worker memory (RSS and open connections; target: under {GROWTH_TARGET:g}% growth after warm-up). The kept "
        "worker takes over the killed worker's attendees, so its growth after warm-up includes their connections; "
        "growth since the kill settled (the sample before the next fault) is the one that shows a leak.",
        "",
    ]
    lines += memory_rows(run, killed, "worker" in args.faults)
    exceptions = server_exceptions([*servers.retired, *servers.workers])
    lines += [
        "",
        "Exceptions in the workers' logs (handled ones too: the hub logs a layer outage with a traceback):",
        "",
    ]
    lines += [f"- `{k}`: {v}" for k, v in exceptions.most_common(12)] or ["- none"]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attendees", type=int, default=1000)
    parser.add_argument("--http-users", type=int, default=50, help="learners reading lesson pages")
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the load (faults at 25/50/75%%)")
    parser.add_argument("--report", type=Path, help="also append the Markdown report to this file")
    parser.add_argument("--rate", type=float, default=4.0, help="room actions a second (half asks, half votes)")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds a reader spends on a page")
    parser.add_argument("--faults", default="worker,redis,postgres", help="which faults, comma-separated")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds each service stays down")
    parser.add_argument("--settle", type=float, default=15.0, help="seconds after recovery still in a fault window")
    parser.add_argument("--drain", type=float, default=120.0, help="at most this long for everyone to be live again")
    parser.add_argument("--courses", type=int, default=10)
    parser.add_argument("--lessons", type=int, default=10, help="per course")
    parser.add_argument("--connect-concurrency", type=int, default=50, help="attendees joining at once at the start")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs) for a look")
    args = parser.parse_args()
    args.faults = [f for f in args.faults.split(",") if f]
    if unknown := set(args.faults) - set(FAULTS):
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    args.faults.sort(key=lambda f: FAULTS[f][0])

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # cleaned up as after Ctrl-C
    try:
        lines = run_soak(args)
    except KeyboardInterrupt:
        sys.exit("interrupted: every server stopped, the temporary folder removed")
    publish_report(lines, args.report)


def run_soak(args) -> list[str]:
    started_at = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    tmp = Path(tempfile.mkdtemp(prefix="lms-soak-"))
    tmp.chmod(0o711)  # the postgres user and nginx's workers reach their own folders inside
    servers = Servers(tmp)
    try:
        servers.postgres = Postgres(tmp / "postgres")
        servers.postgres.start()
        servers.redis = start_redis(log_dir=tmp)
        servers.env = server_environment(servers.postgres, servers.redis, tmp)
        print(f"servers and data in {tmp}; preparing the database...", flush=True)
        webinar_id, cookies, readers = prepare(servers, args)
        servers.workers = [servers.start_worker(slot) for slot in range(2)]
        servers.nginx = start_nginx(tmp / "nginx", [w.port for w in servers.workers], tmp)
        print(f"nginx on {servers.nginx.url}; {args.attendees} attendees joining...", flush=True)
        run = Run(args.minutes)
        result = asyncio.run(soak(servers, run, args, webinar_id, cookies, readers))
        stored = stored_question_ids(webinar_id)
        return report(args, run, result, stored, servers, started_at, load)
    finally:
        servers.stop()
        if args.keep:
            print(f"kept {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

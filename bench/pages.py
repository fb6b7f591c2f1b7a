"""Benchmark of the course pages under production's server.

Seeds 50 courses x 20 lessons and 2,000 learners (idempotent), serves the app with production settings
(gunicorn with 2 worker processes by default, as docs/deploy.md runs the pages; uvicorn or daphne on request),
and measures requests per second and p50/p99 latency
for the catalogue, a course page, a lesson page and the dashboard, logged in as a learner, at 20 concurrent
keep-alive clients. The same lesson asked for again and again by one learner is served from the copy kept for
them (courses/pagecache.py), so the lesson is measured a second way too: each request another learner's first
view of another lesson, rendered every time. Only 127.0.0.1 is ever contacted; every loop is bounded.

    .venv/bin/python bench/pages.py --db sqlite
    .venv/bin/python bench/pages.py --db postgres      # database lms_courses on 127.0.0.1:5432
    .venv/bin/python bench/pages.py --db sqlite --server daphne --workers 1

Results (a Markdown table) go to stdout and, with --out, to a file; with --json, as JSON (bench/compare.py).
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
COURSES = 50
LESSONS = 20
LEARNERS = 2000
BENCH_USERNAME = "bench-learner"
SERVER_LOG = Path("/tmp/lms-bench-server.log")
FIRST_VIEW_LEARNERS = 60  # 3 courses x 20 lessons each: 3,600 (learner, lesson) pairs, enough for 3 runs of 1,000
# A cohort: learners who all take the same 3 courses, as a training group does. The first ones to open a lesson
# warm it up; the others' first views are measured (each learner's view is still their first).
COHORT_LEARNERS, COHORT_WARM_UP_LEARNERS = 60, 10
# The floor: a view with no query and no template behind the same server and middleware. No page can beat it.
FLOOR = {"floor: `/healthz/`": "/healthz/"}
DATABASES = {
    "sqlite": "sqlite:////tmp/lms-bench-courses.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1:5432/lms_courses",
}
# Production's server for the pages of the checkout measured (docs/deploy.md): gunicorn since issue 19; a checkout
# from before it has no gunicorn.conf.py and served its pages with uvicorn (bench/compare.py measures both).
PRODUCTION_SERVER = "gunicorn" if (ROOT / "gunicorn.conf.py").exists() else "uvicorn"
SERVERS = ["gunicorn", "uvicorn", "daphne"]
# What the load generator asks of each connection: keep-alive, or "close" (`--close`): a new connection for each
# request, as nginx opens them to the servers behind it in docs/deploy.md (no upstream keepalive).
CONNECTION = {"header": "keep-alive"}
# What `--pages` may name: the floor and seed()'s four URLs (by their row's name), and the two kinds of first views.
URL_PAGES = {
    "floor": next(iter(FLOOR)),
    "catalogue": "catalogue",
    "course": "course page",
    "lesson": "lesson page",
    "dashboard": "dashboard",
}
PAGE_KEYS = [*URL_PAGES, "first-views", "cohort"]


# --- Seeding (runs in a child process with Django set up) ---------------------------------------------------------


def record_pages(*, course, lesson=None) -> dict:
    """A learner's record's page fields as the checked-out commit's models take them: with the courses' translation
    keys since issue 21 (`courses.models.record_pages`), the page foreign keys alone before (bench/compare.py runs
    this bench/ against older commits)."""
    try:
        from courses.models import record_pages as fields
    except ImportError:
        return {"course": course, **({"lesson": lesson} if lesson is not None else {})}
    return fields(course=course, lesson=lesson)


def seed(
    *,
    course_count: int = COURSES,
    lesson_count: int = LESSONS,
    learners: int = LEARNERS,
    browsers: int = 0,
    cohort: int = 0,
) -> dict:
    """Create the bench courses and learners once; return the URLs to measure and a session cookie, and with
    `browsers` that many enrolled learners, each with a session and the lesson URLs of their courses (for
    bench/soak.py, whose browsing users are different people), and with `cohort` that many learners more, as
    `browsers` are, who all take the 2nd to 4th bench courses."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from courses import services
    from courses.demo import demo_key, lesson_body
    from courses.demo_content import BUDGET_EN, STREET_EN
    from courses.models import (
        CourseIndexPage,
        CoursePage,
        Enrollment,
        LessonPage,
        LessonProgress,
        Track,
    )
    from lms.models import User
    from tests.webinars.live import session_cookie  # the same logged-in session the room tests use

    english = Locale.objects.get(language_code="en")
    index = CourseIndexPage.objects.get(locale=english)
    track = Track.objects.filter(locale=english).first()
    bodies = [lesson["body"] for spec in (BUDGET_EN, STREET_EN) for lesson in spec["lessons"]]
    plain = [[item for item in body if item[0] not in ("quiz", "assignment", "material")] for body in bodies]
    quiz_body = next(body for body in bodies if any(item[0] == "quiz" for item in body))
    courses = list(CoursePage.objects.filter(slug__startswith="bench-course-").order_by("path"))
    with transaction.atomic():
        for c in range(len(courses), course_count):
            course = index.add_child(
                instance=CoursePage(
                    title=f"Bench course {c + 1}: budget advocacy in practice",
                    slug=f"bench-course-{c + 1}",
                    summary="A course generated for the page benchmark, with real lesson text from the demo.",
                    track=track,
                    locale=english,
                )
            )
            for n in range(lesson_count):
                body = quiz_body if n == lesson_count - 1 else plain[n % len(plain)]
                course.add_child(
                    instance=LessonPage(
                        title=f"Lesson {n + 1}",
                        slug=f"lesson-{n + 1}",
                        body=lesson_body(body, key=f"bench:{c}:{n}", materials={}),
                        locale=english,
                        translation_key=demo_key("bench", str(c), str(n)),
                    )
                )
            courses.append(course)
        existing = User.objects.filter(username__startswith="bench-").count()
        if existing < learners:
            User.objects.bulk_create(User(username=f"bench-{i}", password="!") for i in range(existing, learners))
            users = list(User.objects.filter(username__startswith="bench-").order_by("pk"))
            lessons_by_course = {
                course.pk: list(LessonPage.objects.child_of(course).order_by("path").only("pk", "translation_key"))
                for course in courses
            }
            now = timezone.now()
            enrollments, progress = [], []
            for i, user in enumerate(users):
                for k in range(3):  # each learner takes 3 courses and has done 5 lessons in each
                    course = courses[(i + k * 7) % len(courses)]
                    enrollments.append(Enrollment(user=user, **record_pages(course=course), progress_percent=24))
                    progress += [
                        LessonProgress(user=user, **record_pages(course=course, lesson=lesson), completed_at=now)
                        for lesson in lessons_by_course[course.pk][:5]
                    ]
            Enrollment.objects.bulk_create(enrollments, ignore_conflicts=True)
            LessonProgress.objects.bulk_create(progress, batch_size=5000, ignore_conflicts=True)
        for i in range(cohort):  # named apart from the "bench-" learners, whom the count above is about
            member, created = User.objects.get_or_create(username=f"cohort-{i}", defaults={"password": "!"})
            for course in courses[1:4] if created else []:
                Enrollment.objects.create(user=member, **record_pages(course=course), progress_percent=25)
                LessonProgress.objects.bulk_create(
                    LessonProgress(
                        user=member, **record_pages(course=course, lesson=lesson), completed_at=timezone.now()
                    )
                    for lesson in LessonPage.objects.child_of(course).order_by("path")[:5]
                )
    learner = User.objects.filter(username=BENCH_USERNAME).first()
    if learner is None:
        learner = User.objects.create(username=BENCH_USERNAME, password="!")
    course = courses[0]
    services.enrollment_create(user=learner, course=course)
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    if not LessonProgress.objects.filter(user=learner).exists():
        for lesson in lessons[:5]:
            services.lesson_complete(user=learner, lesson=lesson)
    seeded = {
        "session": session_cookie(learner).removeprefix("sessionid="),
        "urls": {
            "catalogue": index.url,
            "course page": course.url,
            "lesson page": lessons[-1].url,  # the one with the quiz
            "dashboard": "/dashboard/",
        },
        "counts": {
            "courses": CoursePage.objects.count(),
            "lessons": LessonPage.objects.count(),
            "learners": User.objects.count(),
            "enrollments": Enrollment.objects.count(),
            "lesson_progress": LessonProgress.objects.count(),
        },
    }
    lesson_urls = {}  # course pk: its lesson URLs, read once, only when readers are asked for

    def readers(prefix: str, count: int) -> list[dict]:
        """Enrolled learners whose username starts with `prefix`: a session and the lesson URLs of their courses."""
        if not lesson_urls:
            lesson_urls.update(
                {c.pk: [lesson.url for lesson in LessonPage.objects.child_of(c).order_by("path")] for c in courses}
            )
        enrolled = User.objects.filter(username__startswith=prefix, course_enrollments__isnull=False).distinct()
        return [
            {
                "session": session_cookie(user).removeprefix("sessionid="),
                "lessons": [url for e in user.course_enrollments.all() for url in lesson_urls[e.course_id]],
            }
            for user in enrolled.order_by("pk").prefetch_related("course_enrollments")[:count]
        ]

    if browsers:
        seeded["browsers"] = readers("bench-", browsers)
    if cohort:
        seeded["cohort"] = readers("cohort-", cohort)
    return seeded


# --- Load generation ----------------------------------------------------------------------------------------------


async def fetch(reader, writer, path: str, cookie: str) -> tuple[int, bool]:
    """One HTTP/1.1 GET; returns the status and whether the server keeps the connection open (gunicorn's sync
    workers close it after each response, and any server does when asked to). Reads Content-Length or chunked
    bodies."""
    session = f"Cookie: sessionid={cookie}\r\n" if cookie else ""  # anonymous: no cookie at all, as a browser
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{session}Accept-Encoding: identity\r\n"
        f"Connection: {CONNECTION['header']}\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection", "").lower() != "close"


async def load(
    port: int, paths: str | list[str] | list[tuple[str, str]], cookie: str, *, concurrency: int, requests: int
) -> dict:
    """`requests` GETs from `concurrency` keep-alive clients; with a list of paths, request i asks for path i (a
    (path, session) pair: as that person). A connection the server closes is opened again for the next request,
    within that request's time."""
    paths = [paths] if isinstance(paths, str) else paths
    latencies: list[float] = []
    errors = 0
    remaining = requests

    async def client():
        nonlocal remaining, errors
        writer = None
        try:
            while remaining > 0:
                remaining -= 1
                path = paths[remaining % len(paths)]
                path, session = path if isinstance(path, tuple) else (path, cookie)
                start = time.perf_counter()
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                status, keep_alive = await asyncio.wait_for(fetch(reader, writer, path, session), timeout=30)
                latencies.append(time.perf_counter() - start)
                if status != 200:
                    errors += 1
                if not keep_alive:
                    writer.close()
                    writer = None
        finally:
            if writer is not None:
                writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def measure(
    port: int,
    paths: str | list[str],
    cookie: str,
    *,
    concurrency: int,
    requests: int,
    runs: int,
    warm_up: int,
    server_pid: int | None = None,
) -> dict:
    """`runs` measurements of one page after a warm-up; the run with the median p99, plus the range of the p99s.
    On two shared cores a single run can land on a stall of the machine; the median run is the figure to quote."""
    asyncio.run(load(port, paths, cookie, concurrency=concurrency, requests=warm_up))
    return median_run(
        [
            timed_run(port, paths, cookie, concurrency=concurrency, requests=requests, server_pid=server_pid)
            for _ in range(runs)
        ]
    )


def timed_run(
    port: int, paths: str | list[str], cookie: str, *, concurrency: int, requests: int, server_pid: int | None
) -> dict:
    """One run of `load`, with the CPU time per request of the server, of PostgreSQL and of this load generator.
    CPU time barely moves with the machine's noise (a stalled core adds latency, not CPU time), so it is the
    figure to compare changes by; latency is the figure the issues' targets are about."""
    before = process_cpu_seconds(server_pid) if server_pid else (0.0, 0.0)
    client_before = time.process_time()
    result = asyncio.run(load(port, paths, cookie, concurrency=concurrency, requests=requests))
    client_seconds = time.process_time() - client_before
    after = process_cpu_seconds(server_pid) if server_pid else (0.0, 0.0)
    per_request = 1000 / max(1, result["requests"])
    result["app_cpu_ms"] = (after[0] - before[0]) * per_request
    result["db_cpu_ms"] = (after[1] - before[1]) * per_request
    result["client_cpu_ms"] = client_seconds * per_request
    return result


def process_cpu_seconds(server_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by the server (the process and its workers) and by PostgreSQL's processes."""
    tick = os.sysconf("SC_CLK_TCK")
    server = database = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        pid, parent, seconds = int(stat.parent.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if server_pid in (pid, parent):
            server += seconds
        elif name == "postgres":
            database += seconds
    return server, database


def measure_first_views(args, warm_up: list[tuple[str, str]], pairs: list[tuple[str, str]], *, server_pid: int) -> dict:
    """Lessons opened for the first time by their learner: each run a slice of (lesson, learner) pairs that no
    request asked for before, after a warm-up on pairs of its own."""
    asyncio.run(load(args.port, warm_up, "", concurrency=args.concurrency, requests=len(warm_up)))
    requests = min(args.requests, len(pairs) // args.runs)
    return median_run(
        [
            timed_run(
                args.port,
                pairs[run * requests : (run + 1) * requests],
                "",
                concurrency=args.concurrency,
                requests=requests,
                server_pid=server_pid,
            )
            for run in range(args.runs)
        ]
    )


def first_view_pairs(readers: list[dict]) -> list[tuple[str, str]]:
    """Every (lesson, session) pair of these readers once, in a shuffled order."""
    pairs = [(path, reader["session"]) for reader in readers for path in reader["lessons"]]
    random.Random(0).shuffle(pairs)
    return pairs


def median_run(results: list[dict]) -> dict:
    """The run with the median p99, the range of the runs' p99s and the errors of all runs."""
    results = sorted(results, key=lambda r: r["p99_ms"])
    median = dict(results[len(results) // 2])
    median["p99_range"] = f"{results[0]['p99_ms']:.0f}-{results[-1]['p99_ms']:.0f}" if len(results) > 1 else ""
    median["errors"] = sum(r["errors"] for r in results)
    return median


LATENCY_HEADER = "req/s | p50 ms | p99 ms | p99 range ms | errors | CPU ms per request: server / PostgreSQL / client |"
LATENCY_ALIGNMENT = "---:|" * LATENCY_HEADER.count("|")  # the Markdown separator under LATENCY_HEADER's cells


def latency_cells(r: dict) -> str:
    """A measured page's req/s, p50, p99, p99 range, errors and CPU per request as Markdown table cells."""
    cpu = f"{r['app_cpu_ms']:.1f} / {r['db_cpu_ms']:.1f} / {r['client_cpu_ms']:.1f}"
    return f"{r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['p99_range']} | {r['errors']} | {cpu} |"


# --- Orchestration ------------------------------------------------------------------------------------------------


def environment(db: str, redis: str | None = None, *, server: str = PRODUCTION_SERVER) -> dict:
    """Production settings on the benchmark's database (`db`: a name in DATABASES or a URL); with `redis`, the
    cache and sessions live in Redis as in a deployment with more than one worker (docs/deploy.md), else in each
    process and the database. A PYTHONPATH already set (packages an older checkout needs) comes after ROOT."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=DATABASES.get(db, db),
        DJANGO_ENV="production",
        SECRET_KEY="bench-only-not-a-secret",
        PRACTICE_ENCRYPTION_KEYS="YmVuY2gtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM=",  # a throwaway Fernet key
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        LMS_REQUIRE_STAFF_MFA="0",
        STATIC_ROOT=f"/tmp/lms-bench-static-{ROOT.name}",  # each checkout's own manifest
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    if server != "gunicorn":
        env["DB_CONN_MAX_AGE"] = "0"  # persistent connections leak under ASGI (one per request context)
    env["CERTIFICATES_SIGNING_KEY_FILE"] = str(bench_signing_key())
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = redis
    return env


def bench_signing_key() -> Path:
    """Production settings refuse to start without a certificate signing key: a throwaway one for the bench."""
    path = Path("/tmp/lms-bench-signing-key.pem")
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    return path


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's own database (`url`'s) on the machine's PostgreSQL if it is not there yet."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def start_server(env: dict, *, server: str, port: int, workers: int, wait_seconds: int = 60) -> subprocess.Popen:
    """The app under `server` (gunicorn: with the checkout's gunicorn.conf.py, as docs/deploy.md runs it)."""
    if server == "gunicorn":
        command = [str(Path(PYTHON).parent / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py")]
        command += ["--bind", f"{HOST}:{port}", "--workers", str(workers)]
    elif server == "uvicorn":
        command = [PYTHON, "-m", "uvicorn", "lms.asgi:application", "--host", HOST, "--port", str(port)]
        command += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    else:
        command = [str(Path(PYTHON).parent / "daphne"), "-b", HOST, "-p", str(port), "lms.asgi:application"]
    log = SERVER_LOG.open("w")  # a file, not a pipe: a full pipe would block the server
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    import urllib.request

    deadline = time.monotonic() + wait_seconds  # imports are slow on a busy machine
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz/", timeout=1) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"the server did not start: {SERVER_LOG.read_text()[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=sorted(DATABASES), default="sqlite")
    parser.add_argument("--database-url", help="another database than --db's, e.g. postgres://.../lms_bench_pages")
    parser.add_argument("--server", choices=SERVERS, default=PRODUCTION_SERVER)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (daphne: always 1)")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000, help="per page and run")
    parser.add_argument("--runs", type=int, default=3, help="measurements per page; the median run is reported")
    parser.add_argument("--redis", metavar="URL", help="cache and sessions in Redis, e.g. redis://127.0.0.1:6379/5")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures to this file as JSON")
    parser.add_argument("--close", action="store_true", help="a new connection per request, as nginx opens them")
    parser.add_argument("--no-setup", action="store_true", help="skip migrate, collectstatic and load_demo")
    parser.add_argument("--setup-only", action="store_true", help="migrate, collectstatic and load_demo; no seeds")
    parser.add_argument(
        "--pages", default=",".join(PAGE_KEYS), help="measure only these, any of " + ", ".join(PAGE_KEYS)
    )
    args = parser.parse_args()
    chosen = [key for key in args.pages.split(",") if key]
    unknown = set(chosen) - set(PAGE_KEYS)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")

    database = args.database_url or DATABASES[args.db]
    if args.close:
        CONNECTION["header"] = "close"
    env = environment(database, args.redis, server=args.server)
    if database.startswith("postgres"):
        ensure_postgres_database(database)
    if not args.no_setup:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "compile_translations")
        manage(env, "load_demo")
    if args.setup_only:
        return
    seeded = subprocess.run(
        [PYTHON, __file__, "--seed-only"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    info = json.loads(seeded.stdout.strip().splitlines()[-1])
    server = start_server(env, server=args.server, port=args.port, workers=args.workers)
    # Every (learner, lesson) pair once: a lesson the learner never opened. Spread over the 50 courses, most
    # lessons are opened for the first time in their worker too (the whole page rendered); in a cohort, the
    # pages kept for everyone at the same point of a lesson (courses/pagecache.py) are there after the warm-up.
    spread = first_view_pairs(info["browsers"])
    cohort = first_view_pairs(info["cohort"][COHORT_WARM_UP_LEARNERS:])
    cohort_warm_up = first_view_pairs(info["cohort"][:COHORT_WARM_UP_LEARNERS])
    rows = []
    pages = {**FLOOR, **info["urls"]}
    pages = {name: path for name, path in pages.items() if name in {URL_PAGES.get(key) for key in chosen}}
    load_before = os.getloadavg()[0]
    try:
        for name, path in pages.items():
            result = measure(
                args.port,
                path,
                info["session"],
                concurrency=args.concurrency,
                requests=args.requests,
                runs=args.runs,
                warm_up=50,
                server_pid=server.pid,
            )
            rows.append((name, path, result))
        if "first-views" in chosen:
            result = measure_first_views(args, spread[:50], spread[50:], server_pid=server.pid)
            name = f"lesson page, first view ({len(info['browsers'])} learners, 50 courses)"
            rows.append((name, "each request another", result))
        if "cohort" in chosen:
            result = measure_first_views(args, cohort_warm_up, cohort, server_pid=server.pid)
            name = f"lesson page, first view (a cohort: {len(info['cohort'])} learners, 3 courses)"
            rows.append((name, "each request another", result))
    finally:
        stop(server)
    server_name = "daphne x1" if args.server == "daphne" else f"{args.server} x{args.workers}"
    redis = ", Redis cache and sessions" if args.redis else ""
    lines = [
        f"### {database.split(':')[0]}{redis}, {server_name}, {args.concurrency} concurrent clients "
        f"(connection: {CONNECTION['header']}), "
        f"{args.requests} requests per page, median of {args.runs} runs",
        "",
        "Data: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in info["counts"].items()),
        "",
        f"Load average before: {load_before:.1f}, after: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)",
        "",
        f"| page | URL | {LATENCY_HEADER}",
        f"|---|---|{LATENCY_ALIGNMENT}",
    ]
    for name, path, r in rows:
        lines.append(f"| {name} | `{path}` | {latency_cells(r)}")
    publish_report(lines, args.out)
    if args.json:
        args.json.write_text(json.dumps({"server": server_name, "pages": {name: r for name, _, r in rows}}))


def publish_report(lines: list[str], out) -> None:
    """Print a Markdown report and, with --out, append it to that file."""
    report = "\n".join(lines) + "\n"
    print(report)
    if out:
        with out.open("a") as f:
            f.write(report + "\n")


if __name__ == "__main__":
    if "--seed-only" in sys.argv:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
        sys.path.insert(0, str(ROOT))
        print(json.dumps(seed(browsers=FIRST_VIEW_LEARNERS, cohort=COHORT_LEARNERS)))
    else:
        main()

"""Benchmark of the certificates app: bulk eligibility, PDF rendering and the public verification page.

1. Eligibility of 10,000 learners with progress (completions with quiz scores, approved assignments, webinar
   attendance, presented webinars, certificates held) on the default ladder: wall time and number of queries.
2. PDF rendering (WeasyPrint + segno QR) per certificate, English and Russian.
3. /verify/<code>/ under production's server (gunicorn; uvicorn before issue 19), 2 workers, at 20 concurrent
   keep-alive clients: requests per second, p50 and p99, for one certificate checked again and again (the cached
   page) and for certificates checked once each, never checked before on that server (the page rendered each time).

Only 127.0.0.1 is contacted; every loop is bounded. Data are seeded once (idempotent) into their own database.

    .venv/bin/python bench/certificates.py --db sqlite
    .venv/bin/python bench/certificates.py --db postgres     # database lms_certificates on 127.0.0.1:5432
    .venv/bin/python bench/certificates.py --db postgres --no-setup   # the verification page only, data as seeded

Results (a Markdown section) go to stdout and, with --out, are appended to a file; with --json, as JSON.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import (
    CONNECTION,
    FLOOR,
    LATENCY_ALIGNMENT,
    LATENCY_HEADER,
    PRODUCTION_SERVER,
    SERVERS,
    ensure_postgres_database,
    latency_cells,
    load,
    manage,
    measure,
    median_run,
    publish_report,
    record_pages,
    start_server,
    stop,
    timed_run,
)
from pages import environment as page_environment

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
LEARNERS = 10_000
CERTIFICATES = 2_500
WARM_UP_CHECKS = 400  # certificates checked once before first checks are measured
PDFS = 20
DATABASES = {
    "sqlite": "sqlite:////tmp/lms-bench-certificates.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1:5432/lms_certificates",
}


# --- Seeding and in-process measurements (a child process with Django set up) -------------------------------------


def seed_and_measure() -> dict:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from certificates import eligibility, services
    from certificates.models import Certificate, Level
    from certificates.pdf import render_pdf
    from courses.models import AssignmentSubmission, CoursePage, Enrollment, LessonPage, QuizAttempt
    from lms.models import User
    from webinars.models import Attendance, WebinarIndexPage, WebinarPage

    now = timezone.now()
    trainer = User.objects.get(username="trainer")
    certifier = User.objects.get(username="certifier")
    budget = {c.locale.language_code: c for c in CoursePage.objects.filter(track__slug="budget-advocacy")}
    quiz_lesson = next(lesson for lesson in LessonPage.objects.child_of(budget["en"]) if lesson.quiz_keys)
    assignment_lesson = next(
        (lesson for lesson in LessonPage.objects.child_of(budget["en"]) if lesson.assignment_keys), quiz_lesson
    )
    index = WebinarIndexPage.objects.first()
    track = budget["en"].track
    webinars = list(WebinarPage.objects.filter(slug__startswith="bench-webinar-").order_by("pk"))
    with transaction.atomic():
        for n in range(len(webinars), 4):
            start = now - timedelta(days=20 - n)
            page = WebinarPage(
                title=f"Bench webinar {n + 1}",
                slug=f"bench-webinar-{n + 1}",
                start=start,
                end=start + timedelta(minutes=90),
                track=track,
            )
            page.presenters = [trainer]
            index.add_child(instance=page)
            webinars.append(page)
        existing = User.objects.filter(username__startswith="cert-bench-").count()
        if existing < LEARNERS:
            User.objects.bulk_create(User(username=f"cert-bench-{i}", password="!") for i in range(existing, LEARNERS))
            users = list(User.objects.filter(username__startswith="cert-bench-").order_by("pk"))
            enrollments, attempts, submissions, attendance = [], [], [], []
            for i, user in enumerate(users):
                if i % 5 < 3:  # three in five finished the budget course, in English or Russian
                    course = budget["en" if i % 2 else "ru"]
                    enrollments.append(
                        Enrollment(user=user, **record_pages(course=course), progress_percent=100, completed_at=now)
                    )
                    attempts.append(
                        QuizAttempt(
                            user=user,
                            **record_pages(course=budget["en"], lesson=quiz_lesson),
                            quiz_key=quiz_lesson.quiz_keys[0],
                            number=1,
                            score=50 + (i % 51),
                            passed=True,
                        )
                    )
                if i % 5 == 0:
                    submissions.append(
                        AssignmentSubmission(
                            user=user,
                            **record_pages(course=budget["en"], lesson=assignment_lesson),
                            assignment_key="bench",
                            text="Budget analysis.",
                            status="approved",
                            reviewer=trainer,
                            reviewed_at=now,
                        )
                    )
                for k, webinar in enumerate(webinars[: i % 5]):  # 0 to 4 webinars, present 60-90 minutes
                    attendance.append(
                        Attendance(
                            user=user,
                            webinar=webinar,
                            connected_at=webinar.start + timedelta(minutes=(i + k) % 30),
                            disconnected_at=webinar.end,
                        )
                    )
            Enrollment.objects.bulk_create(enrollments, batch_size=2000, ignore_conflicts=True)
            QuizAttempt.objects.bulk_create(attempts, batch_size=2000, ignore_conflicts=True)
            AssignmentSubmission.objects.bulk_create(submissions, batch_size=2000, ignore_conflicts=True)
            Attendance.objects.bulk_create(attendance, batch_size=5000)
    # A quarter already hold the first level: enough certificates for first checks of never-seen ones (below).
    first_level = Level.objects.order_by("sort_order").first()
    holders = Certificate.objects.filter(level=first_level).values("holder")
    for user in (
        User.objects.filter(username__startswith="cert-bench-")
        .exclude(pk__in=holders)
        .order_by("pk")[: max(0, CERTIFICATES - Certificate.objects.count())]
    ):
        services.certificate_issue(actor=certifier, user=user, level=first_level, outside_rules_reason="bench data")

    results: dict = {
        "load_before": f"{os.getloadavg()[0]:.1f}",
        "counts": {
            "learners": User.objects.filter(username__startswith="cert-bench-").count(),
            "completions": Enrollment.objects.filter(completed_at__isnull=False).count(),
            "attendance_intervals": Attendance.objects.count(),
            "approved_assignments": AssignmentSubmission.objects.filter(status="approved").count(),
            "certificates": Certificate.objects.count(),
            "levels": Level.objects.count(),
        },
    }
    ids = list(User.objects.filter(username__startswith="cert-bench-").values_list("pk", flat=True))
    for label, kwargs in (("all active users", {}), ("10,000 listed ids", {"user_ids": ids})):
        timings, cpu = [], []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                progress = eligibility.evaluate(**kwargs)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
        eligible = sum(1 for p in progress.values() for lp in p.levels if lp.eligible)
        results.setdefault("eligibility", []).append(
            {
                "label": label,
                "users": len(progress),
                "queries": len(queries),
                "best_s": min(timings),
                "median_s": statistics.median(timings),
                "best_cpu_s": min(cpu),
                "eligible_pairs": eligible,
            }
        )

    # Where the time goes: the four selectors of courses and webinars alone, for all users.
    source = eligibility.SelectorSource()
    selector_times = {}
    for name in ("course_completions", "approved_assignments", "webinar_attendance", "webinars_presented"):
        started = time.perf_counter()
        getattr(source, name)(user_ids=None)
        selector_times[name] = time.perf_counter() - started
    results["selectors_s"] = selector_times

    pdf_times = {}
    for language in ("en", "ru"):
        certificates = list(Certificate.objects.filter(revoked_at__isnull=True).select_related("level")[: PDFS // 2])
        times = []
        for certificate in certificates:
            certificate.language = language
            started = time.perf_counter()
            render_pdf(certificate)
            times.append(time.perf_counter() - started)
        pdf_times[language] = {"n": len(times), "mean_ms": 1000 * statistics.mean(times), "max_ms": 1000 * max(times)}
    results["pdf"] = pdf_times
    results["verify_paths"] = verify_paths()
    return results


def verify_paths() -> list[str]:
    """Every certificate's verification page, the same order in each invocation (the first is the repeated one)."""
    from certificates.models import Certificate

    return [
        f"/verify/{code}/" for code in Certificate.objects.order_by("pk").values_list("verification_code", flat=True)
    ]


# --- Orchestration ------------------------------------------------------------------------------------------------


def environment(database: str, redis: str | None, *, server: str) -> dict:
    """The page benchmark's production environment, on this benchmark's own database."""
    env = page_environment(database, redis, server=server)
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings.production"
    return env


def measure_first_checks(env: dict, args, paths: list[str]) -> dict:
    """Certificates each checked once, as when each visitor scans a different paper, on a server that has
    served for a while: a warm-up checks WARM_UP_CHECKS certificates once each (templates compiled, pool
    connections open, the layout and each shape of the facts kept), then every run checks certificates that no
    check has asked for yet, so each of its requests reads its certificate and renders its page. With Redis,
    the versions an earlier invocation left in the shared cache are deleted first."""
    if args.redis:
        import redis

        shared = redis.Redis.from_url(args.redis)
        versions = list(shared.scan_iter(match="*certificates:verify-version:*", count=1000))
        if versions:
            shared.delete(*versions)
    unseen = paths[1:]  # the first certificate is the repeated one
    warm_up, unseen = unseen[:WARM_UP_CHECKS], unseen[WARM_UP_CHECKS:]
    size = min(args.requests, len(unseen) // args.runs)
    server = start_server(env, server=args.server, port=args.port, workers=args.workers, wait_seconds=120)
    try:
        asyncio.run(load(args.port, warm_up, "", concurrency=args.concurrency, requests=len(warm_up)))
        runs = [unseen[i * size : (i + 1) * size] for i in range(args.runs)]
        results = [
            timed_run(args.port, run, "", concurrency=args.concurrency, requests=size, server_pid=server.pid)
            for run in runs
        ]
    finally:
        stop(server)
    return median_run(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=sorted(DATABASES), default="sqlite")
    parser.add_argument("--database-url", help="another database than --db's, e.g. postgres://.../lms_bench_certs")
    parser.add_argument("--server", choices=SERVERS[:2], default=PRODUCTION_SERVER)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="per page and run")
    parser.add_argument("--runs", type=int, default=3, help="measurements per page; the median run is reported")
    parser.add_argument(
        "--redis", metavar="URL", help="cache in Redis (the certificates' versions are deleted before first checks)"
    )
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path, help="also write the verification page's figures to this file as JSON")
    parser.add_argument("--close", action="store_true", help="a new connection per request, as nginx opens them")
    parser.add_argument(
        "--no-setup", action="store_true", help="the verification page only: no migrate, seeding, eligibility or PDF"
    )
    args = parser.parse_args()

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
    child = "--paths-only" if args.no_setup else "--measure-only"
    measured = subprocess.run([PYTHON, __file__, child], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    info = json.loads(measured.stdout.strip().splitlines()[-1])
    if not args.no_setup:
        print(json.dumps(info, indent=2), file=sys.stderr)  # kept even if the server part fails
    if database.startswith("postgres") and not args.no_setup:
        # The seeding just wrote 10,000 users: vacuum now, not as autovacuum mid-measurement.
        import psycopg

        with psycopg.connect(database.replace("postgres://", "postgresql://"), autocommit=True) as db:
            db.execute("VACUUM (ANALYZE)")
    paths = info["verify_paths"]
    server = start_server(env, server=args.server, port=args.port, workers=args.workers, wait_seconds=120)
    measured = {**FLOOR, "`/verify/<code>/`, one certificate checked again and again": paths[0]}
    try:
        for label, path in measured.items():
            measured[label] = measure(
                args.port,
                path,
                "",
                concurrency=args.concurrency,
                requests=args.requests,
                runs=args.runs,
                warm_up=100,
                server_pid=server.pid,
            )
    finally:
        stop(server)
    label = "`/verify/<code>/`, certificates never checked before, each checked once (warm server)"
    measured[label] = measure_first_checks(env, args, paths)
    if args.json:
        args.json.write_text(json.dumps({"server": f"{args.server} x{args.workers}", "pages": measured}))

    lines = [
        f"### {database.split(':')[0]}{', Redis cache' if args.redis else ''}, {args.server} x{args.workers}, "
        f"connection: {CONNECTION['header']}",
        "",
        f"Load average before the run: {info['load_before']}, after: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)",
        "",
    ]
    if not args.no_setup:
        lines += eligibility_and_pdf_lines(info)
    lines += [
        f"| verification page, {args.server} x{args.workers}, {args.concurrency} clients, median of {args.runs} "
        f"runs | requests | {LATENCY_HEADER}",
        f"|---|---:|{LATENCY_ALIGNMENT}",
    ]
    for label, r in measured.items():
        lines.append(f"| {label} | {r['requests']} | {latency_cells(r)}")
    publish_report(lines, args.out)


def eligibility_and_pdf_lines(info: dict) -> list[str]:
    """The in-process measurements' Markdown: the data, bulk eligibility, its selectors and the PDFs."""
    lines = [
        "Data: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in info["counts"].items()),
        "",
        "| bulk eligibility | users | queries | best s | median s | best CPU s | eligible (user, level) pairs |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in info["eligibility"]:
        lines.append(
            f"| {row['label']} | {row['users']} | {row['queries']} | {row['best_s']:.2f} | {row['median_s']:.2f} "
            f"| {row['best_cpu_s']:.2f} | {row['eligible_pairs']} |"
        )
    lines += [
        "",
        "Of which the courses and webinars selectors alone (all users): "
        + ", ".join(f"`{name}` {seconds:.2f} s" for name, seconds in info["selectors_s"].items()),
    ]
    lines += ["", "| PDF | certificates | mean ms | max ms |", "|---|---:|---:|---:|"]
    for language, row in info["pdf"].items():
        lines.append(f"| {language} | {row['n']} | {row['mean_ms']:.0f} | {row['max_ms']:.0f} |")
    return [*lines, ""]


if __name__ == "__main__":
    if "--measure-only" in sys.argv:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(seed_and_measure(), default=str))
    elif "--paths-only" in sys.argv:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(json.dumps({"load_before": f"{os.getloadavg()[0]:.1f}", "verify_paths": verify_paths()}))
    else:
        main()

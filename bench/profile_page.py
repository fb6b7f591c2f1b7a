"""Where a page's CPU goes: cProfile over Django's test client, on a database bench/pages.py seeded.

Runs in the checkout it sits in (bench/compare.py copies bench/ into each side's worktree, so the same script
profiles both sides), with production settings as bench/pages.py serves them (`environment()`), in one process:
no server, no network, so the figures are the application's own (the handler is Django's WSGI one on both sides).
After a warm-up it times `--requests` requests with and without the profiler (CPU ms per request, queries per
request) and prints the functions with the most own and cumulative time; `--out` keeps the pstats file.

    .venv/bin/python bench/profile_page.py --page dashboard --redis redis://127.0.0.1:6379/2 \\
        --database-url postgres://postgres@127.0.0.1:5432/lms_bench_pages_after --out /tmp/dashboard-after.prof

Pages: `dashboard` (the bench learner's, again and again) and `cohort` (first views of a cohort, each request
another learner's first view of another lesson, after the first 10 learners' views as the warm-up).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages

PAGES = ("dashboard", "cohort")


def requests_of(page: str, seeded: dict, count: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(path, session) pairs for the warm-up and for the measurement, as bench/pages.py asks for them."""
    if page == "dashboard":
        ask = [(seeded["urls"]["dashboard"], seeded["session"])]
        return ask * 50, ask * (2 * count)
    readers = seeded["cohort"]
    warm_up = pages.first_view_pairs(readers[: pages.COHORT_WARM_UP_LEARNERS])
    measured = pages.first_view_pairs(readers[pages.COHORT_WARM_UP_LEARNERS :])
    if len(measured) < 2 * count:
        raise SystemExit(f"--requests {count}: at most {len(measured) // 2} first views are left to ask for")
    return warm_up, measured[: 2 * count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", choices=PAGES, required=True)
    parser.add_argument("--database-url", required=True, help="a database bench/pages.py seeded")
    parser.add_argument("--redis", metavar="URL", help="cache and sessions in Redis, as bench/compare.py runs pages")
    parser.add_argument("--requests", type=int, default=300, help="timed, then as many profiled")
    parser.add_argument("--top", type=int, default=30, help="functions listed per ordering")
    parser.add_argument("--out", type=Path, help="keep the profile (pstats) in this file")
    args = parser.parse_args()

    os.environ.update(pages.environment(args.database_url, args.redis))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.production"
    sys.path.insert(0, str(pages.ROOT))
    seeded = pages.seed(browsers=pages.FIRST_VIEW_LEARNERS, cohort=pages.COHORT_LEARNERS)
    from django.db import connection, reset_queries
    from django.test import Client

    client = Client(SERVER_NAME=pages.HOST)

    def ask(pairs: list[tuple[str, str]]) -> None:
        for path, session in pairs:
            client.cookies["sessionid"] = session
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")

    warm_up, measured = requests_of(args.page, seeded, args.requests)
    timed, profiled = measured[: args.requests], measured[args.requests : 2 * args.requests]
    ask(warm_up)
    started = time.process_time()
    ask(timed)
    cpu_ms = 1000 * (time.process_time() - started) / len(timed)
    connection.force_debug_cursor = True  # count the queries of one more request of the same kind
    reset_queries()
    ask(profiled[:1])
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits on PostgreSQL and Redis
    profiler.runcall(ask, profiled[1:])
    print(f"{args.page} in {pages.ROOT}: {cpu_ms:.2f} ms of CPU per request ({len(timed)} requests), {queries} queries")
    if args.out:
        profiler.dump_stats(args.out)
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()

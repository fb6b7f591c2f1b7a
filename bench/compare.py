"""Before and after a change: the page, verification and fan-out benchmarks in alternating rounds, as ratios.

Checks the two commits out into worktrees of their own (/tmp/lms-bench-before, /tmp/lms-bench-after), copies
this checkout's bench/ into both (the same load generator and measurements on each side) and links this
checkout's .venv. Each side has its own PostgreSQL databases (<prefix>_pages_<side>, _certs_, _ws_), migrated
and seeded by its own code, since a later commit's migrations may drop tables the earlier code reads; and each
side is served as its own docs/deploy.md says: pages by gunicorn where the checkout has gunicorn.conf.py, else
by uvicorn (bench/pages.py's PRODUCTION_SERVER), with the same number of workers, asked with a new connection
per request as nginx asks them there (`--keep-alive`: kept where the server keeps it, which gunicorn's sync
workers never do); websockets by uvicorn x2 with the Redis channel layer. The Redis database given is emptied
before every invocation, so that neither side reads what the other cached.

Then, benchmark by benchmark, it runs full invocations on freshly started servers, before and after in turn
(before, after, before, after, ...: `--rounds` of each), and reports per page the medians of the rounds for each
side and their ratio after/before, with the range of the rounds' own ratios (round i's after over round i's
before) as the spread, for requests per second, p99 and the server's CPU time per request; a page that loses
more than 10% of its throughput or adds more than 10% to its p99 is flagged. Only 127.0.0.1 is contacted.

    .venv/bin/python bench/compare.py --before f322f1b --after main --redis redis://127.0.0.1:6379/2 \\
        --before-pythonpath /tmp/lms-bench-before-site --out bench/results/$(date -u +%F).md

A commit may need a package the venv no longer has (before issue 19: psycopg_pool, for production's database
pool): `pip install --target DIR psycopg-pool` and pass DIR as --before-pythonpath (or --after-pythonpath).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import ensure_postgres_database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIDES = ("before", "after")
BENCHMARKS = ("pages", "certificates", "fanout")
LOGS = Path("/tmp/lms-bench-compare-logs")
TOLERANCE = 0.10  # issue 19: no page may lose more than 10% of its throughput nor add more than 10% to its p99


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def checkout(side: str, ref: str) -> tuple[Path, str]:
    """The worktree of `side` at `ref` with this checkout's bench/ and .venv; returns its path and commit."""
    commit = git("rev-parse", "--verify", f"{ref}^{{commit}}")
    tree = Path(f"/tmp/lms-bench-{side}")
    if not tree.exists():
        git("worktree", "add", "--detach", str(tree), commit)
    elif git("rev-parse", "HEAD", cwd=tree) != commit:
        git("checkout", "--force", "--detach", commit, cwd=tree)
    git("checkout", "--force", "--", "bench", cwd=tree)  # the commit's own bench/, then this checkout's over it
    for script in (ROOT / "bench").glob("*.py"):
        shutil.copy2(script, tree / "bench" / script.name)
    venv = tree / ".venv"
    if not venv.exists():
        venv.symlink_to((ROOT / ".venv").resolve())
    return tree, commit


def databases(prefix: str, side: str) -> dict:
    return {bench: f"postgres://postgres@127.0.0.1:5432/{prefix}_{bench}_{side}" for bench in ("pages", "certs", "ws")}


def invocation(bench: str, args, tree: Path, side: str, out: Path, *, setup: bool) -> list[str]:
    """The command line of one full invocation of `bench` in `tree`, writing its figures to `out`."""
    db = databases(args.database_prefix, side)
    common = ["--redis", args.redis, "--workers", str(args.workers), "--json", str(out), "--runs", "1"]
    common += ["--requests", str(args.requests)] + ([] if args.keep_alive else ["--close"])
    if bench == "pages":
        command = [str(tree / "bench/pages.py"), "--database-url", db["pages"], "--port", str(args.port), *common]
        command += ["--pages", args.pages] if args.pages else []
        return command + ([] if setup else ["--no-setup"])
    if bench == "certificates":
        command = [str(tree / "bench/certificates.py"), "--database-url", db["certs"], "--port", str(args.port + 1)]
        return command + common + ([] if setup else ["--no-setup"])
    return [
        str(tree / "bench/webinar_fanout.py"),
        *("--server", "uvicorn", "--workers", "2", "--redis", args.redis, "--database-url", db["ws"]),
        *("--clients", str(args.clients), "--seconds", str(args.seconds), "--no-floor", "--json", str(out)),
        *("--connect-concurrency", str(args.connect_concurrency)),
    ]


def side_environment(args, side: str) -> dict:
    """This environment without the settings a benchmark sets itself, plus the packages `side` needs."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    extra = getattr(args, f"{side}_pythonpath")
    if extra:
        env["PYTHONPATH"] = extra
    return env


def run(bench: str, args, side: str, tree: Path, *, setup: bool = False, label: str) -> dict:
    """One full invocation on freshly started servers, Redis emptied first; its figures and the load around it."""
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    LOGS.mkdir(exist_ok=True)
    out, log = LOGS / f"{label}.json", LOGS / f"{label}.log"
    out.unlink(missing_ok=True)
    env = side_environment(args, side)
    load_before, started = os.getloadavg()[0], time.monotonic()
    with log.open("w") as f:
        done = subprocess.run([PYTHON, *invocation(bench, args, tree, side, out, setup=setup)], cwd=tree, env=env,
                              stdout=f, stderr=subprocess.STDOUT)  # fmt: skip
    if done.returncode or not out.exists():
        raise SystemExit(f"{label} failed ({log}):\n{log.read_text()[-3000:]}")
    figures = json.loads(out.read_text())
    if bench == "fanout":  # one measurement, of the platform: as a page named after the room
        figures = {"server": figures[0]["label"], "pages": {"live room: 1 broadcast to every attendee": figures[0]}}
    figures.update(load=[load_before, os.getloadavg()[0]], seconds=time.monotonic() - started)
    print(f"{label}: {figures['seconds']:.0f} s, load {load_before:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)
    return figures


def set_up(args, side: str, tree: Path, commit: str, benchmarks: list[str]) -> None:
    """Seed each benchmark's database once (a full invocation, not counted); for another commit on a seeded
    database, only its migrations, static files, catalogues and demo (bench/pages.py --setup-only)."""
    stamp = Path(f"/tmp/lms-bench-{side}.setup.json")
    state = json.loads(stamp.read_text()) if stamp.exists() else {}
    for bench in benchmarks:
        database = databases(args.database_prefix, side)["pages" if bench == "pages" else "certs"]
        if database not in state:
            run(bench, args, side, tree, setup=True, label=f"setup-{bench}-{side}")
        elif state[database] != commit:
            command = [PYTHON, str(tree / "bench/pages.py"), "--setup-only", "--database-url", database]
            subprocess.run(command, cwd=tree, env=side_environment(args, side), check=True, stdout=subprocess.DEVNULL)
        state[database] = commit
        stamp.write_text(json.dumps(state))


# --- The report ---------------------------------------------------------------------------------------------------

# (key, heading): fan-out sends at a fixed rate, so it has latency and losses, not req/s or CPU per request.
METRICS = {
    "pages": [("rps", "req/s"), ("p99_ms", "p99 ms"), ("app_cpu_ms", "server CPU ms/req")],
    "fanout": [("p50_ms", "p50 ms"), ("p99_ms", "p99 ms"), ("lost", "lost")],
}


def summary_rows(bench: str, rounds: dict) -> list[str]:
    """One Markdown row per page: each metric's medians before and after, their ratio and the rounds' range."""
    metrics = METRICS["fanout" if bench == "fanout" else "pages"]
    rows = []
    for page in rounds["before"][0]["pages"]:
        cells, flags = [], []
        for key, _ in metrics:
            before = [r["pages"][page][key] for r in rounds["before"]]
            after = [r["pages"][page][key] for r in rounds["after"]]
            b, a = statistics.median(before), statistics.median(after)
            if key == "lost":
                cells.append(f"{sum(before)} / {sum(after)}")
                continue
            paired = sorted(y / x for x, y in zip(before, after, strict=True) if x)
            ratio = a / b if b else float("nan")
            cells.append(f"{b:.1f} / {a:.1f} = **{ratio:.2f}** ({paired[0]:.2f}-{paired[-1]:.2f})")
            if key == "rps" and ratio < 1 - TOLERANCE:
                flags.append("throughput -10%")
            if key == "p99_ms" and ratio > 1 + TOLERANCE:
                flags.append("p99 +10%")
        rows.append(f"| {page} | {' | '.join(cells)} | {', '.join(flags) or 'within 10%'} |")
    return rows


def report(args, commits: dict, servers: dict, results: dict, started: datetime) -> str:
    load = [f"{r['load'][0]:.1f}" for bench in results.values() for side in SIDES for r in bench[side]]
    lines = [
        f"## Before/after: {commits['before'][:7]} against {commits['after'][:7]}, "
        f"{started:%H:%M}-{datetime.now(UTC):%H:%M} UTC",
        "",
        f"`bench/compare.py --before {args.before} --after {args.after} --rounds {args.rounds} --workers "
        f"{args.workers} --requests {args.requests} --clients {args.clients} --seconds {args.seconds} "
        f"--connect-concurrency {args.connect_concurrency}"
        f"{f' --pages {args.pages}' if args.pages else ''}` on "
        f"{os.cpu_count()} CPUs (load average before each invocation: {', '.join(load)}).",
        "",
        f"Pages served by: before {servers['before']}, after {servers['after']}; 20 clients, "
        f"{'keep-alive where the server offers it' if args.keep_alive else 'a new connection per request'}; "
        f"the room by uvicorn x2 "
        f"with the Redis channel layer. Each cell: median before / median after = **ratio after/before** (range "
        f"of the {args.rounds} rounds' own ratios).",
    ]
    for bench, rounds in results.items():
        metrics = METRICS["fanout" if bench == "fanout" else "pages"]
        headings = " | ".join(heading for _, heading in metrics)
        lines += ["", f"| {bench} | {headings} | verdict |", "|---|" + "---:|" * len(metrics) + "---|"]
        lines += summary_rows(bench, rounds)
    lines += ["", "Every round (before / after):", ""]
    for bench, rounds in results.items():
        for page in rounds["before"][0]["pages"]:
            figures = [
                " / ".join(f"{r['pages'][page]['p99_ms']:.0f}" for r in (rounds["before"][i], rounds["after"][i]))
                for i in range(args.rounds)
            ]
            lines.append(f"* {bench}, {page}: p99 ms {'; '.join(figures)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="the commit before the change")
    parser.add_argument("--after", default="HEAD", help="the commit with the change (HEAD)")
    parser.add_argument("--redis", required=True, help="a Redis database of the benchmark's own: emptied each time")
    parser.add_argument("--rounds", type=int, default=3, help="invocations of each benchmark on each side")
    parser.add_argument("--benchmarks", default=",".join(BENCHMARKS), help="any of " + ", ".join(BENCHMARKS))
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="two per core, as deployed")
    parser.add_argument("--requests", type=int, default=1000, help="per page and invocation")
    parser.add_argument("--clients", type=int, default=1000, help="fan-out: attendees in the room")
    parser.add_argument("--seconds", type=float, default=10, help="fan-out: seconds of asks and votes")
    # On 2 busy cores (load 5+), 50 handshakes at once had some closed by the server unanswered (6 December 2026).
    parser.add_argument("--connect-concurrency", type=int, default=50, help="fan-out: websockets opened at once")
    parser.add_argument(
        "--keep-alive", action="store_true", help="keep connections open where the server does (gunicorn does not)"
    )
    parser.add_argument("--pages", help="bench/pages.py: measure only these (its --pages), e.g. floor,dashboard")
    parser.add_argument("--database-prefix", default="lms_bench")
    parser.add_argument("--port", type=int, default=8120, help="pages on this port, verification on the next")
    parser.add_argument("--before-pythonpath", help="packages the before commit needs that the venv lacks")
    parser.add_argument("--after-pythonpath", help="packages the after commit needs that the venv lacks")
    parser.add_argument("--out", type=Path, help="append the Markdown report to this file")
    args = parser.parse_args()
    benchmarks = [b for b in args.benchmarks.split(",") if b]
    unknown = set(benchmarks) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")

    started = datetime.now(UTC)
    trees, commits = {}, {}
    for side in SIDES:
        trees[side], commits[side] = checkout(side, getattr(args, side))
        for url in databases(args.database_prefix, side).values():
            ensure_postgres_database(url)
        print(f"{side}: {commits[side][:10]} in {trees[side]}", flush=True)
    servers = {side: "gunicorn" if (trees[side] / "gunicorn.conf.py").exists() else "uvicorn" for side in SIDES}
    servers = {side: f"{server} x{args.workers}" for side, server in servers.items()}
    for side in SIDES:
        set_up(args, side, trees[side], commits[side], [b for b in benchmarks if b != "fanout"])
    results = {}
    for bench in benchmarks:
        results[bench] = {side: [] for side in SIDES}
        for n in range(args.rounds):
            for side in SIDES:
                figures = run(bench, args, side, trees[side], label=f"{bench}-{n + 1}-{side}")
                results[bench][side].append(figures)
    text = report(args, commits, servers, results, started)
    print(text)
    (LOGS / "results.json").write_text(json.dumps({"commits": commits, "results": results}))
    if args.out:
        with args.out.open("a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()

"""Lighthouse (npm, pinned in package.json) on the mobile profile for the lesson, course and webinar pages,
run with Debian's Chromium against the demo served by daphne on a fresh database.

Usage: `make lighthouse` (or `.venv/bin/python bench/lighthouse.py`). Prints a Markdown table of the
performance, accessibility and best-practices scores; the JSON reports go to bench/results/.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.demo_site import demo_server, manage, session_cookie  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices")
FIND_PAGES = """
import json
from courses.models import LessonPage
from webinars.models import WebinarPage
from courses.models import Enrollment
# The course the demo learner is enrolled in, so that its lessons open for them.
course = Enrollment.objects.filter(user__username="learner").select_related("course").first().course
lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()
webinar = WebinarPage.objects.live().filter(locale__language_code="en").order_by("start").last()
print(json.dumps({"lesson": lesson.url, "course": course.url, "webinar": webinar.url}))
"""


def run_lighthouse(url: str, cookie: str, out: Path) -> dict[str, int]:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--disable-storage-reset",
            f"--extra-headers={json.dumps({'Cookie': f'sessionid={cookie}'})}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
    )
    report = json.loads(out.read_text())
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `npm ci` in the project folder first.")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    with demo_server() as (server, env):
        pages = json.loads(manage(env, "shell", "-c", FIND_PAGES).strip().splitlines()[-1])
        cookie = session_cookie(env, "learner")
        print("| page | path | performance | accessibility | best practices |\n| --- | --- | --- | --- | --- |")
        for name, path in pages.items():
            scores = run_lighthouse(server.url + path, cookie, results / f"lighthouse-{name}.json")
            row = " | ".join(str(scores[c]) for c in CATEGORIES)
            print(f"| {name} | `{path}` | {row} |")


if __name__ == "__main__":
    main()

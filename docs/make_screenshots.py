"""Render the key pages at 360 px and 1280 px into docs/screenshots/ (Playwright + Debian's Chromium).

Usage: start the demo (`make run`), then `.venv/bin/python docs/make_screenshots.py [BASE_URL [NAME...]]`;
names (or their beginnings, e.g. `practice`) shoot only those pages. Pages that need a login are taken as the demo
user named in PAGES. Paths in capitals are looked up in the database `make run` serves (the demo's ids vary).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from lms.demo import demo_password

BASE_URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
ONLY = tuple(sys.argv[2:])
OUT = Path(__file__).resolve().parent / "screenshots"
WIDTHS = (360, 1280)


def demo_database() -> None:
    """Read the same database `make run` serves."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    django.setup()


def live_room_path() -> str:
    """The demo's live webinar room."""
    from django.utils import timezone

    from webinars.models import WebinarPage

    now = timezone.now()
    webinar = WebinarPage.objects.live().filter(start__lte=now, end__gte=now).order_by("start").first()
    return f"/webinars/{webinar.pk}/room/"


def practice_paths() -> dict[str, str]:
    """The demo learner's practice pages in the states worth showing: a case returned with the trainer's comment
    (the form with the comment above it), a new monitoring visit, and her case waiting for the trainer's review."""
    from django.urls import reverse

    from practice.models import CaseRecord, Practice, RecordStatus

    def learner_case(status: str) -> CaseRecord:
        return CaseRecord.objects.filter(author__username="learner", status=status).order_by("pk").first()

    monitoring = Practice.objects.filter(kind="monitoring").order_by("pk").first()
    return {
        "PRACTICE_CASE": reverse("practice:record", args=["cases", learner_case(RecordStatus.RETURNED).pk]),
        "PRACTICE_VISIT": reverse("practice:record_new", args=[monitoring.pk, "visits"]),
        "PRACTICE_REVIEW": reverse("practice:review", args=["cases", learner_case(RecordStatus.SUBMITTED).pk]),
    }


def resolve_paths() -> dict[str, str]:
    demo_database()
    return {"ROOM": live_room_path(), **practice_paths()}


# name, path, demo user (None: anonymous)
PAGES = [
    ("home", "/", None),
    ("home-ru", "/ru/", None),
    ("signup-ru", "/ru/accounts/signup/", None),
    ("catalogue", "/courses/", None),
    ("course-ru", "/ru/courses/budget-advocacy/", "learner"),
    ("lesson-ru", "/ru/courses/budget-advocacy/budget-cycle/", "learner"),
    ("dashboard", "/dashboard/", "learner"),
    ("dashboard-ru", "/ru/dashboard/", "learner"),
    ("webinars", "/webinars/", None),
    ("room", "ROOM", "learner"),
    ("room-presenter", "ROOM", "trainer"),
    ("progression", "/certificates/", "learner"),
    ("course-report", "/trainer/courses/", "trainer"),
    ("verify", "/verify/", None),
    ("account", "/account/", "learner"),
    ("practice-records", "/practice/", "learner"),
    ("practice-case", "PRACTICE_CASE", "learner"),
    ("practice-visit", "PRACTICE_VISIT", "learner"),
    ("practice-review", "PRACTICE_REVIEW", "trainer"),
    ("practice-aggregates", "/practice/aggregates/", "certifier"),
]


def log_in(page, username: str) -> None:
    page.goto(f"{BASE_URL}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", demo_password(username))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def main(pages=PAGES) -> None:
    OUT.mkdir(exist_ok=True)
    looked_up = resolve_paths()
    pages = [(name, looked_up.get(path, path), user) for name, path, user in pages if name.startswith(ONLY or name)]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        contexts = {}
        for width in WIDTHS:
            for name, path, username in pages:
                key = (width, username)
                if key not in contexts:
                    context = browser.new_context(viewport={"width": width, "height": 900})
                    if username:
                        log_in(context.new_page(), username)
                    contexts[key] = context
                page = contexts[key].new_page()
                page.goto(BASE_URL + path)
                page.wait_for_timeout(1500 if "/room/" in path else 0)  # let the live room connect
                target = OUT / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                page.close()
                print(target.relative_to(OUT.parent.parent))
        browser.close()


if __name__ == "__main__":
    main()

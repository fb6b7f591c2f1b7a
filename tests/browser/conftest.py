"""Browser journeys: the real ASGI server (daphne) in a subprocess on a fresh database with the demo
content, driven by Playwright in Debian's Chromium. Every test here is marked `browser`."""

import json
from pathlib import Path

import pytest

from conftest import CHROMIUM
from lms.demo import demo_password
from tests.demo_site import manage

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo site served by daphne on a fresh database: (Process with `.url`, the server's environment)."""
    from tests.demo_site import demo_server

    with demo_server() as (process, env):
        yield process, env


@pytest.fixture(scope="session")
def demo_server(demo):
    return demo[0]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, demo_server):
    """Make browser contexts (one per person); all are closed after the test. Requests to any other origin fail
    the test: the platform must never load anything from elsewhere."""
    contexts = []
    foreign = []

    def make(*, width: int = 360, height: int = 800, locale: str = "en-US", javascript: bool = True):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale=locale,
            base_url=demo_server.url,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)

        def guard(route):
            url = route.request.url
            # The browser's own pages (its PDF viewer, chrome://) are not network requests.
            if url.startswith((demo_server.url, demo_server.ws_url, "chrome://", "chrome-extension://")):
                route.continue_()
            else:
                foreign.append(url)
                route.abort()

        context.route("**/*", guard)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not foreign, f"requests left the server's origin: {foreign}"


def log_in(page, username: str, password: str | None = None, *, prefix: str = "") -> None:
    page.goto(f"{prefix}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password or demo_password(username))
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# The Russian budget course, its lessons in order, and for each quiz its questions with the right choices.
COURSE_MAP = """
import json
from courses import selectors
from courses.models import CoursePage, LessonPage
course = CoursePage.objects.live().get(slug="budget-advocacy", locale__language_code="ru")
lessons = []
for lesson in LessonPage.objects.live().child_of(course).order_by("path"):
    quizzes = [
        {"key": block.id, "questions": [
            {"id": q["id"], "right": [c["id"] for c in q["choices"] if c["correct"]],
             "wrong": [c["id"] for c in q["choices"] if not c["correct"]][:1], "multiple": q["multiple"]}
            for q in selectors.quiz_questions(block.value)]}
        for block in lesson.body if block.block_type == "quiz"
    ]
    assignments = [block.id for block in lesson.body if block.block_type == "assignment"]
    lessons.append({"url": lesson.url, "quizzes": quizzes, "assignments": assignments})
print(json.dumps({"course": course.url, "id": course.pk, "lessons": lessons}))
"""


@pytest.fixture(scope="session")
def course_map(demo):
    return json.loads(manage(demo[1], "shell", "-c", COURSE_MAP).strip().splitlines()[-1])

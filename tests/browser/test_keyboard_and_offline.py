"""Keyboard-only use of the quiz and of the Q&A panel; offline reading of lessons opened before, with a clear
notice, and posts refused (not lost silently) while offline."""

import json

import pytest
from playwright.sync_api import expect

from tests.demo_site import manage

from .conftest import log_in

LIVE_ROOM = """
import json
from django.utils import timezone
from webinars.models import WebinarPage
now = timezone.now()
webinar = WebinarPage.objects.live().filter(start__lte=now, end__gte=now).order_by("start").first()
print(json.dumps(f"/webinars/{webinar.pk}/room/"))
"""
LEARNER_PROGRESS = """
import json
from courses.models import Enrollment
print(json.dumps(Enrollment.objects.get(user__username="learner", course_id={course_id}).progress_percent))
"""


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, type: e.type || '', id: e.id || '',"
        " name: e.name || '', text: (e.innerText || e.value || '').slice(0, 60), form: e.form ? e.form.action : ''}; }"
    )


def tab_until(page, predicate, *, limit: int = 120) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if predicate(element):
            return element
    raise AssertionError("never reached by the keyboard")


@pytest.fixture(scope="module")
def quiz_lesson(course_map):
    return next(lesson for lesson in course_map["lessons"] if lesson["quizzes"])


def test_the_quiz_works_with_the_keyboard_alone(new_context, quiz_lesson):
    page = new_context(width=360, locale="ru-RU").new_page()
    log_in(page, "learner", prefix="/ru")
    page.goto(quiz_lesson["url"])
    quiz = quiz_lesson["quizzes"][0]
    right = {choice for question in quiz["questions"] for choice in question["right"]}
    answered = set()
    while True:
        element = tab_until(page, lambda e: "/quiz/" in e["form"])
        if element["tag"] == "BUTTON":
            break
        if element["id"].removeprefix("c-") in right and element["id"] not in answered:
            page.keyboard.press("Space")  # radios and checkboxes are chosen with the space bar
            answered.add(element["id"])
        elif element["type"] == "radio":
            # In a radio group Tab lands on one radio; the arrow keys reach the right one.
            name = element["name"]
            for _ in range(8):
                current = focused(page)
                if current["name"] != name or current["id"].removeprefix("c-") in right:
                    break
                page.keyboard.press("ArrowDown")
            current = focused(page)
            if current["id"].removeprefix("c-") in right:
                page.keyboard.press("Space")
                answered.add(current["id"])
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(f"#block-{quiz['key']} .quiz-feedback")).to_be_visible()
    expect(page.locator(f"#block-{quiz['key']} .badge-ok").first).to_be_visible()  # passed, by keyboard only


def test_the_question_panel_works_with_the_keyboard_alone(new_context, demo):
    room = json.loads(manage(demo[1], "shell", "-c", LIVE_ROOM).strip().splitlines()[-1])
    asker = new_context(width=360).new_page()
    log_in(asker, "learner")
    asker.goto(room)
    expect(asker.locator("#room-status")).to_have_text("Connected")
    tab_until(asker, lambda e: e["id"] == "ask-text")
    asker.keyboard.type("Typed without a mouse: where is the budget published?")
    tab_until(asker, lambda e: e["id"] == "ask-anonymous")
    asker.keyboard.press("Space")
    tab_until(
        asker,
        lambda e: (
            e["tag"] == "BUTTON"
            and "ask" in (asker.evaluate("document.activeElement.form && document.activeElement.form.id") or "")
        ),
    )
    asker.keyboard.press("Enter")
    item = asker.locator("li.room-q:not(.is-sending)", has_text="Typed without a mouse")  # acknowledged
    expect(item).to_be_visible()
    expect(item).to_contain_text("Anonymous")

    question_id = item.get_attribute("data-id")

    def in_question(page, label):
        script = "document.activeElement.closest('li.room-q')?.dataset.id"
        return lambda e: e["tag"] == "BUTTON" and e["text"].startswith(label) and page.evaluate(script) == question_id

    # The presenter approves it with the keyboard too (the demo's live room is moderated).
    presenter = new_context(width=1280).new_page()
    log_in(presenter, "trainer")
    presenter.goto(room)
    expect(presenter.locator(f"li.room-q[data-id='{question_id}']")).to_be_visible()
    if presenter.locator(f"li.room-q[data-id='{question_id}']").get_by_role("button", name="Approve").count():
        tab_until(presenter, in_question(presenter, "Approve"))
        presenter.keyboard.press("Enter")

    voter = new_context(width=360).new_page()
    log_in(voter, "advocate")
    voter.goto(room)
    expect(voter.locator("#room-status")).to_have_text("Connected")
    target = voter.locator("li.room-q", has_text="Typed without a mouse").locator("button.room-vote")
    expect(target).to_be_visible()
    question_id = voter.locator("li.room-q", has_text="Typed without a mouse").get_attribute("data-id")
    tab_until(
        voter,
        lambda e: (
            e["tag"] == "BUTTON"
            and voter.evaluate("document.activeElement.closest('li.room-q')?.dataset.id") == question_id
        ),
    )
    voter.keyboard.press("Enter")
    expect(target).to_have_attribute("aria-pressed", "true")


def learner_progress(demo, course_map) -> int:
    """The demo learner's progress in the course of `course_map`, read on the server's database (the demo
    learner is enrolled in more than one course)."""
    output = manage(demo[1], "shell", "-c", LEARNER_PROGRESS.format(course_id=course_map["id"]))
    return json.loads(output.strip().splitlines()[-1])


def test_lessons_opened_before_can_be_read_offline_and_posts_are_refused_with_a_notice(new_context, course_map, demo):
    context = new_context(width=360, locale="ru-RU")
    page = context.new_page()
    log_in(page, "learner", prefix="/ru")
    lesson = course_map["lessons"][1]["url"]
    page.goto(lesson)
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now through the service worker, which keeps a copy
    expect(page.locator("h1")).to_be_visible()
    title = page.locator("h1").inner_text()
    before = learner_progress(demo, course_map)

    context.set_offline(True)
    page.goto(lesson)
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#offline-notice")).to_be_visible()

    complete = page.locator("form[action*='/complete/'] button")
    if complete.count():
        complete.click()
        expect(page.locator("#offline-notice")).to_have_class("offline-notice offline-notice-alert")
        expect(page.locator("h1")).to_have_text(title)  # still on the lesson: nothing was sent, nothing lost

    page.goto(course_map["lessons"][-1]["url"] + "?never-opened")
    expect(page.locator("h1")).to_contain_text("Нет подключения")

    context.set_offline(False)
    after = learner_progress(demo, course_map)
    assert after == before

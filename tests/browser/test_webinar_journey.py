"""The live webinar in three browsers: the trainer and two learners. An anonymous question, votes, moderation
(approve, answer, pin) and a poll with live results show in every browser without a reload; a learner who goes
offline sees the reconnecting state and, back online, the question asked while they were away."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.demo_site import manage

from .conftest import log_in

LIVE_WEBINAR = """
import json
from django.utils import timezone
from webinars.models import WebinarPage
now = timezone.now()
webinar = WebinarPage.objects.live().filter(start__lte=now, end__gte=now).order_by("start").first()
print(json.dumps({"room": f"/webinars/{webinar.pk}/room/", "moderated": webinar.qa_mode == "moderated"}))
"""


@pytest.fixture(scope="module")
def live(demo):
    return json.loads(manage(demo[1], "shell", "-c", LIVE_WEBINAR).strip().splitlines()[-1])


def enter(new_context, username: str, room: str, width: int):
    page = new_context(width=width).new_page()
    log_in(page, username)
    page.goto(room)
    expect(page.locator("#room-status")).to_have_text("Connected")
    return page


def question(page, text: str):
    return page.locator("li.room-q", has_text=text)


def ask(page, text: str, *, anonymous: bool = False) -> None:
    page.fill("#ask-text", text)
    if anonymous:
        page.check("#ask-anonymous")
    page.locator("#ask-form button[type=submit]").click()


def approve_if_moderated(trainer, text: str, live: dict) -> None:
    if live["moderated"]:
        question(trainer, text).get_by_role("button", name="Approve").click()


def test_trainer_and_two_learners_run_the_live_room(new_context, live):
    trainer = enter(new_context, "trainer", live["room"], 1280)
    learner = enter(new_context, "learner", live["room"], 360)
    advocate = enter(new_context, "advocate", live["room"], 360)
    everyone = (trainer, learner, advocate)
    for page in everyone:  # the count of people in the room, updated as each one came in
        expect(page.locator(".room-header .meta")).to_contain_text("In the room: 3")

    # An anonymous question: the trainer sees it, without a name.
    asked = "How do we find the harm-reduction line in the regional budget?"
    ask(learner, asked, anonymous=True)
    expect(question(trainer, asked)).to_be_visible()
    expect(question(trainer, asked)).to_contain_text("Anonymous")
    expect(question(trainer, asked)).not_to_contain_text("Aigerim")
    approve_if_moderated(trainer, asked, live)
    for page in everyone:
        expect(question(page, asked)).to_be_visible()

    # A vote from the other learner reaches every browser.
    question(advocate, asked).locator("button.room-vote").click()
    for page in everyone:
        expect(question(page, asked).locator("button.room-vote")).to_contain_text("1")

    # Pin, then answer in writing.
    question(trainer, asked).get_by_role("button", name="Pin").click()
    for page in everyone:
        expect(page.locator("#room-pinned")).to_contain_text(asked)
    trainer_item = question(trainer, asked).first
    trainer_item.locator("summary", has_text="Answer").click()
    trainer_item.locator("textarea").fill("Look for the line 'HIV prevention among key populations'.")
    trainer_item.get_by_role("button", name="Mark answered").click()
    for page in everyone:
        expect(page.locator(".room-answer", has_text="HIV prevention among key populations").first).to_be_visible()

    # A poll with live results.
    trainer.locator("summary", has_text="Start a poll").click()
    trainer.fill("#poll-question", "Which method will you try first?")
    trainer.fill("#poll-choices", "A meeting\nA letter\nA short video")
    trainer.locator("#poll-form button[type=submit]").click()
    for page in (learner, advocate):
        expect(page.locator("#room-polls")).to_contain_text("Which method will you try first?")
    learner.locator("#room-polls").get_by_role("button", name="A letter").click()
    expect(trainer.locator("#room-polls")).to_contain_text(re.compile(r"100% \(1\)"))

    # One learner drops off the network while a question is asked, then comes back and sees it.
    advocate.context.set_offline(True)
    expect(advocate.locator("#room-status")).to_have_text("Connection lost. Reconnecting…")
    missed = "Can community monitoring results go to the state working group?"
    ask(learner, missed)
    approve_if_moderated(trainer, missed, live)
    expect(question(trainer, missed)).to_be_visible()
    advocate.context.set_offline(False)
    expect(advocate.locator("#room-status")).to_have_text("Connected", timeout=40_000)
    expect(question(advocate, missed)).to_be_visible()


def test_a_presenters_half_typed_answer_and_focus_survive_the_rooms_updates(new_context, live):
    trainer = enter(new_context, "trainer", live["room"], 1280)
    learner = enter(new_context, "learner", live["room"], 360)
    advocate = enter(new_context, "advocate", live["room"], 360)
    asked = "Who signs off the regional harm-reduction budget?"
    ask(learner, asked)
    approve_if_moderated(trainer, asked, live)
    expect(question(advocate, asked)).to_be_visible()

    item = question(trainer, asked).first
    item.locator("summary", has_text="Answer").click()
    area = item.locator("textarea")
    area.click()
    trainer.keyboard.type("The regional council, after the")

    # While the trainer types, others vote and ask: every event re-renders the trainer's lists.
    question(advocate, asked).locator("button.room-vote").click()
    expect(question(trainer, asked).locator("button.room-vote")).to_contain_text("1")
    ask(learner, "Is the council session open to the public?")
    expect(trainer.locator("li.room-q", has_text="Is the council session open to the public?")).to_be_visible()

    # The draft, the open form and the caret are where the trainer left them: typing simply goes on.
    trainer.keyboard.type(" finance committee hearing.")
    expect(area).to_have_value("The regional council, after the finance committee hearing.")
    item.get_by_role("button", name="Mark answered").click()
    expect(learner.locator(".room-answer", has_text="after the finance committee hearing").first).to_be_visible()

"""An editor translates a course into Ukrainian in the Wagtail admin with wagtail-localize (the course with its
lessons, then a lesson's title and paragraph segment by segment in its editor), publishes, and a learner reads the
lesson at /uk/; before it is published, the learner is shown the English course with a notice, not a 404. Then the
English lesson changes: the translation status page lists the Ukrainian lesson as out of date, "Sync translated
pages" brings the new paragraph into the editor to translate, and the learner reads it once it is published."""

import re

import pytest
from playwright.sync_api import expect

from tests.demo_site import manage

from .conftest import log_in

EDITOR, READER = "translator", "chytach"
OLD_PARAGRAPH = "Blue lips and slow breathing mean: call for help."
NEW_PARAGRAPH = f"{OLD_PARAGRAPH} Stay with them until help comes."
UK_COURSE = "Налоксон удома"
UK_TITLE = "Ознаки передозування"
NOT_YET_IN_UKRAINIAN = "Ця сторінка ще недоступна мовою «Українська», тому її показано мовою «English»."
UK_OLD_PARAGRAPH = "Сині губи й повільне дихання означають: кличте допомогу."
UK_NEW_PARAGRAPH = f"{UK_OLD_PARAGRAPH} Залишайтеся поруч, доки не прийде допомога."

# A course of its own, in English only, on a track of its own: the demo's courses and tracks already have Ukrainian
# versions (wagtail-localize offers no locale a page already has), and the other journeys on this server read them.
# The editor is in Wagtail's Editors group (wagtail-localize's permission to submit translations) and in Moderators
# (Editors may not publish). The learner reads Ukrainian.
SETUP = f"""
from django.contrib.auth.models import Group
from courses.models import CourseIndexPage, CoursePage, LessonPage, Track
from lms.services import user_create
from lms.demo import demo_password
index = CourseIndexPage.objects.get(locale__language_code="en")
track = Track.objects.create(name="Overdose response", slug="overdose-response", locale=index.locale)
course = index.add_child(instance=CoursePage(
    title="Naloxone at home", slug="naloxone-at-home", summary="Saving a life from an overdose.", track=track,
    locale=index.locale))
for number, (title, text) in enumerate(
        [("Signs of an overdose", {OLD_PARAGRAPH!r}), ("Giving naloxone", "Spray one dose into a nostril.")], 1):
    lesson = course.add_child(instance=LessonPage(
        title=title, slug=f"lesson-{{number}}", locale=index.locale,
        body=[{{"type": "rich_text", "value": f"<p>{{text}}</p>"}}]))
    lesson.save_revision().publish()
course.save_revision().publish()
editor = user_create(username={EDITOR!r}, password=demo_password({EDITOR!r}), display_name="Olena")
editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
user_create(username={READER!r}, password=demo_password({READER!r}), display_name="Mykola", preferred_language="uk")
print(course.get_children().first().pk)
"""


@pytest.fixture
def english_lesson(demo) -> int:
    """The page id of the English course's first lesson."""
    return int(manage(demo[1], "shell", "-c", SETUP).strip().splitlines()[-1])


def segment(page, source_text: str):
    """One segment in wagtail-localize's translation editor: the source text, its translation and buttons."""
    return page.locator("li:has(> p)").filter(has=page.get_by_text(source_text, exact=True))


def translate_segment(page, source_text: str, translation: str) -> None:
    row = segment(page, source_text)
    row.get_by_role("button", name="Translate").click()
    row.get_by_role("textbox").fill(translation)
    row.get_by_role("button", name="Save").click()
    expect(row).to_contain_text("Translated manually")  # saved on the server


def page_actions(page):
    """The "..." menu in the header of a page in the admin, opened."""
    actions = page.get_by_role("navigation", name="Actions", exact=True)
    actions.get_by_role("button", name="Actions").click()
    return actions


def publish_translation(page, title: str) -> None:
    page.get_by_role("button", name="Publish in Українська").click()
    expect(page.locator(".messages")).to_contain_text(f"Published '{title}' in Українська")


def listed_out_of_date_in_ukrainian(page, title: str):
    """The item on the translation status page that lists `title` as out of date in Ukrainian (its source changed
    since the last sync)."""
    page.goto("/admin/translations/")
    listing = page.get_by_role("region", name="Українська (uk)").locator("ul[data-state=out_of_date]")
    return listing.get_by_role("listitem").filter(has_text=title)


def test_an_editor_translates_a_lesson_into_ukrainian_and_syncs_a_change(new_context, english_lesson):
    editor = new_context(width=1280).new_page()
    log_in(editor, EDITOR)

    # The lesson in the admin; its course is translated with its lessons (the lesson alone would copy the course
    # into Ukrainian in English).
    editor.goto(f"/admin/pages/{english_lesson}/edit/")
    editor.get_by_role("button", name="Toggle breadcrumbs").click()
    editor.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Naloxone at home").click()
    page_actions(editor).get_by_role("link", name="Translate this page").click()
    editor.get_by_label("Українська").check()
    editor.get_by_label("Include subtree (2 pages)").check()
    editor.get_by_role("button", name="Submit").click()
    expect(editor.locator(".messages")).to_contain_text("successfully submitted for translation into Українська")

    # Submitted, not yet published: a reader of Ukrainian gets the English course, told so, not a 404.
    reader = new_context().new_page()
    log_in(reader, READER)
    reader.goto("/uk/courses/naloxone-at-home/")
    expect(reader).to_have_url(re.compile(r"/courses/naloxone-at-home/$"))
    expect(reader.get_by_role("heading", name="Naloxone at home")).to_be_visible()
    expect(reader.locator(".messages")).to_contain_text(NOT_YET_IN_UKRAINIAN)

    # The Ukrainian course (where the submission lands): its title, published; then its lesson's translation editor.
    expect(editor.get_by_role("heading", name="English to Українська translation")).to_be_visible()
    translate_segment(editor, "Naloxone at home", UK_COURSE)
    publish_translation(editor, UK_COURSE)
    editor.get_by_role("button", name="Toggle breadcrumbs").click()
    editor.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=UK_COURSE).click()
    editor.get_by_role("link", name="Signs of an overdose").click()
    expect(editor.get_by_role("heading", name="English to Українська translation")).to_be_visible()
    translate_segment(editor, "Signs of an overdose", UK_TITLE)
    translate_segment(editor, OLD_PARAGRAPH, UK_OLD_PARAGRAPH)
    publish_translation(editor, UK_TITLE)
    translated_lesson_admin = editor.url

    reader.goto("/uk/courses/naloxone-at-home/")
    expect(reader.get_by_role("heading", name=UK_COURSE)).to_be_visible()
    expect(reader.get_by_role("main")).to_contain_text(UK_TITLE)  # in the course's list of lessons
    reader.get_by_role("button", name="Записатися на курс").click()
    expect(reader.get_by_role("heading", name=UK_TITLE)).to_be_visible()
    expect(reader.get_by_role("main")).to_contain_text(UK_OLD_PARAGRAPH)
    expect(reader.get_by_role("main")).not_to_contain_text(OLD_PARAGRAPH)
    lesson_url = reader.url

    # The English paragraph grows a sentence and is published: the Ukrainian lesson is out of date.
    expect(listed_out_of_date_in_ukrainian(editor, "Signs of an overdose")).to_have_count(0)
    editor.goto(f"/admin/pages/{english_lesson}/edit/")
    editor.get_by_role("textbox").filter(has_text=OLD_PARAGRAPH).click()
    editor.keyboard.press("Control+End")
    editor.keyboard.type(NEW_PARAGRAPH.removeprefix(OLD_PARAGRAPH))
    expect(editor.locator("input[name='body-0-value']")).to_have_value(re.compile("Stay with them"))  # in the form
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Publish").click()
    expect(editor.locator(".messages")).to_contain_text("'Signs of an overdose' has been published")
    stale = listed_out_of_date_in_ukrainian(editor, "Signs of an overdose")
    expect(stale.get_by_role("link", name="Sync")).to_be_visible()

    # "Sync translated pages" on the source, without publishing: readers keep the last translation meanwhile.
    stale.get_by_role("link", name="Signs of an overdose").click()
    page_actions(editor).get_by_role("link", name="Sync translated pages").click()
    editor.get_by_role("button", name="Submit").click()
    expect(editor.locator(".messages")).to_contain_text("Successfully updated translations")
    expect(listed_out_of_date_in_ukrainian(editor, "Signs of an overdose")).to_have_count(0)
    reader.reload()
    expect(reader.get_by_role("main")).to_contain_text(UK_OLD_PARAGRAPH)

    editor.goto(translated_lesson_admin)
    expect(segment(editor, NEW_PARAGRAPH).get_by_role("button", name="Translate")).to_be_visible()  # new, to do
    expect(segment(editor, "Signs of an overdose")).to_contain_text(UK_TITLE)  # the title's translation is kept
    translate_segment(editor, NEW_PARAGRAPH, UK_NEW_PARAGRAPH)
    publish_translation(editor, UK_TITLE)

    reader.goto(lesson_url)
    expect(reader.get_by_role("main")).to_contain_text(UK_NEW_PARAGRAPH)

"""An editor translates a course with its lessons through wagtail-localize: texts are segments, what grades and
requires (quiz answers, pass mark, attempts, "required") and what is the same session (a webinar's time) are
synchronised from the source; files are the source's unless the translator overrides them."""

import pytest
from django.core.files.base import ContentFile
from filer.models import File

from courses.models import CoursePage, LessonPage, PassRule
from tests.courses.factories import assignment_block, lessons_of, make_course, quiz_block
from tests.localize import locale, po_entries, submit, sync, translate, translation_of
from tests.webinars.factories import make_webinar

pytestmark = pytest.mark.django_db


def material_block(file: File) -> dict:
    return {"type": "material", "id": "material-1", "value": {"file": file.pk, "title": "Handout", "description": ""}}


def choice_ids_and_flags(quiz) -> list[list[tuple[str, bool]]]:
    """Per question (by id), its choices' ids and correct flags: what grading reads."""
    return [
        [(question.id, choice.id, choice.value["correct"]) for choice in question.value["choices"].bound_blocks]
        for question in quiz.value["questions"].bound_blocks
    ]


@pytest.fixture
def handout(db):
    return File.objects.create(file=ContentFile(b"template", name="letter.txt"), original_filename="letter.txt")


def test_a_lesson_is_translated_segment_by_segment_and_keeps_its_quiz_answers_and_ids(client, editor, handout):
    course = make_course(lessons=1, quiz=quiz_block(pass_mark=60), assignment=assignment_block(), title="Budgets")
    lesson = lessons_of(course)[0]
    lesson.body = [*lesson.body.raw_data, material_block(handout)]
    lesson.save_revision().publish()
    assert submit(client, course, "ru", subtree=True).status_code == 302

    contexts = {entry.msgctxt for entry in po_entries(client, translation_of(lesson, "ru"))}
    texts = {entry.msgid for entry in po_entries(client, translation_of(lesson, "ru"))}
    assert {"Question 0?", "Choice 1 of 0", "Because 0.", "Task", "Write your goal.", "Handout"} <= texts
    # What grades and requires is not offered to the translator.
    assert not [c for c in contexts if c.endswith((".correct", ".pass_mark", ".max_attempts", ".required"))]

    translated = translate(client, lesson, "ru", {"Question 0?": "Вопрос 0?"}, default="RU")
    source_quiz = next(b for b in lesson.body if b.block_type == "quiz")
    quiz = next(b for b in translated.body if b.block_type == "quiz")
    assert quiz.id == source_quiz.id  # attempts are keyed by the block's id
    assert quiz.value["pass_mark"] == 60 and quiz.value["questions"][0]["text"] == "Вопрос 0?"
    assert choice_ids_and_flags(quiz) == choice_ids_and_flags(source_quiz)
    assert translated.quiz_keys == lesson.quiz_keys and translated.assignment_keys == lesson.assignment_keys
    material = next(b for b in translated.body if b.block_type == "material")
    assert material.value["file"].pk == handout.pk and material.value["title"] == "RU Handout"


def test_a_changed_answer_and_pass_mark_reach_the_translation_on_sync_without_the_translator(client, editor):
    course = make_course(lessons=1, quiz=quiz_block(pass_mark=50), pass_rule=PassRule.ALL)
    lesson = lessons_of(course)[0]
    submit(client, course, "ru", subtree=True)
    translate(client, lesson, "ru", {}, default="RU")

    body = lesson.body.raw_data
    quiz = next(block for block in body if block["type"] == "quiz")
    quiz["value"]["pass_mark"] = 90
    for choice in quiz["value"]["questions"][0]["value"]["choices"]:
        choice["value"]["correct"] = choice["id"] == "q0-c2"  # the right answer is now the third choice
    lesson.body = body
    lesson.save_revision().publish()
    course.pass_rule = PassRule.NO_ASSIGNMENTS
    course.save_revision().publish()
    sync(client, course, publish=True)
    sync(client, lesson, publish=True)

    ru = LessonPage.objects.get(translation_key=lesson.translation_key, locale=locale("ru"))
    quiz = next(b for b in ru.body if b.block_type == "quiz")
    assert quiz.value["pass_mark"] == 90
    assert [correct for _q, _c, correct in choice_ids_and_flags(quiz)[0]] == [False, False, True]
    assert quiz.value["questions"][0]["text"] == "RU Question 0?"  # the translation is kept
    ru_course = CoursePage.objects.get(translation_key=course.translation_key, locale=locale("ru"))
    assert ru_course.pass_rule == PassRule.NO_ASSIGNMENTS


def test_a_webinar_is_translated_and_keeps_its_time_and_room(client, editor):
    webinar = make_webinar(title="Monitoring services")
    submit(client, webinar, "uk")
    translated = translate(client, webinar, "uk", {"Monitoring services": "Моніторинг послуг"}, default="UK")
    assert (translated.title, translated.language) == ("Моніторинг послуг", webinar.language)
    # The same time (wagtail-localize copies it through a revision's JSON, which keeps milliseconds).
    assert abs(translated.start - webinar.start).total_seconds() < 0.001
    assert abs(translated.end - webinar.end).total_seconds() < 0.001
    assert translated.live and translated.locale.language_code == "uk"

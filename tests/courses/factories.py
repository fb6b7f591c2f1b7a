"""Small factories for course tests: a course tree built with Wagtail's own page API, progress through services."""

import itertools
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale

from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonPage, Track
from lms.testing import make_site

_counter = itertools.count(1)

# Fixed ids so that tests can post answers: question i has choices "q{i}-c{j}".
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def quiz_block(*, key: str = "quiz-1", pass_mark: int = 50, max_attempts: int = 3, questions: int = 2) -> dict:
    """A quiz whose question i has the right choice "q{i}-c0" (question 1, if present, is multiple: c0 and c1)."""
    items = []
    for i in range(questions):
        multiple = i == 1
        choices = [
            {
                "type": "item",
                "id": f"q{i}-c{j}",
                "value": {"text": f"Choice {j} of {i}", "correct": j == 0 or (multiple and j == 1)},
            }
            for j in range(3)
        ]
        items.append(
            {
                "type": "item",
                "id": f"q{i}",
                "value": {
                    "text": f"Question {i}?",
                    "multiple": multiple,
                    "choices": choices,
                    "explanation": f"Because {i}.",
                },
            }
        )
    value = {"title": "Quiz", "intro": "", "pass_mark": pass_mark, "max_attempts": max_attempts, "questions": items}
    return {"type": "quiz", "id": key, "value": value}


def right_answers(questions: int = 2) -> dict[str, list[str]]:
    return {f"q{i}": (["q1-c0", "q1-c1"] if i == 1 else [f"q{i}-c0"]) for i in range(questions)}


def wrong_answers(questions: int = 2) -> dict[str, list[str]]:
    return {f"q{i}": [f"q{i}-c2"] for i in range(questions)}


def assignment_block(*, key: str = "assignment-1", required: bool = True, allow_file: bool = True) -> dict:
    value = {"title": "Task", "prompt": "<p>Write your goal.</p>", "required": required, "allow_file": allow_file}
    return {"type": "assignment", "id": key, "value": value}


def text_block(text: str = "<p>Lesson text.</p>", key: str | None = None) -> dict:
    return {"type": "rich_text", "id": key or str(uuid.uuid4()), "value": text}


def course_index(language: str = "en") -> CourseIndexPage:
    homes = make_site()
    locale = Locale.objects.get(language_code=language)
    index = CourseIndexPage.objects.filter(locale=locale).first()
    if index is None:
        en_index = CourseIndexPage.objects.filter(locale__language_code="en").first()
        index = homes[language].add_child(
            instance=CourseIndexPage(
                title="Courses" if language == "en" else "Курсы",
                slug="courses",
                locale=locale,
                show_in_menus=True,
                **({"translation_key": en_index.translation_key} if en_index else {}),
            )
        )
    return index


def make_track(language: str = "en", slug: str = "budget-advocacy") -> Track:
    locale = Locale.objects.get(language_code=language)
    track = Track.objects.filter(slug=slug, locale=locale).first()
    return track or Track.objects.create(name=slug.replace("-", " ").title(), slug=slug, locale=locale)


def make_course(
    *,
    lessons: int = 3,
    quiz: dict | None = None,
    assignment: dict | None = None,
    trainers=(),
    language: str = "en",
    title: str | None = None,
    translation_of: CoursePage | None = None,
    **fields,
) -> CoursePage:
    """A live course with `lessons` lessons; the quiz goes in the last lesson, the assignment in the first."""
    make_site()
    index = course_index(language)
    number = next(_counter)
    extra = {"translation_key": translation_of.translation_key} if translation_of else {}
    course = index.add_child(
        instance=CoursePage(
            title=title or f"Course {number}",
            slug=f"course-{number}",
            summary="A course for tests.",
            track=make_track(language),
            locale=index.locale,
            **extra,
            **fields,
        )
    )
    for i in range(lessons):
        body = [text_block(f"<p>Lesson {i} text.</p>")]
        if assignment and i == 0:
            body.append(assignment)
        if quiz and i == lessons - 1:
            body.append(quiz)
        course.add_child(
            instance=LessonPage(title=f"Lesson {i + 1}", slug=f"lesson-{i + 1}", body=body, locale=index.locale)
        )
    if trainers:
        course.trainers.set(trainers)
        course.save()
    return course


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


def pdf_upload(name: str = "goal.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete_everything(*, user, course: CoursePage, trainer=None) -> None:
    """Enrol, complete every lesson, pass every quiz and (with a trainer) get the assignments approved."""
    services.enrollment_create(user=user, course=course)
    for lesson in lessons_of(course):
        services.lesson_complete(user=user, lesson=lesson)
        for block in lesson.body:
            if block.block_type == "quiz":
                services.quiz_submit(user=user, lesson=lesson, quiz_key=block.id, answers=right_answers())
            elif block.block_type == "assignment":
                submission = services.assignment_submit(
                    user=user, lesson=lesson, assignment_key=block.id, text="My answer", upload=None
                )
                if trainer is not None:
                    services.assignment_review(reviewer=trainer, submission=submission, approve=True)


def text_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def big_upload(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (size - 5), content_type="application/pdf")

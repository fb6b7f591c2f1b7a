"""Demo content for courses: tracks, the course index, two courses in English, Russian and Ukrainian (one tree per
locale, translations share translation_key), library files, the demo trainer assigned to both courses by the demo's
administrator (which gives the trainer their page rights, courses/staffing.py) and the demo learner's progress.

Idempotent: every object has a fixed key and is only created when missing, so running it twice changes
nothing. Leaves context.extra["courses"] = {"budget": {"en": CoursePage, "ru": ..., "uk": ...}, "street": {...}}.
A language of settings.LANGUAGES that the demo texts lack gets no demo course (its home page says so in English).
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from filer.models import File
from wagtail.models import GroupPagePermission

from lms import roles
from lms.translations import record_existing_translations

from . import selectors, services
from .demo_content import COURSES, INDEX, MATERIALS, TRACKS
from .models import CourseIndexPage, CoursePage, LessonPage, Track

NAMESPACE = uuid.UUID("6f1c2f1e-2b8e-4a4e-9a57-4f0c3d3b7a10")
DEMO_LEARNER_COURSE = ("budget", "ru")
DEMO_LEARNER_LESSONS_DONE = 2


def demo_key(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(parts))


def demo_languages() -> list[str]:
    """The languages of settings.LANGUAGES that the demo texts are written in (en, ru, uk)."""
    return [code for code, _name in settings.LANGUAGES if code in INDEX]


def ensure_tracks(context) -> dict[str, dict[str, Track]]:
    tracks: dict[str, dict[str, Track]] = {}
    for key, spec in TRACKS.items():
        tracks[key] = {}
        for language in demo_languages():
            locale = context.locale(language)
            track = Track.objects.filter(slug=spec["slug"], locale=locale).first()
            if track is None:
                name, description = spec[language]
                track = Track(
                    name=name,
                    slug=spec["slug"],
                    description=description,
                    locale=locale,
                    translation_key=demo_key("track", key),
                )
                track.full_clean()
                track.save()
            tracks[key][language] = track
        # Made by code, not by a translator: recorded in wagtail-localize, so that submitting a course on the track
        # for translation keeps these words (lms/translations.py).
        if settings.LANGUAGE_CODE in tracks[key]:
            record_existing_translations(tracks[key][settings.LANGUAGE_CODE])
    return tracks


def ensure_materials() -> dict[str, File]:
    """Library files in django-filer (private), found again by their original file name."""
    files = {}
    for key, spec in MATERIALS.items():
        file = File.objects.filter(original_filename=spec["filename"]).first()
        if file is None:
            file = File.objects.create(
                file=ContentFile(spec["content"].encode("utf-8"), name=spec["filename"]),
                original_filename=spec["filename"],
                name=spec["name"],
                is_public=False,
            )
        files[key] = file
    return files


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_index(context, language: str) -> CourseIndexPage:
    locale = context.locale(language)
    key = demo_key("index")
    index = CourseIndexPage.objects.filter(translation_key=key, locale=locale).first()
    if index is None:
        index = _publish(
            context.home_pages[language],
            CourseIndexPage(
                title=INDEX[language]["title"],
                slug="courses",
                intro=INDEX[language]["intro"],
                show_in_menus=True,
                locale=locale,
                translation_key=key,
            ),
        )
    return index


def _block(block_type: str, value, block_id: str) -> dict:
    return {"type": block_type, "value": value, "id": block_id}


def _quiz_value(quiz: dict, key: str) -> dict:
    """The quiz with fixed ids for its questions and choices, so reloading keeps attempts valid."""
    questions = []
    for q, question in enumerate(quiz["questions"]):
        choices = [
            _block("item", choice, str(demo_key(key, "q", str(q), "c", str(c))))
            for c, choice in enumerate(question["choices"])
        ]
        questions.append(_block("item", {**question, "choices": choices}, str(demo_key(key, "q", str(q)))))
    return {**quiz, "questions": questions}


def lesson_body(items: list, *, key: str, materials: dict[str, File]) -> list[dict]:
    body = []
    for i, (block_type, value) in enumerate(items):
        block_id = str(demo_key(key, "block", str(i)))
        if block_type == "quiz":
            value = _quiz_value(value, block_id)
        elif block_type == "material":
            value = {"file": materials[value].pk, "title": "", "description": ""}
        elif block_type == "video":
            value = {"poster": None, "duration": "", "caption": "", **value}
        body.append(_block(block_type, value, block_id))
    return body


def ensure_course(context, *, course_key: str, language: str, index, track, materials) -> CoursePage:
    spec = COURSES[course_key][language]
    locale = context.locale(language)
    key = demo_key("course", course_key)
    course = CoursePage.objects.filter(translation_key=key, locale=locale).first()
    if course is None:
        course = _publish(
            index,
            CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                outcomes=spec["outcomes"],
                estimated_hours=spec["hours"],
                track=track,
                locale=locale,
                translation_key=key,
            ),
        )
    for number, lesson in enumerate(spec["lessons"]):
        lesson_key = demo_key("lesson", course_key, lesson["slug"])
        if LessonPage.objects.filter(translation_key=lesson_key, locale=locale).exists():
            continue
        _publish(
            course,
            LessonPage(
                title=lesson["title"],
                slug=lesson["slug"],
                summary=lesson["summary"],
                estimated_minutes=lesson["minutes"],
                body=lesson_body(lesson["body"], key=f"{course_key}:{language}:{number}", materials=materials),
                locale=locale,
                translation_key=lesson_key,
            ),
        )
    trainer = context.users["trainer"]
    staff = selectors.page_staff_ids(course)
    if not course.trainers.filter(pk=trainer.pk).exists():  # stored on this translation too
        # Chosen by the demo's administrator, as on a real site (a trainer cannot choose themselves).
        users = [*selectors.staff_candidates().filter(pk__in=staff), trainer]
        services.page_staff_set(actor=context.users["admin"], page=course, users=users)
    return course


def remove_trainers_group_page_permissions(indexes) -> None:
    """The Trainers group holds no page permission on the course tree: each trainer edits the courses they train
    (courses/staffing.py). Demos loaded before that gave the group add/change/publish on the indexes: taken away."""
    trainers = Group.objects.get(name=roles.TRAINERS)
    for index in indexes:
        GroupPagePermission.objects.filter(group=trainers, page__path__startswith=index.path).delete()


def ensure_learner_progress(context, course: CoursePage) -> None:
    learner = context.users["learner"]
    services.enrollment_create(user=learner, course=course)
    lessons = LessonPage.objects.live().child_of(course).order_by("path")[:DEMO_LEARNER_LESSONS_DONE]
    done = selectors.completed_lesson_keys(user=learner, course=course)
    for lesson in lessons:
        if lesson.translation_key not in done:
            services.lesson_complete(user=learner, lesson=lesson)


def load(context) -> None:
    tracks = ensure_tracks(context)
    materials = ensure_materials()
    indexes = {language: ensure_index(context, language) for language in demo_languages()}
    courses: dict[str, dict[str, CoursePage]] = {}
    for course_key, spec in COURSES.items():
        courses[course_key] = {
            language: ensure_course(
                context,
                course_key=course_key,
                language=language,
                index=indexes[language],
                track=tracks[spec["track"]][language],
                materials=materials,
            )
            for language in demo_languages()
        }
    remove_trainers_group_page_permissions(indexes.values())
    course_key, language = DEMO_LEARNER_COURSE
    ensure_learner_progress(context, courses[course_key][language])
    context.extra["courses"] = courses
    context.extra["course_tracks"] = tracks
    if context.stdout:
        languages = ", ".join(demo_languages())
        context.stdout.write(f"Courses: 2 courses in {languages}, the demo learner enrolled in one.")

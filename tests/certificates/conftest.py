"""Fixtures for the certificates tests: a signing key outside the repository, levels, and real course and
webinar data built through the courses and webinars services."""

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone
from wagtail.models import Locale

from certificates.models import Level, LevelText, Requirement, RequirementKind
from certificates.signing import private_key_pem
from lms.testing import make_site, make_user

_KEY = private_key_pem(Ed25519PrivateKey.generate()).decode()


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path):
    """Every test signs with a throwaway key from a file outside the repository."""
    path = tmp_path / "signing-key.pem"
    path.write_text(_KEY)
    settings.CERTIFICATES_SIGNING_KEY_FILE = str(path)
    settings.SITE_URL = "https://learn.example.org"
    return path


_levels = iter(range(1, 10_000))


def make_level(*, requirements=(), requires_approval=True, name=None, **fields) -> Level:
    number = next(_levels)
    level = Level(
        name=name or f"Level {number}",
        slug=f"level-{number}",
        sort_order=fields.pop("sort_order", number),
        requires_approval=requires_approval,
        certificate_text="completed the training.",
        **fields,
    )
    level.full_clean()
    level.save()
    for order, spec in enumerate(requirements):
        requirement = Requirement(level=level, sort_order=order, **spec)
        requirement.full_clean()
        requirement.save()
    return level


def translate_level(level: Level, language: str, **texts) -> LevelText:
    """The level's texts in `language`, linked to its default-language row as a translation."""
    source = LevelText.objects.get(level=level, locale=Locale.get_default())
    locale, _ = Locale.objects.get_or_create(language_code=language)
    return LevelText.objects.create(level=level, locale=locale, translation_key=source.translation_key, **texts)


@pytest.fixture
def certifier(db):
    return make_user(role="Certifiers", display_name="Certification team")


@pytest.fixture
def learner(db):
    return make_user(display_name="Aigerim")


# --- Real courses and webinars, built through their apps' services --------------------------------------------


@pytest.fixture
def site(db):
    return make_site()


def make_track(slug="budget-advocacy"):
    from wagtail.models import Locale

    from courses.models import Track

    english = Locale.objects.get(language_code="en")
    track = Track.objects.filter(slug=slug, locale=english).first()
    if track is None:
        track = Track(name=slug.replace("-", " ").title(), slug=slug, locale=english)
        track.full_clean()
        track.save()
    return track


def make_course(site, *, title="Budget advocacy", language="en", track=None, lessons=1, translation_of=None):
    """A live course with plain lessons (no quiz), in `language`; `translation_of` shares its translation_key."""
    from wagtail.models import Locale

    from courses.models import CourseIndexPage, CoursePage, LessonPage

    home = site[language]
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    fields = {}
    if translation_of is not None:
        fields["translation_key"] = translation_of.translation_key
    course = index.add_child(
        instance=CoursePage(
            title=title,
            slug=f"course-{CoursePage.objects.count() + 1}",
            summary="A course.",
            track=track or make_track(),
            locale=Locale.objects.get(language_code=language),
            **fields,
        )
    )
    for number in range(lessons):
        course.add_child(instance=LessonPage(title=f"Lesson {number + 1}", slug=f"lesson-{number + 1}"))
    return course


def complete_course(user, course):
    """Enrol and finish every lesson through the courses services (which send course_completed)."""
    from courses import services
    from courses.models import LessonPage

    services.enrollment_create(user=user, course=course)
    for lesson in LessonPage.objects.live().child_of(course):
        services.lesson_complete(user=user, lesson=lesson)


def make_reachable_level(site, users, **fields) -> Level:
    """A level whose one requirement, a course, these users have completed (through the courses services)."""
    course = make_course(site, title=f"Course for {fields.get('name', 'a level')}")
    for user in users:
        complete_course(user, course)
    return make_level(requirements=[{"kind": RequirementKind.COURSE_COMPLETED, "course_page": course}], **fields)


def make_webinar(site, *, title="Webinar", track=None, start=None, minutes=60, presenters=()):
    from webinars.models import WebinarIndexPage, WebinarPage

    home = site["en"]
    index = WebinarIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=WebinarIndexPage(title="Webinars", slug="webinars"))
    start = start or timezone.now() - timedelta(minutes=minutes - 1)
    webinar = WebinarPage(
        title=title,
        slug=f"webinar-{WebinarPage.objects.count() + 1}",
        start=start,
        end=start + timedelta(minutes=minutes),
        track=track,
    )
    webinar.presenters = list(presenters)
    index.add_child(instance=webinar)
    return webinar


def attend(user, webinar, *, minutes):
    """Join the room through the webinars service, as if connected `minutes` after the start, then leave."""
    from webinars import services
    from webinars.models import Attendance

    interval = services.attendance_open(user=user, webinar=webinar)
    Attendance.objects.filter(pk=interval.pk).update(connected_at=timezone.now() - timedelta(minutes=minutes))
    services.attendance_close(attendance_id=interval.pk)


COURSE = RequirementKind.COURSE_COMPLETED
ATTENDED = RequirementKind.WEBINARS_ATTENDED
PRESENTED = RequirementKind.WEBINARS_PRESENTED
ASSIGNMENT = RequirementKind.ASSIGNMENT_APPROVED
LEVEL_HELD = RequirementKind.LEVEL_HELD
PRACTICE = RequirementKind.PRACTICE_ACCEPTED
# A level without requirements is given by a certifier's decision, outside the rules, with a reason.
GIVEN = "Trained the regional group in 2026"

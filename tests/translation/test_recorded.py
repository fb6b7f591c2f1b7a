"""A track translated by code (the demo's) keeps its words when a course on it is submitted for translation:
wagtail-localize translates the course's track along with it and would write the English over it otherwise."""

import pytest

from courses.models import CoursePage, Track
from lms.translations import record_existing_translations
from tests.courses.factories import make_course, make_track
from tests.localize import locale, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracks(site):
    english = make_track("en")
    english.description = "How to win funding."
    english.save()
    ukrainian = Track.objects.create(
        name="Бюджетна адвокація",
        slug=english.slug,
        description="Як домогтися фінансування.",
        locale=locale("uk"),
        translation_key=english.translation_key,
    )
    return english, ukrainian


def test_a_course_submitted_for_translation_keeps_its_tracks_words_in_the_language(client, editor, tracks):
    english, ukrainian = tracks
    assert record_existing_translations(english) >= 1
    course = make_course(lessons=1, title="Budget basics")
    assert course.track == english
    assert submit(client, course, "uk", subtree=True).status_code == 302
    ukrainian.refresh_from_db()
    assert (ukrainian.name, ukrainian.description) == ("Бюджетна адвокація", "Як домогтися фінансування.")
    translated = CoursePage.objects.get(translation_key=course.translation_key, locale__language_code="uk")
    assert translated.track == ukrainian


def test_recording_twice_changes_nothing_and_follows_an_edit(tracks):
    english, ukrainian = tracks
    first = record_existing_translations(english)
    ukrainian.name = "Бюджетна адвокація громади"
    ukrainian.save()
    assert record_existing_translations(english) == first
    from wagtail_localize.models import StringTranslation

    assert StringTranslation.objects.filter(locale=ukrainian.locale, data="Бюджетна адвокація громади").count() == 1
    assert not StringTranslation.objects.filter(data="Бюджетна адвокація").exists()

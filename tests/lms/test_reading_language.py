"""A learner's language, chosen once: signing in opens the site in it, and a page their language lacks is shown
in another language they read, with a notice, instead of a 404 (issue 21, part 3)."""

import pytest
from django.conf import settings
from django.urls import reverse

from courses import services
from lms.testing import PASSWORD, make_site, make_user
from tests.courses.factories import lessons_of, make_course

pytestmark = pytest.mark.django_db

NOTICE_UK = "Ця сторінка ще недоступна мовою «Українська», тому її показано мовою «English»."


@pytest.fixture(autouse=True)
def site():
    return make_site()


def sign_in(client, user, path: str = "/accounts/login/", **data):
    return client.post(path, {"login": user.username, "password": PASSWORD, **data})


def test_signing_in_opens_the_dashboard_in_the_language_of_the_profile(client):
    learner = make_user(preferred_language="uk")
    response = sign_in(client, learner)
    assert response.status_code == 302
    assert response["Location"] == "/uk/dashboard/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"
    page = client.get(response["Location"])
    assert '<html lang="uk"' in page.content.decode()


def test_signing_in_from_a_link_keeps_the_link(client):
    learner = make_user(preferred_language="ru")
    response = sign_in(client, learner, next="/privacy/")
    assert response["Location"] == "/privacy/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_an_english_course_asked_for_in_ukrainian_is_shown_in_english_with_a_notice(client):
    course = make_course(title="Budget advocacy basics")
    response = client.get(f"/uk{course.url}")
    assert response.status_code == 302
    assert response["Location"] == course.url
    html = client.get(response["Location"]).content.decode()
    assert "Budget advocacy basics" in html
    assert NOTICE_UK in html


def test_the_notice_shows_once(client):
    course = make_course()
    client.get(f"/uk{course.url}")
    client.get(course.url)
    assert NOTICE_UK not in client.get(course.url).content.decode()


def test_a_reader_of_russian_gets_the_russian_version_before_the_english_one(client):
    english = make_course(title="Street lawyers")
    russian = make_course(language="ru", title="Уличные юристы", translation_of=english)
    russian.slug = english.slug
    russian.save()
    learner = make_user(preferred_language="ru")
    client.force_login(learner)
    response = client.get(f"/uk{english.url}")
    assert response["Location"] == f"/ru{english.url}"
    html = client.get(response["Location"]).content.decode()
    assert "Уличные юристы" in html
    assert "Ця сторінка ще недоступна мовою «Українська», тому її показано мовою «Русский»." in html


def test_a_visitors_browser_languages_choose_the_version(client):
    english = make_course(title="Street lawyers")
    russian = make_course(language="ru", title="Уличные юристы", translation_of=english)
    russian.slug = english.slug
    russian.save()
    response = client.get(f"/uk{english.url}", headers={"Accept-Language": "uk, ru;q=0.8, en;q=0.5"})
    assert response["Location"] == f"/ru{english.url}"
    response = client.get(f"/uk{english.url}", headers={"Accept-Language": "uk, en;q=0.8, ru;q=0.5"})
    assert response["Location"] == english.url


def test_a_translation_under_another_slug_is_found_without_a_notice(client):
    english = make_course(title="Street lawyers")
    ukrainian = make_course(language="uk", title="Вуличні юристи", translation_of=english)
    assert ukrainian.slug != english.slug
    response = client.get(f"/uk{english.url}")
    assert response["Location"] == ukrainian.url
    html = client.get(response["Location"]).content.decode()
    assert "Вуличні юристи" in html
    assert "ще недоступна" not in html


def test_a_translation_not_yet_published_is_not_shown(client):
    english = make_course(title="Street lawyers")
    ukrainian = make_course(language="uk", title="Вуличні юристи", translation_of=english)
    ukrainian.slug = english.slug
    ukrainian.save()
    assert client.get(f"/uk{english.url}").status_code == 200
    ukrainian.unpublish()
    response = client.get(f"/uk{english.url}")
    assert response["Location"] == english.url
    assert NOTICE_UK in client.get(english.url).content.decode()


def test_a_lesson_asked_for_in_ukrainian_shows_the_notice_on_the_cached_english_lesson(client):
    course = make_course()
    lesson = lessons_of(course)[0]
    learner = make_user(preferred_language="uk")
    services.enrollment_create(user=learner, course=course)
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200  # the lesson page is now cached for this learner
    response = client.get(f"/uk{lesson.url}", follow=True)
    assert response.redirect_chain == [(lesson.url, 302)]
    assert NOTICE_UK in response.content.decode()
    assert NOTICE_UK not in client.get(lesson.url).content.decode()


def test_a_path_no_language_has_is_still_not_found(client):
    make_course()
    assert client.get("/uk/courses/no-such-course/").status_code == 404
    assert client.get(reverse("dashboard").replace("dashboard", "no-such-page")).status_code == 404

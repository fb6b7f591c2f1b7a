"""Wagtail's look-ups and the site's structure come from each process's cache (lms/caching), and a change shows
on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site

from lms.demo import HOME_CONTENT
from lms.models import HomePage
from lms.testing import make_site

pytestmark = pytest.mark.django_db


def get_with_sql(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, "\n".join(query["sql"] for query in queries)


def test_pages_look_up_their_site_and_locale_in_the_database_only_once(client):
    make_site()
    first, sql = get_with_sql(client, "/")
    assert 'FROM "wagtailcore_site"' in sql and 'FROM "wagtailcore_locale"' in sql
    again, sql = get_with_sql(client, "/")
    assert again.status_code == 200 and first.status_code == 200
    assert 'FROM "wagtailcore_site"' not in sql and 'FROM "wagtailcore_locale"' not in sql
    russian, sql = get_with_sql(client, "/ru/")  # another language: its own locale, the same site
    assert russian.status_code == 200 and 'FROM "wagtailcore_site"' not in sql


def test_a_site_added_for_a_hostname_serves_that_hostname_on_the_next_request(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    make_site()
    english = Locale.objects.get(language_code="en")
    other_home = Page.get_first_root_node().add_child(
        instance=HomePage(slug="other-home", locale=english, **{**HOME_CONTENT["en"], "title": "Other network"})
    )
    assert "Other network" not in client.get("/", HTTP_HOST="other.example.org").content.decode()  # the default
    Site.objects.create(hostname="other.example.org", port=80, root_page=other_home, site_name="Other")
    assert "Other network" in client.get("/", HTTP_HOST="other.example.org").content.decode()
    assert "Other network" not in client.get("/").content.decode()


def test_a_saved_locale_is_read_again_and_each_reader_gets_its_own_copy(django_assert_num_queries):
    make_site()
    with translation.override("ru"):
        first = Locale.get_active()
        first.language_code = "changed by one reader"
        with django_assert_num_queries(0):
            assert Locale.get_active().language_code == "ru"
        Locale.objects.get(language_code="ru").save()
        with django_assert_num_queries(1):
            assert Locale.get_active().language_code == "ru"


def test_no_restriction_query_until_an_editor_restricts_a_page_which_then_applies_at_once(client):
    homes = make_site()
    client.get("/")
    page, sql = get_with_sql(client, "/")
    assert page.status_code == 200 and "wagtailcore_pageviewrestriction" not in sql
    restriction = PageViewRestriction.objects.create(page=homes["en"], restriction_type=PageViewRestriction.LOGIN)
    refused = client.get("/")
    assert refused.status_code == 302 and "login" in refused["Location"]
    restriction.delete()
    assert client.get("/").status_code == 200


# --- Routes -------------------------------------------------------------------------------------------------------


@pytest.fixture
def enrolled_client(client):
    from courses import services
    from lms.testing import make_user
    from tests.courses.factories import make_course

    course = make_course(lessons=3)
    learner = make_user()
    services.enrollment_create(user=learner, course=course)
    client.force_login(learner)
    return client, course


def test_a_known_path_is_served_without_walking_the_page_tree(enrolled_client):
    client, course = enrolled_client
    url = course.get_children().order_by("path").first().url
    first, sql = get_with_sql(client, url)
    assert first.status_code == 200 and 'FROM "wagtailcore_page"' in sql
    again, sql = get_with_sql(client, url)
    assert again.status_code == 200 and '"wagtailcore_page"' not in sql  # neither the route nor the course
    assert again.content.decode().count("Lesson 1") == first.content.decode().count("Lesson 1") > 0
    assert client.get(course.url + "no-such-lesson/").status_code == 404


def test_a_lesson_of_a_course_already_routed_to_costs_one_page_query(enrolled_client):
    client, course = enrolled_client
    first, second = course.get_children().order_by("path")[:2]
    _, sql = get_with_sql(client, first.url)
    assert sql.count('"wagtailcore_page"."slug" =') == 3  # routing: the catalogue, the course, the lesson
    response, sql = get_with_sql(client, second.url)
    assert response.status_code == 200 and second.title in response.content.decode()
    assert sql.count('"wagtailcore_page"."slug" =') == 1  # the lesson: the catalogue and the course were cached
    old_url = second.url
    course.slug = "renamed-course"
    course.save_revision().publish()
    second.refresh_from_db()
    assert second.url != old_url and client.get(second.url).status_code == 200
    assert client.get(old_url).status_code in (301, 404)  # not served from the course cached under its old slug


def test_publishing_unpublishing_and_deleting_a_page_show_on_the_next_request(enrolled_client):
    client, course = enrolled_client
    first, second, third = (page.specific for page in course.get_children().order_by("path"))
    for page in (first, second, third, course):
        assert client.get(page.url).status_code == 200  # every route cached
    first.title = "Budget cycle, revised"
    first.save_revision().publish()
    assert "Budget cycle, revised" in client.get(first.url).content.decode()
    assert "Budget cycle, revised" in client.get(course.url).content.decode()  # the course's list of lessons too
    second_url = second.url
    second.unpublish()
    assert client.get(second_url).status_code == 404
    assert second_url not in client.get(course.url).content.decode()
    third_url = third.url
    third.delete()
    assert client.get(third_url).status_code == 404


def test_a_moved_lesson_is_served_at_its_new_address_and_the_old_one_redirects(enrolled_client):
    from courses import services
    from tests.courses.factories import make_course

    client, course = enrolled_client
    other = make_course(lessons=0)
    services.enrollment_create(user=client.get("/dashboard/").wsgi_request.user, course=other)
    lesson = course.get_children().order_by("path").first().specific
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    lesson.move(other, pos="last-child")
    lesson.refresh_from_db()
    moved = client.get(old_url)  # the cached route is gone: Wagtail's redirect (made on move) answers instead
    assert moved.status_code == 301 and moved["Location"] == lesson.url
    assert lesson.url.startswith(other.url) and client.get(lesson.url).status_code == 200


def test_a_change_published_by_another_worker_shows_here_within_a_second(enrolled_client, monkeypatch):
    """Each process caches routes and pages in its own memory; another worker's publish replaces the shared
    generation token, which this process reads again once its copy is GENERATION_SECONDS old."""
    from django.core.cache import cache

    from courses.models import LessonPage
    from lms import caching

    client, course = enrolled_client
    lesson = course.get_children().order_by("path").first()
    now = caching.time.monotonic()  # the clock stands still until the second has passed, however loaded the machine
    monkeypatch.setattr(caching.time, "monotonic", lambda: now)
    assert "Lesson 1" in client.get(lesson.url).content.decode()
    LessonPage.objects.filter(pk=lesson.pk).update(title="Renamed in another worker")  # no signal in this process
    cache.set(caching.GENERATION_KEY, "renewed-by-another-worker", None)  # what that worker's invalidate_all() leaves
    assert "Renamed in another worker" not in client.get(lesson.url).content.decode()  # this process's copy
    later = now + caching.GENERATION_SECONDS
    monkeypatch.setattr(caching.time, "monotonic", lambda: later)
    assert "Renamed in another worker" in client.get(lesson.url).content.decode()


def test_what_another_worker_read_while_a_change_was_committing_is_dropped_once_it_commits(
    django_capture_on_commit_callbacks,
):
    from lms import caching

    with django_capture_on_commit_callbacks(execute=True):
        caching.invalidate_all()  # a publish, inside its transaction
        assert caching.cached("courses:live-lessons:1", lambda: ["read before the commit"]) == [
            "read before the commit"
        ]
    assert caching.cached("courses:live-lessons:1", lambda: ["read after the commit"]) == ["read after the commit"]


def test_the_wagtail_patches_warn_when_another_wagtail_version_runs(monkeypatch):
    """The patches replace private Wagtail methods: an upgrade must be read against them before it is deployed."""
    import wagtail
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from lms.caching.wagtail import PATCHED_WAGTAIL, WAGTAIL_VERSION_ID, check_wagtail_version

    assert check_wagtail_version() == []  # the installed Wagtail is the one they were read against
    monkeypatch.setattr(wagtail, "VERSION", (PATCHED_WAGTAIL[0], PATCHED_WAGTAIL[1] + 1, 0, "final", 1))
    [warning] = check_wagtail_version()
    assert warning.id == WAGTAIL_VERSION_ID and "Wagtail 8.1 is installed" in warning.msg
    with pytest.raises(SystemCheckError, match=WAGTAIL_VERSION_ID):
        call_command("check", fail_level="WARNING")


# --- Rate limits ----------------------------------------------------------------------------------------------------


def test_a_client_over_a_limit_is_counted_again_from_zero_once_its_window_has_passed():
    """The window is each client's own, from their first counted action (lms/caching/ratelimit.py)."""
    import time

    from lms.caching.ratelimit import RateLimit

    limit = RateLimit("tests:actions", seconds=1)
    assert [limit.hit("a") for _ in range(3)] == [1, 2, 3]
    assert limit.count("a") == 3 and limit.count("b") == 0  # another client has a counter of its own
    time.sleep(1.2)
    assert limit.count("a") == 0 and limit.hit("a") == 1

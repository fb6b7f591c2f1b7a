"""The courses demo loader: real bilingual content, idempotent, and what the loaders after it rely on."""

import pytest
from django.contrib.auth.models import Group
from filer.models import File
from wagtail.models import GroupPagePermission, Page

from courses import demo, services
from courses.models import CourseIndexPage, CoursePage, Enrollment, LessonPage, LessonProgress, Track
from lms import roles
from lms.demo import ensure_home_pages
from lms.management.commands.load_demo import Command, DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run_loader() -> DemoContext:
    context = DemoContext(home_pages=ensure_home_pages(), users=Command().ensure_accounts())
    demo.load(context)
    return context


def counts() -> dict:
    models = (Page, CoursePage, LessonPage, Track, File, Enrollment, LessonProgress, GroupPagePermission)
    return {model.__name__: model.objects.count() for model in models}


def test_demo_loader_builds_two_courses_in_every_language_and_runs_twice_without_duplicates():
    context = run_loader()
    first = counts()
    again = run_loader()
    assert counts() == first

    courses = context.extra["courses"]
    assert set(courses) == {"budget", "street"}
    for key in ("budget", "street"):
        assert set(courses[key]) == {"en", "ru", "uk"}
        en = courses[key]["en"]
        assert [course.language for course in courses[key].values()] == ["en", "ru", "uk"]
        assert {course.translation_key for course in courses[key].values()} == {en.translation_key}
        assert again.extra["courses"][key]["en"].pk == en.pk
        assert all(context.users["trainer"] in course.trainers.all() for course in courses[key].values())
        for course in courses[key].values():
            lessons = list(LessonPage.objects.live().child_of(course))
            assert len(lessons) >= 4
            assert sum(len(lesson.quiz_keys) for lesson in lessons) == 1
            assert sum(len(lesson.assignment_keys) for lesson in lessons) == 1
            assert all(len(str(lesson.body)) > 500 for lesson in lessons)  # real text, not placeholders

    assert "Only 4 of the 9 were functioning" in str(
        LessonPage.objects.get(slug="community-monitoring", locale__language_code="en").body
    )
    assert "ombudsman" in str(LessonPage.objects.get(slug="cases-to-advocacy", locale__language_code="en").body).lower()

    indexes = CourseIndexPage.objects.all()
    assert indexes.count() == 3 and all(index.show_in_menus for index in indexes)
    # The trainer's page rights come from being assigned (by the demo's administrator) to both courses, not from
    # the Trainers group: the group holds no page permission on the course tree (courses/staffing.py).
    trainers = Group.objects.get(name=roles.TRAINERS)
    assert not GroupPagePermission.objects.filter(group=trainers).exists()
    trainer = context.users["trainer"]
    for key in ("budget", "street"):
        for course in courses[key].values():
            rights = course.permissions_for_user(trainer)
            assert rights.can_edit() and rights.can_publish() and rights.can_add_subpage()
    assert not any(index.permissions_for_user(trainer).can_add_subpage() for index in indexes)

    learner = context.users["learner"]
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.course_id == courses["budget"]["ru"].pk
    assert 0 < enrollment.progress_percent < 100


def test_demo_courses_render_in_both_languages(client):
    context = run_loader()
    for language, marker in (("en", "Budget advocacy for community leaders"), ("ru", "Бюджетная адвокация")):
        course = context.extra["courses"]["budget"][language]
        response = client.get(course.url)
        assert response.status_code == 200 and marker in response.content.decode()
    client.force_login(context.users["learner"])
    lesson = LessonPage.objects.get(slug="community-monitoring", locale__language_code="ru")
    body = client.get(lesson.url).content.decode()
    assert "Работали только 4 из 9" in body and 'name="q-' in body


def test_demo_courses_render_in_ukrainian(client):
    context = run_loader()
    learner = context.users["learner"]
    client.force_login(learner)
    course = context.extra["courses"]["budget"]["uk"]
    html = client.get(course.url).content.decode()
    assert '<html lang="uk"' in html and "Бюджетна адвокація для лідерів спільноти" in html
    assert "близько 4 годин" in html and "6 уроків" in html  # the plural forms of Ukrainian
    services.enrollment_create(user=learner, course=course)
    lesson = LessonPage.objects.get(slug="community-monitoring", locale__language_code="uk")
    body = client.get(lesson.url).content.decode()
    assert "Працювали лише 4 з 9" in body and 'name="q-' in body
    assert "Для заліку потрібно 70%." in body


def test_reloading_a_demo_made_before_takes_the_trainers_groups_page_rights_away():
    """Earlier demos gave the whole Trainers group add/change/publish on the course indexes: every trainer could
    edit every course and add themselves as its trainer. Loading the demo again removes those rows."""
    from django.contrib.auth.models import Permission

    run_loader()
    trainers = Group.objects.get(name=roles.TRAINERS)
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=["add_page", "change_page", "publish_page"]
    )
    for index in CourseIndexPage.objects.all():
        for permission in permissions:
            GroupPagePermission.objects.create(group=trainers, page=index, permission=permission)
    run_loader()
    assert not GroupPagePermission.objects.filter(group=trainers).exists()


def test_a_new_course_on_a_demo_track_submitted_for_translation_keeps_the_tracks_words(client):
    """The demo's tracks are translated by code; a course on one, translated through wagtail-localize, must not
    write the English name over the Ukrainian one (lms/translations.py)."""
    from tests.courses.factories import make_course
    from tests.localize import submit

    run_loader()
    ukrainian = Track.objects.get(slug="budget-advocacy", locale__language_code="uk")
    english = Track.objects.get(translation_key=ukrainian.translation_key, locale__language_code="en")
    course = make_course(lessons=1, title="Budget basics")
    course.track = english
    course.save_revision().publish()
    client.force_login(Command().ensure_accounts()["admin"])
    assert submit(client, course, "uk", subtree=True).status_code == 302
    assert Track.objects.get(pk=ukrainian.pk).name == ukrainian.name != english.name

"""A course in every language is one course for the learner: enrolment, completed lessons, quiz attempts and
completion follow them from one translation to another (docs/courses.md, "One course in every language"). The
Russian course is made by an editor through wagtail-localize's admin, as on the site."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from certificates import eligibility
from certificates.models import Level, Requirement, RequirementKind
from courses.models import CoursePage, Enrollment, LessonPage, QuizAttempt
from lms.testing import make_user
from tests.localize import locale, submit, translate

from .factories import lessons_of, make_course, quiz_block, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    """An administrator signed in to the Wagtail admin: translates the course, and may read its reports."""
    user = make_user(role="admin")
    client.force_login(user)
    return user


@pytest.fixture
def course(client, editor):
    """An English course of two lessons (a quiz in the second), translated into Russian by an editor."""
    course = make_course(lessons=2, quiz=quiz_block(max_attempts=3), title="Budgets")
    assert submit(client, course, "ru", subtree=True).status_code == 302
    translate(client, course, "ru", {"Budgets": "Бюджеты"}, default="RU")
    for lesson in lessons_of(course):
        translate(client, lesson, "ru", {}, default="RU")
    return course


def russian(page):
    translated = page.get_translation(locale("ru"))
    assert translated.live
    return translated


@pytest.fixture
def learner():
    return make_user(display_name="Aigerim")


@pytest.fixture
def learner_client(learner):
    browser = Client()
    browser.force_login(learner)
    return browser


def lesson_item(body: str, lesson: LessonPage) -> str:
    """The course page's list item that links to the lesson."""
    return next(item for item in re.findall(r"<li>(.*?)</li>", body, re.S) if f'href="{lesson.url}"' in item)


def enrol(browser, course: CoursePage):
    return browser.post(reverse("courses:enrol", args=[course.pk]))


def complete(browser, lesson: LessonPage):
    return browser.post(reverse("courses:lesson_complete", args=[lesson.pk]))


def answer_quiz(browser, lesson: LessonPage, answers: dict):
    data = {f"q-{question}": choices for question, choices in answers.items()}
    return browser.post(reverse("courses:quiz_submit", args=[lesson.pk, "quiz-1"]), data)


def test_a_learner_who_opens_the_russian_course_finds_their_english_progress(course, learner_client):
    enrol(learner_client, course)
    first = lessons_of(course)[0]
    complete(learner_client, first)
    english = learner_client.get(course.url).content.decode()
    assert 'value="33"' in english  # 1 of 3 requirements: two lessons and the quiz

    page = learner_client.get(russian(course).url)
    body = page.content.decode()
    assert page.status_code == 200 and "Бюджеты" in body
    assert 'value="33"' in body  # the same percent
    assert reverse("courses:enrol", args=[russian(course).pk]) not in body  # no enrol form: already enrolled
    assert "badge-ok" in lesson_item(body, russian(first))  # the first lesson is shown done, the second not
    assert "badge-ok" not in lesson_item(body, russian(lessons_of(course)[1]))
    lesson = learner_client.get(russian(first).url)
    assert lesson.status_code == 200 and "badge-ok" in lesson.content.decode()  # open, and completed


def test_enrolling_in_the_russian_course_when_enrolled_in_the_english_one_makes_no_second_enrolment(
    course, learner, learner_client
):
    enrol(learner_client, course)
    response = enrol(learner_client, russian(course))
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=learner).count() == 1
    assert Enrollment.objects.get(user=learner).course == course  # the page the learner first enrolled through


def test_quiz_attempts_made_in_russian_count_in_english(course, learner, learner_client):
    enrol(learner_client, course)
    quiz_lesson = lessons_of(course)[1]
    answer_quiz(learner_client, russian(quiz_lesson), wrong_answers())
    page = learner_client.get(quiz_lesson.url).content.decode()
    assert "2 attempts left" in page  # the Russian attempt is counted on the English page

    answer_quiz(learner_client, quiz_lesson, wrong_answers())
    assert list(QuizAttempt.objects.filter(user=learner).order_by("number").values_list("number", "lesson")) == [
        (1, russian(quiz_lesson).pk),
        (2, quiz_lesson.pk),
    ]
    assert "1 attempt left" in learner_client.get(quiz_lesson.url).content.decode()
    answer_quiz(learner_client, russian(quiz_lesson), wrong_answers())
    refused = answer_quiz(learner_client, quiz_lesson, right_answers())
    assert refused.status_code == 400  # three attempts in two languages: none left
    assert QuizAttempt.objects.filter(user=learner).count() == 3


def test_completing_the_last_lesson_in_russian_completes_the_course_and_the_certificate_requirement(
    course, learner, learner_client
):
    level = Level(name="Advocate", slug="advocate", sort_order=1, certificate_text="completed the training.")
    level.full_clean()
    level.save()
    requirement = Requirement(level=level, sort_order=0, kind=RequirementKind.COURSE_COMPLETED, course_page=course)
    requirement.full_clean()
    requirement.save()
    first, last = lessons_of(course)
    enrol(learner_client, course)
    complete(learner_client, first)
    answer_quiz(learner_client, last, right_answers())
    assert not eligibility.evaluate_user(learner).for_level(level.pk).complete

    complete(learner_client, russian(last))
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.completed_at is not None and enrollment.progress_percent == 100
    assert eligibility.evaluate_user(learner).for_level(level.pk).complete
    assert 'value="100"' in learner_client.get(course.url).content.decode()


def test_the_dashboard_lists_a_course_taken_in_two_languages_once(course, learner_client):
    enrol(learner_client, course)
    complete(learner_client, lessons_of(course)[0])
    enrol(learner_client, russian(course))
    complete(learner_client, russian(lessons_of(course)[1]))
    page = learner_client.get("/dashboard/").content.decode()
    assert page.count(f'href="{course.url}"') == 1
    assert f'href="{russian(course).url}"' not in page


def test_a_trainers_report_covers_the_learners_of_every_language(course, learner_client, client):
    other = make_user(display_name="Bakyt")
    other_client = Client()
    other_client.force_login(other)
    enrol(learner_client, course)
    enrol(other_client, russian(course))
    complete(other_client, russian(lessons_of(course)[0]))
    report = client.get(reverse("courses:course_report", args=[course.pk])).content.decode()
    assert "Aigerim" in report and "Bakyt" in report
    russian_report = client.get(reverse("courses:course_report", args=[russian(course).pk])).content.decode()
    assert "Aigerim" in russian_report and "Bakyt" in russian_report


def test_the_dashboard_links_to_the_course_in_the_readers_language(course, learner_client):
    """Enrolled through the English page, a reader of Russian finds the Russian course (and resumes in it)."""
    from django.utils import translation

    assert enrol(learner_client, course).status_code == 302
    ru = russian(course)
    html = learner_client.get("/ru/dashboard/").content.decode()
    with translation.override("ru"):
        resume = reverse("courses:resume", args=[ru.pk])
    assert f'<a href="{ru.url}">Бюджеты</a>' in html and resume in html
    html = learner_client.get("/dashboard/").content.decode()
    assert f'<a href="{course.url}">Budgets</a>' in html and reverse("courses:resume", args=[course.pk]) in html

"""A lesson opened again is served from the copy kept for that learner (courses/pagecache.py): never older than
the learner's own last step or the published course, never another person's, and its forms still work."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import Enrollment, LessonProgress
from lms import roles
from lms.testing import make_user

from .factories import assignment_block, lessons_of, make_course, quiz_block, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def setup():
    trainer = make_user(role=roles.TRAINERS)
    learner = make_user(display_name="Aigerim")
    course = make_course(lessons=2, quiz=quiz_block(), assignment=assignment_block(), trainers=[trainer])
    services.enrollment_create(user=learner, course=course)
    return trainer, learner, course


def without_tokens(html: str) -> str:
    return TOKEN.sub("", html)


def test_a_lesson_opened_again_costs_no_rendering_and_its_forms_still_work(setup, django_assert_max_num_queries):
    _trainer, learner, course = setup
    first = lessons_of(course)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    shown = client.get(first.url).content.decode()
    with django_assert_max_num_queries(3):  # session, user, enrolment: nothing read for the page itself
        again = client.get(first.url)
    html = again.content.decode()
    assert without_tokens(html) == without_tokens(shown)
    assert again["Cache-Control"] == "private, no-cache" and again["Content-Type"] == "text/html; charset=utf-8"
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1 and tokens != set(TOKEN.findall(shown))  # a fresh mask, as Django gives each page
    response = client.post(reverse("courses:lesson_complete", args=[first.pk]), {"csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302
    assert LessonProgress.objects.filter(user=learner, lesson=first).exists()


def complete_lesson(trainer, learner, course):
    services.lesson_complete(user=learner, lesson=lessons_of(course)[0])


def fail_quiz(trainer, learner, course):
    services.quiz_submit(user=learner, lesson=lessons_of(course)[-1], quiz_key="quiz-1", answers=wrong_answers())


def pass_quiz(trainer, learner, course):
    services.quiz_submit(user=learner, lesson=lessons_of(course)[-1], quiz_key="quiz-1", answers=right_answers())


def submit(trainer, learner, course):
    services.assignment_submit(user=learner, lesson=lessons_of(course)[0], assignment_key="assignment-1", text="Goal")


def ask_for_changes(trainer, learner, course):
    submission = learner.assignment_submissions.get()
    services.assignment_review(reviewer=trainer, submission=submission, approve=False, feedback="Add a date, please")


def approve(trainer, learner, course):
    services.assignment_review(reviewer=trainer, submission=learner.assignment_submissions.get(), approve=True)


def nothing(trainer, learner, course):
    pass


@pytest.mark.parametrize(
    ("before", "step", "lesson_index", "shown_after"),
    [
        (nothing, complete_lesson, 0, "Lesson completed"),
        (nothing, fail_quiz, -1, "Attempt 1: 0%"),
        (fail_quiz, pass_quiz, -1, "Passed"),
        (nothing, submit, 0, "Waiting for review"),
        (submit, ask_for_changes, 0, "Add a date, please"),
        (submit, approve, 0, "Approved"),
    ],
)
def test_every_step_of_the_learner_or_their_trainer_shows_on_the_next_request(
    client, setup, before, step, lesson_index, shown_after
):
    trainer, learner, course = setup
    lesson = lessons_of(course)[lesson_index]
    before(trainer, learner, course)
    client.force_login(learner)
    assert shown_after not in client.get(lesson.url).content.decode()  # now kept
    step(trainer, learner, course)
    assert shown_after in client.get(lesson.url).content.decode()


def test_another_learner_never_gets_my_kept_page(client, setup):
    _trainer, learner, course = setup
    lesson = lessons_of(course)[-1]
    services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=wrong_answers())
    client.force_login(learner)
    assert "Aigerim" in client.get(lesson.url).content.decode()
    other = make_user(display_name="Timur")
    services.enrollment_create(user=other, course=course)
    client.force_login(other)
    html = client.get(lesson.url).content.decode()
    assert "Timur" in html and "Aigerim" not in html and "Attempt 1: 0%" not in html


def test_a_new_name_or_a_change_to_the_course_shows_at_once(client, setup):
    _trainer, learner, course = setup
    lesson = lessons_of(course)[-1]
    client.force_login(learner)
    client.get(lesson.url)  # kept
    learner.display_name = "Aigerim B."
    learner.save(update_fields=["display_name"])
    assert "Aigerim B." in client.get(lesson.url).content.decode()
    course.title = "Budget advocacy, revised"
    course.save_revision().publish()
    assert "Budget advocacy, revised" in client.get(lesson.url).content.decode()


def test_a_message_waiting_for_the_learner_is_shown_not_skipped(client, setup):
    _trainer, learner, course = setup
    lesson = lessons_of(course)[-1]
    client.force_login(learner)
    client.get(lesson.url)  # kept
    response = client.post(
        reverse("courses:quiz_submit", args=[lesson.pk, "quiz-1"]),
        {f"q-{key}": value for key, value in right_answers().items()},
    )
    assert response.status_code == 302
    html = client.get(lesson.url).content.decode()
    assert "You passed with 100%." in html
    assert "You passed with 100%." not in client.get(lesson.url).content.decode()  # shown once, as before


def test_access_is_checked_on_every_request_not_kept(client, setup):
    _trainer, learner, course = setup
    lesson = lessons_of(course)[0]
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200  # kept
    Enrollment.objects.filter(user=learner).delete()  # e.g. removed by an administrator
    response = client.get(lesson.url)
    assert response.status_code == 302 and response.url == course.url


def test_an_unpublished_lesson_is_gone_even_if_kept(client, setup):
    _trainer, learner, course = setup
    lesson = lessons_of(course)[0]
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200  # kept
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def account_link(html: str) -> str:
    return re.search(r'class="account-link"[^>]*>([^<]*)</a>', html).group(1)


def progress_shown(html: str) -> str:
    return re.search(r'<span class="progress-label">([^<]*)</span>', html).group(1)


def test_learners_at_the_same_point_share_one_rendering_each_with_their_own_name_and_progress(
    setup, django_assert_max_num_queries
):
    _trainer, learner, course = setup
    first, second = lessons_of(course)[:2]  # the first holds an assignment: its empty form is the same for all
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    shown = client.get(first.url).content.decode()
    other = make_user(display_name="<b>Timur</b> courses-progress-mark")  # markup and a mark stay text
    services.enrollment_create(user=other, course=course)
    services.lesson_complete(user=other, lesson=second)
    progress = Enrollment.objects.get(user=other).progress_percent
    client.force_login(other)
    with django_assert_max_num_queries(3):  # session, user, enrolment
        response = client.get(first.url)
    assert response.templates == []  # rendered once, for the first learner
    html = response.content.decode()
    assert account_link(shown) == "Aigerim" and progress_shown(shown) == "0%"
    assert account_link(html) == "&lt;b&gt;Timur&lt;/b&gt; courses-progress-mark"
    assert progress_shown(html) == f"{progress}%" and progress > 0
    assert f'<progress max="100" value="{progress}"' in html
    assert "Aigerim" not in html and "courses-" not in html.replace("courses-progress-mark</a>", "")
    response = client.post(
        reverse("courses:assignment_submit", args=[first.pk, "assignment-1"]),
        {"text": "My goal", "csrfmiddlewaretoken": TOKEN.findall(html)[0]},
    )
    assert response.status_code == 302 and other.assignment_submissions.get().text == "My goal"
    mine = client.get(first.url).content.decode()  # answers of their own: a page of their own
    assert "Waiting for review" in mine and account_link(mine) == account_link(html)
    client.force_login(learner)
    assert "Waiting for review" not in client.get(first.url).content.decode()


def test_a_name_that_looks_like_a_mark_stays_a_name_on_a_page_of_ones_own(client, setup):
    _trainer, learner, course = setup
    learner.display_name = "lms-mark-courses-progress lms-mark-courses-name"
    learner.save(update_fields=["display_name"])
    lesson = lessons_of(course)[-1]
    services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=wrong_answers())
    client.force_login(learner)
    for _ in range(2):  # rendered and kept, then served kept
        assert account_link(client.get(lesson.url).content.decode()) == learner.display_name

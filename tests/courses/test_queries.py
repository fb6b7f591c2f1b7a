"""Fixed query counts: the course page, a lesson page, the dashboard panel and the trainer report run the same
number of queries at 5 and 200 lessons and at 1 and 1,000 learners."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from courses import dashboard, reports, selectors
from courses.models import Enrollment, LessonProgress, QuizAttempt, record_pages
from lms import roles
from lms.models import User
from lms.testing import make_user

from .factories import assignment_block, lessons_of, make_course, quiz_block

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("courses-queries")]

# Measured at the small size; the large size must not need more.
COURSE_PAGE_QUERIES = 10  # session and user included; the route and the lesson list come from what is kept
LESSON_PAGE_QUERIES = 8  # the first visit of this lesson: its route is walked once (3 queries)
LESSON_PAGE_AGAIN_QUERIES = 3  # session, user, enrolment: the page itself is kept (courses/pagecache.py)
DASHBOARD_PANEL_QUERIES = 7
REPORT_QUERIES = 5


def seed(*, lessons: int, learners: int):
    """A course with `lessons` lessons (quiz in the last, assignment in the first) and `learners` enrolled
    learners who each completed every lesson and tried the quiz; returns (trainer, learner, course)."""
    trainer = make_user(role=roles.TRAINERS)
    course = make_course(lessons=lessons, quiz=quiz_block(), assignment=assignment_block(), trainers=[trainer])
    lessons = lessons_of(course)
    quiz_lesson = lessons[-1]
    learner = make_user()
    others = User.objects.bulk_create(User(username=f"bulk-{learners}-{i}") for i in range(learners - 1))
    everyone = [learner, *others]
    now = timezone.now()
    Enrollment.objects.bulk_create(
        Enrollment(user=u, **record_pages(course=course), progress_percent=50) for u in everyone
    )
    # The measured learner has done every lesson; the others the first three (keeps seeding fast).
    LessonProgress.objects.bulk_create(
        LessonProgress(user=u, **record_pages(course=course, lesson=lesson), completed_at=now)
        for u in everyone
        for lesson in (lessons if u is learner else lessons[:3])
    )
    QuizAttempt.objects.bulk_create(
        QuizAttempt(
            user=u,
            **record_pages(course=course, lesson=quiz_lesson),
            quiz_key="quiz-1",
            number=1,
            score=i % 101,
            passed=i % 101 >= 50,
        )
        for i, u in enumerate(everyone)
    )
    return trainer, learner, course


SIZES = [pytest.param(5, 1, id="5-lessons-1-learner"), pytest.param(200, 1000, id="200-lessons-1000-learners")]


@pytest.mark.parametrize(("lessons", "learners"), SIZES)
def test_pages_and_reads_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, lessons, learners):
    trainer, learner, course = seed(lessons=lessons, learners=learners)
    lesson = lessons_of(course)[-1]
    client.force_login(learner)
    client.get(course.url)  # warm the per-process caches (site root paths, navigation)

    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        response = client.get(course.url)
    assert response.status_code == 200 and response.content.decode().count("badge-ok") >= lessons

    with django_assert_max_num_queries(LESSON_PAGE_QUERIES):
        response = client.get(lesson.url)
    assert response.status_code == 200 and 'name="q-q0"' in response.content.decode()
    with django_assert_max_num_queries(LESSON_PAGE_AGAIN_QUERIES):  # its route and the course's lessons now kept
        again = client.get(lesson.url)
    assert again.status_code == 200 and 'name="q-q0"' in again.content.decode()

    request = RequestFactory().get("/dashboard/")
    request.user = learner
    with django_assert_max_num_queries(DASHBOARD_PANEL_QUERIES):
        panel = dashboard.panel_context(request)
    assert [e.course_id for e in panel["enrollments"]] == [course.pk]

    with django_assert_max_num_queries(REPORT_QUERIES):
        report = reports.course_report(course=course)
    assert report["enrolled"] == learners and report["lessons_total"] == lessons
    assert sum(bar.value for bar in report["score_chart"].bars) == learners

    with django_assert_max_num_queries(4):
        parts = selectors.course_progress_parts(user=learner, course=course)
    assert parts["lessons_done"] == lessons and parts["quizzes_total"] == 1

    client.force_login(trainer)
    response = client.get(reverse("courses:course_report", args=[course.pk]))
    assert response.status_code == 200

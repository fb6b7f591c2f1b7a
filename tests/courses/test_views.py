# ruff: noqa: RUF001 - Russian strings are meant to contain Cyrillic letters
"""Pages and endpoints as a learner or trainer uses them: access, bad input, downloads, reports, Russian."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from filer.models import File

from courses import services
from courses.models import AssignmentSubmission, Enrollment, LessonProgress, QuizAttempt, SubmissionStatus
from lms import roles
from lms.testing import make_user

from .factories import (
    assignment_block,
    lessons_of,
    make_course,
    pdf_upload,
    quiz_block,
    right_answers,
    text_block,
    text_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def setup():
    trainer = make_user(role=roles.TRAINERS)
    learner = make_user()
    course = make_course(lessons=3, quiz=quiz_block(), assignment=assignment_block(), trainers=[trainer])
    return trainer, learner, course


def login(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Course page and enrolment ------------------------------------------------------------------------------------


def test_anonymous_visitor_sees_the_course_and_a_login_link(client, setup):
    _trainer, _learner, course = setup
    response = client.get(course.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert course.title in body and "Log in to enrol" in body
    assert "Lesson 1" in body


def test_enrol_then_resume_leads_to_the_first_unfinished_lesson(client, setup):
    _trainer, learner, course = setup
    login(client, learner)
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302 and response.url == reverse("courses:resume", args=[course.pk])
    assert Enrollment.objects.filter(user=learner, course=course).exists()
    first, second, _third = lessons_of(course)
    assert client.get(response.url).url == first.url
    services.lesson_complete(user=learner, lesson=first)
    assert client.get(reverse("courses:resume", args=[course.pk])).url == second.url
    page = client.get(course.url).content.decode()
    assert 'value="20"' in page  # 1 of 5 requirements (3 lessons, the quiz, the assignment)
    assert second.url in page


def test_enrol_is_post_only_and_needs_login(client, setup):
    _trainer, learner, course = setup
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 302  # to login
    assert not Enrollment.objects.exists()
    login(client, learner)
    assert client.get(reverse("courses:enrol", args=[course.pk])).status_code == 405
    assert not Enrollment.objects.exists()


def test_enrol_with_missing_prerequisite_shows_why_and_stores_nothing(client, setup):
    _trainer, learner, course = setup
    advanced = make_course(lessons=1)
    advanced.prerequisites.add(course)
    advanced.save()
    login(client, learner)
    response = client.post(reverse("courses:enrol", args=[advanced.pk]), follow=True)
    assert any(course.title in m for m in messages_of(response))
    assert not Enrollment.objects.filter(course=advanced).exists()


# --- Lesson pages -------------------------------------------------------------------------------------------------


def test_lesson_needs_login_and_enrolment(client, setup):
    _trainer, learner, course = setup
    lesson = lessons_of(course)[0]
    assert "/accounts/login/" in client.get(lesson.url).url
    login(client, learner)
    assert client.get(lesson.url).url == course.url
    services.enrollment_create(user=learner, course=course)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"  # never shared, always fresh, kept offline by the SW


def test_quiz_page_never_contains_the_correct_answers_before_submission(client, setup):
    _trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    login(client, learner)
    body = client.get(lessons_of(course)[-1].url).content.decode()
    assert 'name="q-q0"' in body and 'value="q0-c0"' in body
    assert "correct" not in body.lower()
    assert "Because 0." not in body  # explanations come after an attempt


def test_quiz_post_grades_and_shows_feedback(client, setup):
    _trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    lesson = lessons_of(course)[-1]
    login(client, learner)
    response = client.post(
        reverse("courses:quiz_submit", args=[lesson.pk, "quiz-1"]), {"q-q0": "q0-c0", "q-q1": ["q1-c0", "q1-c1"]}
    )
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.score == 100 and attempt.passed
    page = client.get(lesson.url).content.decode()
    assert "Passed" in page and "Because 0." in page


@pytest.mark.parametrize(
    "data",
    [
        {"q-q0": "q0-c0"},  # missing answer
        {"q-q0": ["q0-c0", "q0-c0"], "q-q1": "q1-c0"},  # duplicate
        {"q-q0": "zzz", "q-q1": "q1-c0"},  # unknown choice
        {"q-q0": "q0-c0", "q-q1": "q1-c0", "q-evil": "1"},  # unknown question
    ],
)
def test_bad_quiz_posts_get_a_clear_message_and_store_nothing(client, setup, data):
    _trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    lesson = lessons_of(course)[-1]
    login(client, learner)
    response = client.post(reverse("courses:quiz_submit", args=[lesson.pk, "quiz-1"]), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert QuizAttempt.objects.count() == 0


def test_quiz_post_for_a_course_not_enrolled_in_is_forbidden(client, setup):
    _trainer, learner, course = setup
    login(client, learner)
    lesson = lessons_of(course)[-1]
    response = client.post(reverse("courses:quiz_submit", args=[lesson.pk, "quiz-1"]), {"q-q0": "q0-c0"})
    assert response.status_code == 403
    assert QuizAttempt.objects.count() == 0


def test_unpublished_lessons_are_not_found_and_take_no_input(client, setup):
    _trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    url = lesson.url
    lesson.unpublish()
    login(client, learner)
    assert client.get(url).status_code == 404
    assert client.post(reverse("courses:lesson_complete", args=[lesson.pk])).status_code == 404
    assert (
        client.post(reverse("courses:assignment_submit", args=[lesson.pk, "assignment-1"]), {"text": "x"}).status_code
        == 404
    )
    assert not LessonProgress.objects.exists() and not AssignmentSubmission.objects.exists()


def test_mark_complete_moves_to_the_next_lesson(client, setup):
    _trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    first, second, _ = lessons_of(course)
    login(client, learner)
    response = client.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert response.url == second.url
    assert LessonProgress.objects.filter(user=learner, lesson=first).exists()


# --- Assignments and private files --------------------------------------------------------------------------------


def test_assignment_upload_and_who_can_download_it(client, setup):
    trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    login(client, learner)
    response = client.post(
        reverse("courses:assignment_submit", args=[lesson.pk, "assignment-1"]),
        {"text": "My goal", "file": pdf_upload("goal.pdf")},
    )
    assert response.status_code == 302
    submission = AssignmentSubmission.objects.get()
    url = reverse("courses:submission_file", args=[submission.pk])

    own = client.get(url)
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment")
    assert own["X-Content-Type-Options"] == "nosniff"
    assert own["Content-Type"] == "application/octet-stream"
    assert b"".join(own.streaming_content).startswith(b"%PDF-")

    login(client, make_user())  # another learner
    assert client.get(url).status_code == 404
    login(client, make_user(role=roles.TRAINERS))  # a trainer of another course
    assert client.get(url).status_code == 404
    login(client, trainer)
    assert client.get(url).status_code == 200


def test_bad_upload_shows_the_error_and_keeps_the_text(client, setup):
    _trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    login(client, learner)
    response = client.post(
        reverse("courses:assignment_submit", args=[lesson.pk, "assignment-1"]),
        {"text": "My long answer", "file": text_upload("virus.pdf", b"MZ\x90\x00")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This type of file is not accepted" in body and "My long answer" in body
    assert not AssignmentSubmission.objects.exists()


def test_material_download_checks_access(client, private_media):
    learner = make_user()
    handout = File.objects.create(
        file=ContentFile(b"template", name="letter.txt"), original_filename="letter.txt", name="Letter", is_public=False
    )
    body = [
        text_block(),
        {"type": "material", "id": "mat-1", "value": {"file": handout.pk, "title": "", "description": ""}},
    ]
    course = make_course(lessons=0)
    from courses.models import LessonPage

    lesson = course.add_child(instance=LessonPage(title="L", slug="l", body=body, locale=course.locale))
    url = reverse("courses:material", args=[lesson.pk, "mat-1"])
    assert client.get(url).status_code == 302  # login first
    login(client, learner)
    assert client.get(url).status_code == 403  # not enrolled
    services.enrollment_create(user=learner, course=course)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"template"
    assert client.get(reverse("courses:material", args=[lesson.pk, "nope"])).status_code == 404
    page = client.get(lesson.url).content.decode()
    assert url in page
    material = page[page.index('class="material"') : page.index(url)]
    assert '<svg class="material-icon"' in material and "📄" not in material  # no emoji a phone may lack


# --- Trainer reports and reviews ----------------------------------------------------------------------------------


def test_trainer_sees_only_their_courses_reports(client, setup):
    trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    other_course = make_course(lessons=1, trainers=[make_user(role=roles.TRAINERS)])

    login(client, trainer)
    listing = client.get(reverse("courses:trainer_courses")).content.decode()
    assert course.title in listing and other_course.title not in listing
    report = client.get(reverse("courses:course_report", args=[course.pk]))
    assert report.status_code == 200
    html = report.content.decode()
    assert "<svg" in html and learner.public_name in html and "<rect" in html
    assert client.get(reverse("courses:course_report", args=[other_course.pk])).status_code == 403
    assert client.get(reverse("courses:course_report_csv", args=[other_course.pk])).status_code == 403

    response = client.get(reverse("courses:course_report_csv", args=[course.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Learner" and rows[1][0] == learner.public_name and rows[1][3] == "1"

    login(client, learner)
    assert client.get(reverse("courses:course_report", args=[course.pk])).status_code == 403
    assert client.get(reverse("courses:trainer_courses")).status_code == 403
    assert client.get(reverse("courses:review_queue")).status_code == 403


def test_csv_cells_cannot_smuggle_formulas(client, setup):
    trainer, _learner, course = setup
    sneaky = make_user(display_name='=HYPERLINK("http://x")')
    services.enrollment_create(user=sneaky, course=course)
    login(client, trainer)
    content = client.get(reverse("courses:course_report_csv", args=[course.pk])).content.decode()
    assert "'=HYPERLINK" in content


def test_review_queue_and_review_flow(client, setup):
    trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    submission = services.assignment_submit(
        user=learner, lesson=lessons_of(course)[0], assignment_key="assignment-1", text="My goal text"
    )
    login(client, trainer)
    assert "My goal text" in client.get(reverse("courses:review_queue")).content.decode()
    bad = client.post(reverse("courses:review", args=[submission.pk]), {"decision": "changes", "feedback": ""})
    assert bad.status_code == 400
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    ok = client.post(reverse("courses:review", args=[submission.pk]), {"decision": "changes", "feedback": "Add a date"})
    assert ok.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHANGES_REQUESTED

    # The learner sees it on the dashboard as waiting for them.
    login(client, learner)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Assignments waiting for you" in dashboard and "Add a date" in dashboard

    login(client, make_user(role=roles.TRAINERS))
    assert client.post(reverse("courses:review", args=[submission.pk]), {"decision": "approve"}).status_code == 403


# --- Dashboard, catalogue, Russian --------------------------------------------------------------------------------


def test_dashboard_shows_my_courses_with_progress_and_resume(client, setup):
    _trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    services.quiz_submit(user=learner, lesson=lessons_of(course)[-1], quiz_key="quiz-1", answers=right_answers())
    login(client, learner)
    body = client.get(reverse("dashboard")).content.decode()
    assert course.title in body
    assert reverse("courses:resume", args=[course.pk]) in body
    assert "<progress" in body and "Recent activity" in body


def test_catalogue_filters_and_search(client, setup):
    _trainer, _learner, course = setup
    index = course.get_parent()
    street = make_course(lessons=1, title="Street lawyers in practice")
    from .factories import make_track

    street.track = make_track(slug="street-lawyers")
    street.save()
    body = client.get(index.url).content.decode()
    assert course.title in body and street.title in body
    body = client.get(index.url, {"track": "street-lawyers"}).content.decode()
    assert street.title in body and course.title not in body
    body = client.get(index.url, {"q": "lawyers"}).content.decode()
    assert street.title in body and course.title not in body
    assert client.get(index.url, {"language": "xx"}).status_code == 200  # a bad filter is ignored, not a crash


def test_russian_course_and_lesson_render_in_russian(client):
    learner = make_user(preferred_language="ru")
    course = make_course(lessons=2, quiz=quiz_block(), language="ru", title="Бюджетная адвокация")
    assert course.url.startswith("/ru/")
    body = client.get(course.url).content.decode()
    assert 'lang="ru"' in body and "Бюджетная адвокация" in body and "Войдите, чтобы записаться" in body
    services.enrollment_create(user=learner, course=course)
    login(client, learner)
    lesson_body = client.get(lessons_of(course)[-1].url).content.decode()
    assert "Проходной балл" in lesson_body and "Отметить как пройденный" in lesson_body
    assert "Урок 2 из 2" in lesson_body
    found = client.get(course.get_parent().url, {"q": "адвокация"}).content.decode()
    assert "Бюджетная адвокация" in found


def test_a_learner_never_sees_another_learners_attempts_or_answers(client, setup):
    _trainer, learner, course = setup
    other = make_user()
    for user in (learner, other):
        services.enrollment_create(user=user, course=course)
    first, *_rest, last = lessons_of(course)
    services.quiz_submit(user=learner, lesson=last, quiz_key="quiz-1", answers=right_answers())
    services.assignment_submit(user=learner, lesson=first, assignment_key="assignment-1", text="secret plan of A")
    login(client, other)
    assert "Attempt 1" not in client.get(last.url).content.decode()
    assert "secret plan of A" not in client.get(first.url).content.decode()
    assert "secret plan of A" not in client.get(reverse("dashboard")).content.decode()


def test_catalogue_shows_the_current_language_by_default(client, setup):
    _trainer, _learner, course = setup
    russian = make_course(lessons=1, language="ru", title="Курс по-русски")
    index = course.get_parent()
    body = client.get(index.url).content.decode()
    assert course.title in body and russian.title not in body
    body = client.get(index.url, {"language": ""}).content.decode()
    assert course.title in body and russian.title in body


def test_lesson_page_weight_and_no_other_origin(client, setup):
    """HTML + CSS + JS of a lesson under 60 KB compressed; nothing is loaded from another origin."""
    import gzip
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    _trainer, learner, course = setup
    services.enrollment_create(user=learner, course=course)
    login(client, learner)
    html = client.get(lessons_of(course)[-1].url).content
    assets = re.findall(rb'(?:src|href)="/static/([^"]+\.(?:css|js))"', html)
    assert b"courses/courses.css" in assets
    total = len(gzip.compress(html)) + sum(
        len(gzip.compress(Path(finders.find(asset.decode())).read_bytes())) for asset in assets
    )
    assert total < 60 * 1024
    loaded = re.findall(rb'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', html)
    assert loaded == []


def test_a_preview_shows_the_edited_block_not_the_cached_published_one(client, rf):

    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    learner = make_user()
    services.enrollment_create(user=learner, course=course)
    client.force_login(learner)
    assert "Lesson 0 text." in client.get(lesson.url).content.decode()  # the published block is now cached
    block = lesson.body.raw_data[0]
    lesson.body = [{**block, "value": "<p>Edited, not yet published.</p>"}]  # same block id, as in the editor
    admin = Client()
    admin.force_login(make_user(role="admin"))
    editor = rf.get(lesson.url, HTTP_COOKIE=f"sessionid={admin.session.session_key}")  # the editor's browser
    preview = lesson.make_preview_request(original_request=editor).render().content.decode()
    assert "Edited, not yet published." in preview and "Lesson 0 text." not in preview
    assert "Lesson 0 text." in client.get(lesson.url).content.decode()  # readers still get the published text


def test_quiz_questions_are_kept_per_published_version_and_never_in_a_preview(client, rf):
    course = make_course(lessons=1, quiz=quiz_block())
    lesson = lessons_of(course)[0]
    learner = make_user()
    services.enrollment_create(user=learner, course=course)
    client.force_login(learner)
    assert "Question 0?" in client.get(lesson.url).content.decode()  # the questions' markup is now kept
    body = lesson.body.raw_data
    quiz = next(block for block in body if block["type"] == "quiz")
    quiz["value"]["questions"][0]["value"]["text"] = "Who decides the budget?"
    lesson.body = body
    admin = Client()
    admin.force_login(make_user(role="admin"))
    editor = rf.get(lesson.url, HTTP_COOKIE=f"sessionid={admin.session.session_key}")
    preview = lesson.make_preview_request(original_request=editor).render().content.decode()
    assert "Who decides the budget?" in preview and "Question 0?" not in preview
    assert "Question 0?" in client.get(lesson.url).content.decode()  # learners still answer the published quiz
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "Who decides the budget?" in html and "Question 0?" not in html

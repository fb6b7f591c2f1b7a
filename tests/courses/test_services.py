"""Services: enrolment, the completion rule and its signal, quizzes graded on the server, assignments, reviews."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses import selectors, services, signals
from courses.models import AssignmentSubmission, Enrollment, LessonProgress, PassRule, QuizAttempt, SubmissionStatus
from lms import roles
from lms.testing import make_user

from .factories import (
    assignment_block,
    big_upload,
    complete_everything,
    lessons_of,
    make_course,
    pdf_upload,
    quiz_block,
    right_answers,
    text_upload,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"  # where assignment files are stored (courses/storage.py)
    return tmp_path / "private"


@pytest.fixture
def received():
    """Collects course_completed and assignment_approved signals as (name, kwargs)."""
    calls = []

    def on_completed(sender, **kwargs):
        calls.append(("course_completed", kwargs))

    def on_approved(sender, **kwargs):
        calls.append(("assignment_approved", kwargs))

    signals.course_completed.connect(on_completed)
    signals.assignment_approved.connect(on_approved)
    yield calls
    signals.course_completed.disconnect(on_completed)
    signals.assignment_approved.disconnect(on_approved)


# --- Enrolment ----------------------------------------------------------------------------------------------------


def test_enrolling_twice_keeps_one_enrolment():
    learner = make_user()
    course = make_course()
    first = services.enrollment_create(user=learner, course=course)
    second = services.enrollment_create(user=learner, course=course)
    assert first.pk == second.pk
    assert Enrollment.objects.filter(user=learner).count() == 1


def test_prerequisites_block_enrolment_until_completed_in_any_language():
    learner = make_user()
    basics = make_course(lessons=1)
    basics_ru = make_course(lessons=1, language="ru", translation_of=basics)
    advanced = make_course(lessons=1)
    advanced.prerequisites.add(basics)
    advanced.save()

    with pytest.raises(ValidationError) as error:
        services.enrollment_create(user=learner, course=advanced)
    assert basics.title in str(error.value)
    assert not Enrollment.objects.filter(user=learner, course=advanced).exists()

    complete_everything(user=learner, course=basics_ru)  # the Russian version is the same course
    assert services.enrollment_create(user=learner, course=advanced).course_id == advanced.pk


def test_unpublished_course_cannot_be_joined():
    course = make_course()
    course.unpublish()
    with pytest.raises(ValidationError):
        services.enrollment_create(user=make_user(), course=course)


# --- Lessons and completion ---------------------------------------------------------------------------------------


def test_lesson_complete_needs_an_enrolment():
    course = make_course()
    with pytest.raises(PermissionDenied):
        services.lesson_complete(user=make_user(), lesson=lessons_of(course)[0])
    assert LessonProgress.objects.count() == 0


def test_unpublished_lesson_takes_no_progress():
    learner = make_user()
    course = make_course()
    services.enrollment_create(user=learner, course=course)
    lesson = lessons_of(course)[0]
    lesson.unpublish()
    with pytest.raises(ValidationError):
        services.lesson_complete(user=learner, lesson=lesson)
    assert LessonProgress.objects.count() == 0


def test_course_completes_when_lessons_quiz_and_assignment_are_done_and_signals_once(
    django_capture_on_commit_callbacks, received
):
    trainer = make_user(role=roles.TRAINERS)
    learner = make_user()
    course = make_course(lessons=2, quiz=quiz_block(), assignment=assignment_block(), trainers=[trainer])
    first, last = lessons_of(course)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(user=learner, course=course)
        services.lesson_complete(user=learner, lesson=first)
        services.lesson_complete(user=learner, lesson=last)
        services.quiz_submit(user=learner, lesson=last, quiz_key="quiz-1", answers=right_answers())
    assert not services.course_is_complete(user=learner, course=course)  # the assignment is not approved yet
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.completed_at is None
    assert enrollment.progress_percent == 75  # 3 of 4 requirements: 2 lessons, the quiz, not the assignment

    with django_capture_on_commit_callbacks(execute=True):
        submission = services.assignment_submit(user=learner, lesson=first, assignment_key="assignment-1", text="Goal")
        services.assignment_review(reviewer=trainer, submission=submission, approve=True)
    assert services.course_is_complete(user=learner, course=course)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None and enrollment.progress_percent == 100
    assert [name for name, _ in received] == ["assignment_approved", "course_completed"]
    assert received[1][1]["user"] == learner and received[1][1]["course"].pk == course.pk

    # More activity afterwards never sends the signal again.
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_complete(user=learner, lesson=first)
        services.enrollment_update_completion(user=learner, course=course)
    assert [name for name, _ in received].count("course_completed") == 1


def test_pass_rule_without_assignments_completes_without_approval():
    learner = make_user()
    course = make_course(lessons=1, assignment=assignment_block(), pass_rule=PassRule.NO_ASSIGNMENTS)
    services.enrollment_create(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    assert services.course_is_complete(user=learner, course=course)


def test_optional_assignment_is_not_needed_for_completion():
    learner = make_user()
    course = make_course(lessons=1, assignment=assignment_block(required=False))
    services.enrollment_create(user=learner, course=course)
    services.lesson_complete(user=learner, lesson=lessons_of(course)[0])
    assert services.course_is_complete(user=learner, course=course)


# --- Quizzes ------------------------------------------------------------------------------------------------------


@pytest.fixture
def quiz_course():
    learner = make_user()
    course = make_course(lessons=1, quiz=quiz_block(pass_mark=60, max_attempts=2))
    services.enrollment_create(user=learner, course=course)
    return learner, lessons_of(course)[0]


def test_quiz_is_graded_on_the_server_and_the_best_score_counts(quiz_course):
    learner, lesson = quiz_course
    half = {"q0": ["q0-c0"], "q1": ["q1-c0"]}  # question 1 needs both c0 and c1
    first = services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=half)
    assert (first.score, first.passed, first.number) == (50.0, False, 1)
    second = services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=right_answers())
    assert (second.score, second.passed, second.number) == (100.0, True, 2)
    feedback = selectors.quiz_feedback(lesson.body[1].value, first)
    assert [item["right"] for item in feedback] == [True, False]
    assert feedback[1]["explanation"] == "Because 1."


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({"q0": ["q0-c0", "q0-c0"], "q1": ["q1-c0"]}, "duplicate_choice"),
        ({"q0": ["nope"], "q1": ["q1-c0"]}, "unknown_choice"),
        ({"q0": ["q1-c0"], "q1": ["q1-c0"]}, "unknown_choice"),  # a choice of another question
        ({"q0": ["q0-c0"]}, "missing_answer"),
        ({"q0": ["q0-c0"], "q1": []}, "missing_answer"),
        ({"q0": ["q0-c0", "q0-c1"], "q1": ["q1-c0"]}, "too_many"),  # two answers to a single-choice question
        ({"q0": ["q0-c0"], "q1": ["q1-c0"], "q9": ["x"]}, "unknown_question"),
    ],
)
def test_bad_quiz_answers_are_refused_and_store_nothing(quiz_course, answers, code):
    learner, lesson = quiz_course
    with pytest.raises(ValidationError) as error:
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=answers)
    assert error.value.code == code
    assert QuizAttempt.objects.count() == 0


def test_attempts_past_the_limit_are_refused(quiz_course):
    learner, lesson = quiz_course
    for _ in range(2):
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=wrong_answers())
    with pytest.raises(ValidationError) as error:
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="quiz-1", answers=right_answers())
    assert error.value.code == "attempts_exhausted"
    assert QuizAttempt.objects.count() == 2


def test_quiz_for_a_course_the_user_is_not_enrolled_in_is_refused(quiz_course):
    _learner, lesson = quiz_course
    with pytest.raises(PermissionDenied):
        services.quiz_submit(user=make_user(), lesson=lesson, quiz_key="quiz-1", answers=right_answers())
    assert QuizAttempt.objects.count() == 0


def test_unknown_quiz_key_is_refused(quiz_course):
    learner, lesson = quiz_course
    with pytest.raises(ValidationError):
        services.quiz_submit(user=learner, lesson=lesson, quiz_key="nope", answers=right_answers())


# --- Assignments --------------------------------------------------------------------------------------------------


@pytest.fixture
def assignment_course(private_media):
    trainer = make_user(role=roles.TRAINERS)
    learner = make_user()
    course = make_course(lessons=1, assignment=assignment_block(), trainers=[trainer])
    services.enrollment_create(user=learner, course=course)
    return trainer, learner, lessons_of(course)[0]


def test_a_pdf_is_stored_privately_under_a_random_name(assignment_course, private_media):
    _trainer, learner, lesson = assignment_course
    submission = services.assignment_submit(
        user=learner, lesson=lesson, assignment_key="assignment-1", text="Goal", upload=pdf_upload("my goal.pdf")
    )
    assert submission.file_name == "my goal.pdf"
    assert submission.file_type == "application/pdf"
    assert submission.file.name.startswith("courses/submissions/")  # relative to PRIVATE_MEDIA_ROOT
    assert "goal" not in submission.file.name
    assert (private_media / submission.file.name).read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (text_upload("goal.pdf", b"MZ\x90\x00 this is an executable"), "bad_type"),  # name says pdf, content not
        (text_upload("goal.exe", b"%PDF-1.4 real pdf bytes"), "bad_type"),  # content pdf, name not allowed
        (text_upload("page.html", b"<script>alert(1)</script>"), "bad_type"),
        (text_upload("notes.txt", b"\xff\xfe\x00\x00binary"), "bad_type"),
        (text_upload("photo.png", b"GIF89a not a png"), "bad_type"),
    ],
)
def test_files_of_a_type_outside_the_allow_list_are_refused(assignment_course, private_media, upload, code):
    _trainer, learner, lesson = assignment_course
    with pytest.raises(ValidationError) as error:
        services.assignment_submit(user=learner, lesson=lesson, assignment_key="assignment-1", text="x", upload=upload)
    assert error.value.code == code
    assert AssignmentSubmission.objects.count() == 0
    assert not any(private_media.rglob("*.*"))


def test_files_over_the_size_limit_are_refused(assignment_course, private_media, monkeypatch):
    _trainer, learner, lesson = assignment_course
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 1024)
    with pytest.raises(ValidationError) as error:
        services.assignment_submit(
            user=learner, lesson=lesson, assignment_key="assignment-1", text="x", upload=big_upload(2048)
        )
    assert error.value.code == "too_large"
    assert AssignmentSubmission.objects.count() == 0


def test_text_and_office_files_are_accepted(assignment_course):
    _trainer, learner, lesson = assignment_course
    submission = services.assignment_submit(
        user=learner,
        lesson=lesson,
        assignment_key="assignment-1",
        text="x",
        upload=text_upload("notes.txt", "Цель: 300 000 шприцев".encode()),
    )
    assert submission.file_type == "text/plain"
    assert services.upload_content_type(text_upload("a.docx", b"PK\x03\x04rest")).endswith("wordprocessingml.document")


def test_only_a_trainer_of_the_course_reviews_and_changes_need_feedback(assignment_course):
    trainer, learner, lesson = assignment_course
    submission = services.assignment_submit(user=learner, lesson=lesson, assignment_key="assignment-1", text="Goal")
    other_trainer = make_user(role=roles.TRAINERS)
    with pytest.raises(PermissionDenied):
        services.assignment_review(reviewer=other_trainer, submission=submission, approve=True)
    with pytest.raises(PermissionDenied):
        services.assignment_review(reviewer=learner, submission=submission, approve=True)
    with pytest.raises(ValidationError):
        services.assignment_review(reviewer=trainer, submission=submission, approve=False, feedback="  ")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED

    services.assignment_review(reviewer=trainer, submission=submission, approve=False, feedback="Add a date.")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHANGES_REQUESTED and submission.reviewer == trainer

    # The learner resubmits; the same row goes back to the queue.
    again = services.assignment_submit(user=learner, lesson=lesson, assignment_key="assignment-1", text="Goal by May")
    assert again.pk == submission.pk and again.status == SubmissionStatus.SUBMITTED


def test_an_approved_assignment_cannot_be_resubmitted(assignment_course):
    trainer, learner, lesson = assignment_course
    submission = services.assignment_submit(user=learner, lesson=lesson, assignment_key="assignment-1", text="Goal")
    services.assignment_review(reviewer=trainer, submission=submission, approve=True)
    with pytest.raises(ValidationError):
        services.assignment_submit(user=learner, lesson=lesson, assignment_key="assignment-1", text="Changed")
    submission.refresh_from_db()
    assert submission.text == "Goal"


def test_assignment_file_refused_where_the_block_takes_none(private_media):
    learner = make_user()
    course = make_course(lessons=1, assignment=assignment_block(allow_file=False))
    services.enrollment_create(user=learner, course=course)
    with pytest.raises(ValidationError):
        services.assignment_submit(
            user=learner, lesson=lessons_of(course)[0], assignment_key="assignment-1", text="x", upload=pdf_upload()
        )
    assert AssignmentSubmission.objects.count() == 0

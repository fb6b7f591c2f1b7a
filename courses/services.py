"""Every operation that changes course state: enrol, complete a lesson, grade a quiz, submit and review an
assignment, and the one completion rule they all end in (`enrollment_update_completion`).

Permission checks live here (PermissionDenied), so a view, an admin action and a test share them.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import roles
from lms.restrictions import page_viewable, require_viewable
from lms.text import clean_typed_text

from . import selectors, signals
from .filetypes import ALLOWED_EXTENSIONS, SIGNATURES, ZIP_TYPES
from .models import (
    AssignmentSubmission,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    SubmissionStatus,
    record_pages,
)

MAX_UPLOAD_BYTES = getattr(settings, "COURSES_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


# --- Roles on a course --------------------------------------------------------------------------------------------


def user_is_course_trainer(*, user, course: CoursePage) -> bool:
    """Trainers assigned to the course (in any of its languages) while they are in the Trainers group
    (`roles.may_act_as_trainer`), and superusers."""
    if not roles.may_act_as_trainer(user):
        return False
    if user.is_superuser:
        return True
    return CoursePage.objects.filter(translation_key=course.translation_key, trainers=user).exists()


def trainer_course_ids(*, user) -> list[int]:
    """Every course page (all languages) that a trainer may see reports for and edit in the admin: the courses they
    are assigned to, while they are in the Trainers group (`roles.may_act_as_trainer`); every course for
    superusers."""
    if not roles.may_act_as_trainer(user):
        return []
    courses = CoursePage.objects.all()
    if not user.is_superuser:
        keys = CoursePage.objects.filter(trainers=user).values("translation_key")
        courses = courses.filter(translation_key__in=keys)
    return list(courses.values_list("pk", flat=True))


def lesson_can_view(*, user, course: CoursePage, lesson: LessonPage | None = None) -> bool:
    """Lessons are open to the course's enrolled learners and its trainers, if Wagtail's view restrictions on the
    lesson (or the course, when no lesson is given) and their ancestors let them view it (lms/restrictions.py)."""
    if not (user and user.is_authenticated):
        return False
    if not page_viewable(user, lesson or course):
        return False
    return Enrollment.objects.filter(user=user, course_key=course.translation_key).exists() or user_is_course_trainer(
        user=user, course=course
    )


def _enrollment_for(*, user, course: CoursePage, lock: bool = False) -> Enrollment:
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Log in to take this course."))
    enrollments = Enrollment.objects.select_for_update() if lock else Enrollment.objects
    enrollment = enrollments.filter(user=user, course_key=course.translation_key).first()
    if enrollment is None:
        raise PermissionDenied(_("Enrol in the course first."))
    return enrollment


def _require_live(lesson: LessonPage) -> None:
    if not lesson.live:
        raise ValidationError(_("This lesson is not published."), code="unpublished")


# --- Enrolment and completion -------------------------------------------------------------------------------------


@transaction.atomic
def enrollment_create(*, user, course: CoursePage) -> Enrollment:
    """Enrol a learner; enrolling twice, in any language of the course, returns the existing enrolment."""
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Log in to enrol."))
    require_viewable(user, course)  # a course restricted to a group takes no one else (lms/restrictions.py)
    if not course.live:
        raise ValidationError(_("This course is not published."), code="unpublished")
    existing = selectors.enrollment_of(user=user, course=course)
    if existing is not None:
        return existing
    missing = selectors.missing_prerequisites(user=user, course=course)
    if missing:
        raise ValidationError(
            _("Complete these courses first: %(courses)s") % {"courses": ", ".join(c.title for c in missing)},
            code="prerequisites",
        )
    enrollment = Enrollment(user=user, **record_pages(course=course))
    enrollment.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:  # a concurrent request enrolled first
        return selectors.enrollment_of(user=user, course=course)
    return enrollment


def _percent(parts: dict[str, int]) -> int:
    total = parts["lessons_total"] + parts["quizzes_total"] + parts["assignments_total"]
    done = parts["lessons_done"] + parts["quizzes_passed"] + parts["assignments_approved"]
    return round(100 * done / total) if total else 0


def _is_complete(parts: dict[str, int]) -> bool:
    return (
        parts["lessons_total"] > 0
        and parts["lessons_done"] == parts["lessons_total"]
        and parts["quizzes_passed"] == parts["quizzes_total"]
        and parts["assignments_approved"] == parts["assignments_total"]
    )


def course_is_complete(*, user, course: CoursePage) -> bool:
    """The completion rule: every lesson done, every quiz passed, every required assignment approved."""
    return _is_complete(selectors.course_progress_parts(user=user, course=course))


@transaction.atomic
def enrollment_update_completion(*, user, course: CoursePage) -> Enrollment:
    """The one place completion is decided. Every path (lesson, quiz, assignment) ends here; course_completed
    is sent after commit, exactly once: the row lock makes a concurrent second call see completed_at set."""
    enrollment = _enrollment_for(user=user, course=course, lock=True)
    parts = selectors.course_progress_parts(user=user, course=course)
    now = timezone.now()
    enrollment.progress_percent = _percent(parts)
    enrollment.last_activity_at = now
    enrollment.version += 1  # the row is locked: the learner's kept lesson pages are retired (pagecache.py)
    newly_complete = enrollment.completed_at is None and _is_complete(parts)
    if newly_complete:
        enrollment.completed_at = now
        enrollment.progress_percent = 100
    enrollment.full_clean(validate_unique=False)
    enrollment.save(update_fields=["progress_percent", "last_activity_at", "completed_at", "version"])
    if newly_complete:
        transaction.on_commit(
            lambda: signals.course_completed.send_robust(sender=CoursePage, user=user, course=course), robust=True
        )
    return enrollment


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> LessonProgress:
    """Mark a lesson read ("mark complete"); marking it twice keeps the first time."""
    _require_live(lesson)
    require_viewable(user, lesson)
    course = selectors.lesson_course(lesson)
    _enrollment_for(user=user, course=course)
    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson_key=lesson.translation_key, defaults=record_pages(course=course, lesson=lesson)
    )
    enrollment_update_completion(user=user, course=course)
    return progress


# --- Quizzes ------------------------------------------------------------------------------------------------------


def _validate_quiz_answers(questions: list[dict], answers: dict[str, list[str]]) -> dict[str, list[str]]:
    known_questions = {q["id"]: q for q in questions}
    unknown = set(answers) - set(known_questions)
    if unknown:
        raise ValidationError(_("The answers refer to a question that is not in this quiz."), code="unknown_question")
    cleaned: dict[str, list[str]] = {}
    for question in questions:
        chosen = list(answers.get(question["id"]) or [])
        if not chosen:
            raise ValidationError(_("Answer every question before submitting."), code="missing_answer")
        if len(set(chosen)) != len(chosen):
            raise ValidationError(_("The same choice was sent twice."), code="duplicate_choice")
        if set(chosen) - {c["id"] for c in question["choices"]}:
            raise ValidationError(_("An answer refers to a choice that does not exist."), code="unknown_choice")
        if not question["multiple"] and len(chosen) != 1:
            raise ValidationError(_("Choose exactly one answer where only one is asked for."), code="too_many")
        cleaned[question["id"]] = sorted(chosen)
    return cleaned


def quiz_grade(questions: list[dict], answers: dict[str, list[str]]) -> float:
    """Percent of questions answered exactly right (the chosen set equals the correct set)."""
    right = sum(
        1 for q in questions if set(answers.get(q["id"], [])) == {c["id"] for c in q["choices"] if c["correct"]}
    )
    return round(100 * right / len(questions), 1) if questions else 0.0


@transaction.atomic
def quiz_submit(*, user, lesson: LessonPage, quiz_key: str, answers: dict[str, list[str]]) -> QuizAttempt:
    """Grade one attempt on the server. Bad input (unknown or duplicate choices, missing answers, attempts past
    the limit, not enrolled) raises and stores nothing. A new best score on a quiz of a course already completed
    sends quiz_score_improved after commit (course_completed, sent once, carried the score of its moment)."""
    _require_live(lesson)
    require_viewable(user, lesson)
    course = selectors.lesson_course(lesson)
    enrollment = _enrollment_for(user=user, course=course, lock=True)  # the lock serialises attempt numbers
    quiz = selectors.find_block(lesson, block_type="quiz", key=quiz_key)
    questions = selectors.quiz_questions(quiz)
    earlier = QuizAttempt.objects.filter(user=user, lesson_key=lesson.translation_key, quiz_key=quiz_key).aggregate(
        used=Count("pk"), best=Max("score")
    )
    used = earlier["used"]
    if used >= quiz["max_attempts"]:
        raise ValidationError(_("You have used all attempts for this quiz."), code="attempts_exhausted")
    cleaned = _validate_quiz_answers(questions, answers)
    score = quiz_grade(questions, cleaned)
    attempt = QuizAttempt(
        user=user,
        **record_pages(course=course, lesson=lesson),
        quiz_key=quiz_key,
        number=used + 1,
        answers=cleaned,
        score=score,
        passed=score >= quiz["pass_mark"],
    )
    attempt.full_clean()
    attempt.save()
    enrollment_update_completion(user=user, course=course)
    if enrollment.completed_at is not None and (earlier["best"] is None or score > earlier["best"]):
        transaction.on_commit(
            lambda: signals.quiz_score_improved.send_robust(
                sender=CoursePage, user=user, course=course, lesson=lesson, quiz_key=quiz_key, score=score
            ),
            robust=True,
        )
    return attempt


# --- Assignments --------------------------------------------------------------------------------------------------


def upload_content_type(upload: UploadedFile) -> str:
    """The content type of an allowed upload, checked on its content, or a ValidationError."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large: the limit is %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    for signature, content_type, extensions in SIGNATURES:
        if head.startswith(signature) and extension in extensions:
            return content_type
    if head.startswith(b"PK\x03\x04") and extension in ZIP_TYPES:
        return ZIP_TYPES[extension]
    if extension == ".txt" and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a multi-byte character cut at the end of the sample is fine
                raise ValidationError(_("A text file must be UTF-8."), code="bad_type") from error
        return "text/plain"
    raise ValidationError(
        _("This type of file is not accepted. Allowed: %(types)s.") % {"types": ", ".join(ALLOWED_EXTENSIONS)},
        code="bad_type",
    )


@transaction.atomic
def assignment_submit(
    *, user, lesson: LessonPage, assignment_key: str, text: str, upload: UploadedFile | None = None
) -> AssignmentSubmission:
    """Submit (or resubmit after changes were requested) an answer to an assignment."""
    _require_live(lesson)
    require_viewable(user, lesson)
    course = selectors.lesson_course(lesson)
    _enrollment_for(user=user, course=course)
    assignment = selectors.find_block(lesson, block_type="assignment", key=assignment_key)
    text = clean_typed_text(text)
    if not text:
        raise ValidationError(_("Write your answer before submitting."), code="empty")
    if upload is not None and not assignment["allow_file"]:
        raise ValidationError(_("This assignment does not take a file."), code="no_file")
    content_type = upload_content_type(upload) if upload is not None else ""
    submission = (
        AssignmentSubmission.objects.select_for_update()
        .filter(user=user, lesson_key=lesson.translation_key, assignment_key=assignment_key)
        .first()
    )
    if submission is not None and submission.status == SubmissionStatus.APPROVED:
        raise ValidationError(_("This assignment is already approved."), code="approved")
    if submission is None:
        submission = AssignmentSubmission(
            user=user, **record_pages(course=course, lesson=lesson), assignment_key=assignment_key
        )
    old_file = submission.file.name if submission.file else ""
    submission.text = text
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    if upload is not None:
        submission.file_name = (upload.name or "file")[-200:]
        submission.file_type = content_type
        submission.file.save(upload.name or "file", upload, save=False)
    submission.full_clean()
    submission.save()
    if upload is not None and old_file:
        storage = submission.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    enrollment_update_completion(user=user, course=course)
    return submission


@transaction.atomic
def assignment_review(
    *, reviewer, submission: AssignmentSubmission, approve: bool, feedback: str = ""
) -> AssignmentSubmission:
    """A trainer of the course approves a submission or asks for changes (feedback required then)."""
    submission = AssignmentSubmission.objects.select_for_update().select_related("course").get(pk=submission.pk)
    if not user_is_course_trainer(user=reviewer, course=submission.course):
        raise PermissionDenied(_("Only a trainer of this course can review its assignments."))
    feedback = clean_typed_text(feedback)
    if not approve and not feedback:
        raise ValidationError(_("Say what should change."), code="feedback_required")
    if submission.status == SubmissionStatus.APPROVED:
        raise ValidationError(_("This submission is already approved."), code="approved")
    submission.status = SubmissionStatus.APPROVED if approve else SubmissionStatus.CHANGES_REQUESTED
    submission.feedback = feedback
    submission.reviewer = reviewer
    submission.reviewed_at = timezone.now()
    submission.full_clean()
    submission.save()
    if approve:
        transaction.on_commit(
            lambda: signals.assignment_approved.send_robust(sender=AssignmentSubmission, submission=submission),
            robust=True,
        )
        if Enrollment.objects.filter(user=submission.user, course_key=submission.course_key).exists():
            enrollment_update_completion(user=submission.user, course=submission.course)
    else:  # not the learner's activity, but their lesson shows the feedback: retire its kept copies
        Enrollment.objects.filter(user=submission.user, course_key=submission.course_key).update(
            version=F("version") + 1
        )
    return submission


def submission_can_view(*, user, submission: AssignmentSubmission) -> bool:
    """Its author, a trainer of its course (`user_is_course_trainer`: in the Trainers group), or a superuser."""
    if not (user and user.is_authenticated):
        return False
    return submission.user_id == user.pk or user_is_course_trainer(user=user, course=submission.course)


# --- Privacy ------------------------------------------------------------------------------------------------------


def privacy_export(user) -> dict:
    """Progress, attempts and submissions for "Download my data"."""
    return {
        "enrollments": [
            {
                "course": e.course.title,
                "language": e.course.locale.language_code,
                "enrolled_at": e.enrolled_at,
                "completed_at": e.completed_at,
                "progress_percent": e.progress_percent,
            }
            for e in Enrollment.objects.filter(user=user).select_related("course__locale")
        ],
        "lessons_completed": [
            {"lesson": p.lesson.title, "completed_at": p.completed_at}
            for p in LessonProgress.objects.filter(user=user).select_related("lesson")
        ],
        "quiz_attempts": [
            {
                "lesson": a.lesson.title,
                "attempt": a.number,
                "answers": a.answers,
                "score": a.score,
                "passed": a.passed,
                "submitted_at": a.created_at,
            }
            for a in QuizAttempt.objects.filter(user=user).select_related("lesson")
        ],
        "assignment_submissions": [
            {
                "lesson": s.lesson.title,
                "text": s.text,
                "file_name": s.file_name,
                "status": s.status,
                "feedback": s.feedback,
                "submitted_at": s.submitted_at,
                "reviewed_at": s.reviewed_at,
            }
            for s in AssignmentSubmission.objects.filter(user=user).select_related("lesson")
        ],
    }


def privacy_erase(user) -> None:
    """Delete the person's course records and their uploaded files (files after commit)."""
    submissions = AssignmentSubmission.objects.filter(user=user)
    files = [(s.file.storage, s.file.name) for s in submissions if s.file]
    submissions.delete()
    QuizAttempt.objects.filter(user=user).delete()
    LessonProgress.objects.filter(user=user).delete()
    Enrollment.objects.filter(user=user).delete()
    # Reviews the person wrote stay, without the reviewer's name.
    AssignmentSubmission.objects.filter(reviewer=user).update(reviewer=None)
    CoursePage.trainers.through.objects.filter(user=user).delete()

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


# --- Who trains a course, who presents a webinar: chosen by administrators ----------------------------------------

ASSIGN_STAFF_PERMISSION = "courses.assign_staff"


def may_assign_staff(user) -> bool:
    """The one rule for "may choose the staff of a page" (a course's trainers, a webinar's presenters): superusers
    and holders of `courses.assign_staff` (given to a group such as "Course managers"), never a trainer as such."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(ASSIGN_STAFF_PERMISSION))


@transaction.atomic
def page_staff_set(*, actor, page, users) -> None:
    """Make `users` the staff of `page`: the trainers of a course (every language of it) or the presenters of a
    webinar. Only someone who may assign staff (`may_assign_staff`), and only members of the Trainers group. Written
    at once and logged in the page's history; staff are never part of a page revision (courses.staffing), so
    publishing or reverting a revision, whoever saved it, cannot change them."""
    if not may_assign_staff(actor):
        raise PermissionDenied(
            _("Only an administrator can choose the trainers of a course or the presenters of a webinar.")
        )
    wanted = {user.pk for user in users}
    if wanted - set(selectors.staff_candidates().filter(pk__in=wanted).values_list("pk", flat=True)):
        raise ValidationError(
            _("Only members of the Trainers group can be trainers or presenters."), code="not_a_trainer"
        )
    through, page_column, user_column = selectors.staff_relation(page)
    page_ids = [p.pk for p in page.staff_pages()]
    rows = through.objects.filter(**{f"{page_column}__in": page_ids})
    before = set(rows.values_list(user_column, flat=True))
    rows.exclude(**{f"{user_column}__in": wanted}).delete()
    kept = set(rows.values_list(page_column, user_column))
    through.objects.bulk_create(
        through(**{page_column: page_id, user_column: user_id})
        for page_id in page_ids
        for user_id in sorted(wanted)
        if (page_id, user_id) not in kept
    )
    getattr(page, "_cluster_related_objects", {}).pop(page.staff_field, None)  # read them from the database again
    if before != wanted:
        from wagtail.log_actions import log

        log(
            instance=page,
            action="courses.staff_changed",
            user=actor,
            data={"field": page.staff_field, "added": sorted(wanted - before), "removed": sorted(before - wanted)},
        )

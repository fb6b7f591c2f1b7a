"""Bulk reads for pages and for the apps above courses (certificates). Each runs a fixed number of queries,
whatever the number of users, courses or lessons."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from lms import roles
from lms.caching import cached
from lms.rows import RowReader

from .models import (
    AssignmentSubmission,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    PassRule,
    QuizAttempt,
    SubmissionStatus,
)


def course_in_language(course: CoursePage, language: str, request=None) -> dict:
    """The course as a reader of `language` finds it (pk, title, URL): its live version in that language, else the
    course itself. A learner's record is one for every language (docs/courses.md), so links to it follow the
    reader. Cached under the site's generation (lms/caching): a warm dashboard asks no query for it."""

    def version() -> dict:
        found = CoursePage.objects.live().filter(translation_key=course.translation_key, locale__language_code=language)
        page = found.first() or course
        return {"pk": page.pk, "title": page.title, "url": page.get_url(request=request)}

    host = request.get_host() if request is not None else ""
    return cached(f"courses:in-language:{course.pk}:{language}:{host}", version)


def live_lessons(course: CoursePage) -> list[dict]:
    """The course's live lessons in order (pk, title, slug, translation_key), cached until a page is published,
    unpublished or moved (lms/caching): every lesson and course page shows them."""
    return cached(
        f"courses:live-lessons:{course.pk}",
        lambda: list(
            LessonPage.objects.live().child_of(course).order_by("path").values("pk", "title", "slug", "translation_key")
        ),
    )


_quote = connection.ops.quote_name
_ENROLLMENT = RowReader(Enrollment)


def _users_rows_in_lesson(model) -> str:
    """EXISTS: the user has a row of `model` in the lesson, in any language (two parameters: user, lesson key)."""
    table = _quote(model._meta.db_table)
    return f"EXISTS (SELECT 1 FROM {table} WHERE {_quote('user_id')} = %s AND {_quote('lesson_key')} = %s)"  # noqa: S608 (names from the models)


_ENROLLMENT_IN_LESSON_SQL = _ENROLLMENT.select(
    f"{_quote('user_id')} = %s AND {_quote('course_key')} = %s",
    extra=f"{_users_rows_in_lesson(LessonProgress)}, "
    f"{_users_rows_in_lesson(QuizAttempt)} OR {_users_rows_in_lesson(AssignmentSubmission)}",
)


def _key_param(key: uuid.UUID):
    """A translation key as the database stores a UUIDField (a written-out query gets no conversion)."""
    return Enrollment._meta.get_field("course_key").get_db_prep_value(key, connection)


def enrollment_in_lesson(*, user_id: int, course: CoursePage, lesson: LessonPage) -> Enrollment | None:
    """The user's enrolment in the course, with `lesson_done` (the lesson is completed) and `lesson_started` (the
    user has a quiz attempt or a submission in it), in one query; by translation keys, so in any language.

    Every lesson request runs it, the kept ones too (it checks access and gives the kept page's key), so the query
    is written out: built with the ORM (an annotated Exists) it was the costliest part of a kept lesson, 0.6 of
    its 2.6 ms above the signed-in floor in process (bench/README.md)."""
    lesson_key, course_key = _key_param(lesson.translation_key), _key_param(course.translation_key)
    params = [user_id, lesson_key] * 3 + [user_id, course_key]  # the EXISTS columns', then the WHERE's
    enrollment = _ENROLLMENT.fetch_one(_ENROLLMENT_IN_LESSON_SQL, params, extra=["lesson_done", "lesson_started"])
    if enrollment is not None:  # SQLite answers 0 or 1
        enrollment.lesson_done, enrollment.lesson_started = (
            bool(enrollment.lesson_done),
            bool(enrollment.lesson_started),
        )
    return enrollment


@dataclass(frozen=True)
class CourseCompletion:
    course_id: int  # CoursePage pk
    course_key: uuid.UUID  # translation_key: the same course in every language
    course_title: str
    completed_at: datetime
    quiz_score: float | None  # mean over the course's quizzes of the best score (0-100); None without quizzes


@dataclass(frozen=True)
class ApprovedAssignment:
    submission_id: int
    course_id: int
    course_key: uuid.UUID
    course_title: str
    lesson_id: int
    approved_at: datetime


def _for_users(queryset, user_ids: Iterable[int] | None):
    return queryset if user_ids is None else queryset.filter(user_id__in=list(user_ids))


def best_quiz_scores(
    *, user_ids: Iterable[int] | None = None, course_keys: Iterable[uuid.UUID] | None = None
) -> dict[tuple[int, uuid.UUID], float]:
    """{(user id, course key): mean of the best score per quiz}, attempts in every language, in one query."""
    attempts = _for_users(QuizAttempt.objects.all(), user_ids)
    if course_keys is not None:
        attempts = attempts.filter(course_key__in=list(course_keys))
    best = attempts.values("user_id", "course_key", "lesson_key", "quiz_key").annotate(best=Max("score"))
    scores: dict[tuple[int, uuid.UUID], list[float]] = defaultdict(list)
    for row in best:
        scores[(row["user_id"], row["course_key"])].append(row["best"])
    return {key: round(sum(values) / len(values), 1) for key, values in scores.items()}


def course_completions(*, user_ids: Iterable[int] | None = None) -> dict[int, list[CourseCompletion]]:
    """Completed courses by user id (two queries). A completed course has every quiz passed, so the mean of
    the best scores over the attempted quizzes is the mean over the course's quizzes."""
    if user_ids is not None:
        user_ids = list(user_ids)
    enrollments = (
        _for_users(Enrollment.objects.filter(completed_at__isnull=False), user_ids)
        .select_related("course")
        .only("user_id", "course_key", "completed_at", "course__title")
        .order_by("completed_at", "pk")
    )
    enrollments = list(enrollments)
    scores = best_quiz_scores(user_ids=user_ids, course_keys={e.course_key for e in enrollments}) if enrollments else {}
    result: dict[int, list[CourseCompletion]] = defaultdict(list)
    for enrollment in enrollments:
        result[enrollment.user_id].append(
            CourseCompletion(
                course_id=enrollment.course_id,
                course_key=enrollment.course_key,
                course_title=enrollment.course.title,
                completed_at=enrollment.completed_at,
                quiz_score=scores.get((enrollment.user_id, enrollment.course_key)),
            )
        )
    return dict(result)


def approved_assignments(*, user_ids: Iterable[int] | None = None) -> dict[int, list[ApprovedAssignment]]:
    """Approved submissions by user id (one query)."""
    submissions = (
        _for_users(AssignmentSubmission.objects.filter(status=SubmissionStatus.APPROVED), user_ids)
        .select_related("course")
        .only("user_id", "lesson_id", "course_key", "reviewed_at", "submitted_at", "course__title")
        .order_by("reviewed_at", "pk")
    )
    result: dict[int, list[ApprovedAssignment]] = defaultdict(list)
    for submission in submissions:
        result[submission.user_id].append(
            ApprovedAssignment(
                submission_id=submission.pk,
                course_id=submission.course_id,
                course_key=submission.course_key,
                course_title=submission.course.title,
                lesson_id=submission.lesson_id,
                approved_at=submission.reviewed_at or submission.submitted_at,
            )
        )
    return dict(result)


# --- Course structure and a learner's progress (read by the completion rule, reports and pages) ----------------


@dataclass
class CourseStructure:
    """What a course requires, read from the live lessons' cached keys (one query for any number of courses)."""

    lesson_keys: list[uuid.UUID] = field(default_factory=list)  # translation keys, in tree order
    quizzes: set[tuple[uuid.UUID, str]] = field(default_factory=set)  # (lesson key, quiz block id)
    assignments: set[tuple[uuid.UUID, str]] = field(default_factory=set)  # required assignments


def course_structures(courses: Iterable[CoursePage]) -> dict[int, CourseStructure]:
    courses = list(courses)
    structures = {course.pk: CourseStructure() for course in courses}
    if not courses:
        return structures
    by_path = {course.path: course.pk for course in courses}
    lessons = (
        LessonPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=course.path) for course in courses)))
        .filter(depth__in={course.depth + 1 for course in courses})
        .order_by("path")
        .values_list("translation_key", "path", "quiz_keys", "assignment_keys")
    )
    step = len(courses[0].path) if len({len(c.path) for c in courses}) == 1 else None
    for lesson_key, path, quiz_keys, assignment_keys in lessons:
        course_id = by_path.get(path[:step]) if step else next(v for k, v in by_path.items() if path.startswith(k))
        structure = structures[course_id]
        structure.lesson_keys.append(lesson_key)
        structure.quizzes.update((lesson_key, key) for key in quiz_keys)
        structure.assignments.update((lesson_key, key) for key in assignment_keys)
    return structures


def course_structure(course: CoursePage) -> CourseStructure:
    return course_structures([course])[course.pk]


def lesson_course(lesson: LessonPage) -> CoursePage:
    """The lesson's course, in one query (the parent page, specific)."""
    return CoursePage.objects.get(path=lesson.path[: -CoursePage.steplen], depth=lesson.depth - 1)


def missing_prerequisites(*, user, course: CoursePage) -> list[CoursePage]:
    """Prerequisite courses the user has not completed; a completion in any language counts."""
    prerequisites = list(course.prerequisites.all())
    if not prerequisites:
        return []
    done_keys = set(
        Enrollment.objects.filter(user=user, completed_at__isnull=False).values_list("course_key", flat=True)
    )
    return [p for p in prerequisites if p.translation_key not in done_keys]


def course_progress_parts(*, user, course: CoursePage, structure: CourseStructure | None = None) -> dict[str, int]:
    """Counts of what is done (in any language) and what the course requires in the language shown (its lessons
    there, matched by lesson key), in three queries."""
    structure = structure or course_structure(course)
    done_lessons = set(
        LessonProgress.objects.filter(user=user, lesson_key__in=structure.lesson_keys).values_list(
            "lesson_key", flat=True
        )
    )
    mine = {"user": user, "course_key": course.translation_key}
    passed_quizzes = set(QuizAttempt.objects.filter(**mine, passed=True).values_list("lesson_key", "quiz_key"))
    approved = set(
        AssignmentSubmission.objects.filter(**mine, status=SubmissionStatus.APPROVED).values_list(
            "lesson_key", "assignment_key"
        )
    )
    required_assignments = structure.assignments if course.pass_rule == PassRule.ALL else set()
    return {
        "lessons_total": len(structure.lesson_keys),
        "lessons_done": len(done_lessons),
        "quizzes_total": len(structure.quizzes),
        "quizzes_passed": len(structure.quizzes & passed_quizzes),
        "assignments_total": len(required_assignments),
        "assignments_approved": len(required_assignments & approved),
    }


# --- Lesson blocks ------------------------------------------------------------------------------------------------


def find_block(lesson: LessonPage, *, block_type: str, key: str):
    """The StreamField block of a type with a given id in the lesson's live body, or a ValidationError."""
    for block in lesson.body:
        if block.block_type == block_type and block.id == key:
            return block.value
    raise ValidationError(_("This item does not exist in the lesson."), code="not_found")


def quiz_questions(quiz) -> list[dict]:
    """Questions with their stable ids and choice ids (StreamField ListBlock item ids)."""
    questions = []
    for question in quiz["questions"].bound_blocks:
        choices = [
            {"id": choice.id, "text": choice.value["text"], "correct": bool(choice.value["correct"])}
            for choice in question.value["choices"].bound_blocks
        ]
        questions.append(
            {
                "id": question.id,
                "text": question.value["text"],
                "multiple": bool(question.value["multiple"]),
                "explanation": question.value["explanation"],
                "choices": choices,
            }
        )
    return questions


def quiz_feedback(quiz, attempt: QuizAttempt) -> list[dict]:
    """Per-question feedback for a stored attempt: what was chosen, whether it was right, the explanation.
    Correct choices are revealed only here, after the learner has submitted."""
    feedback = []
    for question in quiz_questions(quiz):
        chosen = set(attempt.answers.get(question["id"], []))
        correct = {c["id"] for c in question["choices"] if c["correct"]}
        feedback.append(
            {
                "text": question["text"],
                "right": chosen == correct,
                "chosen": [c["text"] for c in question["choices"] if c["id"] in chosen],
                "correct": [c["text"] for c in question["choices"] if c["correct"]],
                "explanation": question["explanation"],
            }
        )
    return feedback


# --- Staff of a page ----------------------------------------------------------------------------------------------


def staff_candidates():
    """The people who can be made trainers or presenters: active members of the Trainers group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.TRAINERS)
        .order_by("display_name", "username", "pk")
        .distinct()
    )


def staff_relation(page):
    """The through model of the page's staff field and the names of its two columns (page, user)."""
    field = page._meta.get_field(page.staff_field)
    return field.remote_field.through, f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


def page_staff_ids(page) -> set[int]:
    """The staff of a page as stored (a course's trainers in any of its languages; a webinar's presenters)."""
    through, page_column, user_column = staff_relation(page)
    page_ids = [p.pk for p in page.staff_pages()]
    return set(through.objects.filter(**{f"{page_column}__in": page_ids}).values_list(user_column, flat=True))


# --- What a learner's pages show ----------------------------------------------------------------------------------


def enrollment_of(*, user, course: CoursePage) -> Enrollment | None:
    """The user's enrolment in the course, or None (no query for an anonymous reader)."""
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course_key=course.translation_key).first()


def progress_by_course_key(*, user, courses: Iterable[CoursePage]) -> dict[uuid.UUID, int]:
    """{course key: the user's progress percent} for the courses they are enrolled in, in any language (one
    query; none when anonymous)."""
    if not user.is_authenticated:
        return {}
    keys = [course.translation_key for course in courses]
    return dict(Enrollment.objects.filter(user=user, course_key__in=keys).values_list("course_key", "progress_percent"))


def completed_lesson_keys(*, user, course: CoursePage) -> set[uuid.UUID]:
    """The lessons of the course the user has completed, in any language, by key (one query; none when
    anonymous)."""
    if not user.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(user=user, course_key=course.translation_key).values_list("lesson_key", flat=True)
    )


def quiz_attempts_in_lesson(*, user, lesson: LessonPage) -> list[QuizAttempt]:
    """The user's attempts at the lesson's quizzes, in any language, oldest first (one query)."""
    return list(QuizAttempt.objects.filter(user=user, lesson_key=lesson.translation_key).order_by("number"))


def submissions_in_lesson(*, user, lesson: LessonPage) -> dict[str, AssignmentSubmission]:
    """The user's submissions in the lesson, in any language, by assignment block id (one query)."""
    submissions = AssignmentSubmission.objects.filter(user=user, lesson_key=lesson.translation_key)
    return {s.assignment_key: s for s in submissions}

"""What the course pages show: the context of the catalogue, a course and a lesson, and how a lesson is served.

The page classes in models.py call these from their `get_context` and `serve` (Wagtail's extension points), so
the pages render the same through Wagtail's routing, a preview or a form re-shown with its errors
(views.py). Reads go through selectors.py, rules through services.py.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lms.restrictions import only_viewable, refused_paths

from . import pagecache, selectors, services
from .forms import AssignmentForm, CatalogueFilterForm
from .models import CourseIndexPage, CoursePage, LessonPage, SubmissionStatus, Track

CATALOGUE_PAGE_SIZE = 20


# --- Catalogue ----------------------------------------------------------------------------------------------------


def catalogue_context(*, request, index: CourseIndexPage) -> dict:
    """Live courses filtered by track and language, searched with Wagtail search, with the reader's progress."""
    tracks = list(Track.objects.filter(locale=index.locale))
    form = CatalogueFilterForm(
        request.GET or None,
        initial={"language": index.locale.language_code},
        languages=settings.LANGUAGES,
        tracks=tracks,
    )
    # A course restricted to groups the reader is not in is not listed (lms/restrictions.py).
    courses = only_viewable(CoursePage.objects.live().select_related("track", "locale"), request.user)
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        query = data["q"].strip()
        if data["language"]:
            courses = courses.filter(locale__language_code=data["language"])
        if data["track"]:
            track_keys = Track.objects.filter(slug=data["track"]).values("translation_key")
            courses = courses.filter(track__translation_key__in=track_keys)
    else:
        courses = courses.filter(locale=index.locale)
    courses = courses.search(query, operator="and") if query else courses.order_by("path")
    page = Paginator(courses, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    progress = selectors.progress_by_course_key(user=request.user, courses=page)
    cards = [{"course": course, "progress": progress.get(course.translation_key)} for course in page]
    keep = request.GET.copy()
    keep.pop("page", None)  # pagination links keep the filters
    return {"filter_form": form, "query": query, "cards": cards, "page_obj": page, "filter_query": keep.urlencode()}


# --- Course page --------------------------------------------------------------------------------------------------


def lesson_links(course: CoursePage, course_url: str) -> list[dict]:
    """The course's live lessons in order with their URLs (cached until a page changes, lms/caching)."""
    return [
        {"id": row["pk"], "key": row["translation_key"], "title": row["title"], "url": f"{course_url}{row['slug']}/"}
        for row in selectors.live_lessons(course)
    ]


def lesson_rows(*, user, course: CoursePage, course_url: str) -> list[dict]:
    """The lesson links with whether the user has completed each, in any language (1 query)."""
    done = selectors.completed_lesson_keys(user=user, course=course)
    return [{**row, "done": row["key"] in done} for row in lesson_links(course, course_url)]


def resume_row(rows: list[dict]) -> dict | None:
    """The first lesson not done, or the first lesson once all are."""
    return next((row for row in rows if not row["done"]), rows[0] if rows else None)


def course_context(*, request, course: CoursePage) -> dict:
    user = request.user
    course_url = course.get_url(request=request)
    rows = lesson_rows(user=user, course=course, course_url=course_url)
    enrollment = selectors.enrollment_of(user=user, course=course)
    parts = None
    missing = []
    if enrollment is not None:
        parts = selectors.course_progress_parts(user=user, course=course)
    elif user.is_authenticated:
        refused = refused_paths(user)  # a prerequisite the person may not view is named by no title or link
        missing = [
            {"page": page, "open": not any(page.path.startswith(path) for path in refused)}
            for page in selectors.missing_prerequisites(user=user, course=course)
        ]
    return {
        "lessons": rows,
        "enrollment": enrollment,
        "parts": parts,
        "missing_prerequisites": missing,
        "resume": resume_row(rows) if enrollment else None,
        "trainers": list(course.trainers.all()),
        "is_trainer": services.user_is_course_trainer(user=user, course=course),
    }


# --- Lesson page --------------------------------------------------------------------------------------------------


def lesson_serve(*, request, lesson: LessonPage, default_serve, args, kwargs):
    """Lessons are for enrolled learners and the course's trainers; others go to the course page to enrol."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    parent = getattr(lesson, "_cached_parent_obj", None)  # set by CoursePage.route
    course = parent if isinstance(parent, CoursePage) else selectors.lesson_course(lesson)
    enrollment = selectors.enrollment_in_lesson(user_id=request.user.pk, course=course, lesson=lesson)
    if enrollment is None and not services.user_is_course_trainer(user=request.user, course=course):
        messages.info(request, _("Enrol in the course to open its lessons."))
        return redirect(course.get_url(request=request))
    request.courses_lesson_access = (course, enrollment)  # reused by lesson_context: no second lookup
    response = pagecache.lesson_response(
        request, lesson=lesson, enrollment=enrollment, render=lambda: default_serve(request, *args, **kwargs)
    )
    # Personal (progress, answers): never in a shared cache, always revalidated, but the learner's own service
    # worker may keep it for offline reading (it keeps nothing marked no-store).
    response["Cache-Control"] = "private, no-cache"
    return response


def lesson_context(*, request, lesson: LessonPage) -> dict:
    user = request.user
    course, enrollment = getattr(request, "courses_lesson_access", (None, None))
    if course is None:  # a preview: served without lesson_serve
        course = selectors.lesson_course(lesson)
        enrollment = (
            selectors.enrollment_in_lesson(user_id=user.pk, course=course, lesson=lesson)
            if user.is_authenticated
            else None
        )
    course_url = course.get_url(request=request)
    rows = lesson_links(course, course_url)
    position = next((i for i, row in enumerate(rows) if row["id"] == lesson.pk), 0)
    blocks = {block.block_type for block in lesson.body}
    attempts, submissions = [], {}
    answered = enrollment is None or enrollment.lesson_started  # a trainer may have tried the quiz too
    if "quiz" in blocks and answered:
        attempts = selectors.quiz_attempts_in_lesson(user=user, lesson=lesson)
    if "assignment" in blocks and answered:
        submissions = selectors.submissions_in_lesson(user=user, lesson=lesson)
    posted = getattr(request, "courses_posted", {})  # a form that failed validation, re-shown with its errors
    sections = []
    for block in lesson.body:
        state = None
        if block.block_type == "quiz":
            state = _quiz_state(block, [a for a in attempts if a.quiz_key == block.id], posted.get(block.id))
        elif block.block_type == "assignment":
            state = _assignment_state(block, submissions.get(block.id), posted.get(block.id))
        sections.append({"block": block, "state": state})
    return {
        "course": course,
        "course_url": course_url,
        "lessons": rows,
        "position": position + 1,
        "previous": rows[position - 1] if position > 0 else None,
        "next": rows[position + 1] if position + 1 < len(rows) else None,
        "done": bool(enrollment and enrollment.lesson_done),
        "enrollment": enrollment,
        "sections": sections,
        **pagecache.personal_values(request, enrollment),
    }


def _quiz_state(block, attempts: list, posted: dict | None) -> dict:
    quiz = block.value
    last = attempts[-1] if attempts else None
    best = max((a.score for a in attempts), default=None)
    passed = any(a.passed for a in attempts)
    left = max(quiz["max_attempts"] - len(attempts), 0)
    finished = passed or left == 0
    feedback = selectors.quiz_feedback(quiz, last) if last else []
    return {
        # ids and texts only: which choice is correct never reaches the page here. Called by the template only
        # when the questions' markup is not kept already (quiz.html).
        "questions": functools.partial(_questions_shown, quiz),
        "attempts": len(attempts),
        "left": left,
        "best": best,
        "passed": passed,
        "last": last,
        "feedback": feedback,
        "reveal": finished,  # correct answers are shown once the learner passed or has no attempts left
        "error": (posted or {}).get("error"),
    }


def _questions_shown(quiz) -> list[dict]:
    return [
        {
            "id": q["id"],
            "text": q["text"],
            "multiple": q["multiple"],
            "choices": [(c["id"], c["text"]) for c in q["choices"]],
        }
        for q in selectors.quiz_questions(quiz)
    ]


def _assignment_state(block, submission, posted: dict | None) -> dict:
    editable = submission is None or submission.status != SubmissionStatus.APPROVED
    form = (posted or {}).get("form") or AssignmentForm(initial={"text": submission.text if submission else ""})
    return {"submission": submission, "editable": editable, "form": form, "error": (posted or {}).get("error")}

"""Thin views: parse input, call a service or a selector, render. Page contexts for the Wagtail pages too."""

import contextlib
import csv
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms import roles
from lms.decorators import not_own, staff_view
from lms.restrictions import only_viewable, page_viewable, refused_paths

from . import pagecache, reports, selectors, services
from .forms import AssignmentForm, CatalogueFilterForm, ReviewForm
from .models import AssignmentSubmission, CoursePage, Enrollment, LessonPage, SubmissionStatus, Track

CATALOGUE_PAGE_SIZE = 20


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Catalogue ----------------------------------------------------------------------------------------------------


def catalogue_context(*, request, index) -> dict:
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
    progress = {}
    if request.user.is_authenticated:
        progress = dict(
            Enrollment.objects.filter(user=request.user, course_id__in=[c.pk for c in page]).values_list(
                "course_id", "progress_percent"
            )
        )
    cards = [{"course": course, "progress": progress.get(course.pk)} for course in page]
    keep = request.GET.copy()
    keep.pop("page", None)  # pagination links keep the filters
    return {"filter_form": form, "query": query, "cards": cards, "page_obj": page, "filter_query": keep.urlencode()}


# --- Course and lesson pages --------------------------------------------------------------------------------------


def _lesson_links(course: CoursePage, course_url: str) -> list[dict]:
    """The course's live lessons in order with their URLs (kept until a page changes, lms/lookups.py)."""
    return [
        {"id": row["pk"], "title": row["title"], "url": f"{course_url}{row['slug']}/"}
        for row in selectors.live_lessons(course)
    ]


def _lesson_rows(*, user, course: CoursePage, course_url: str) -> list[dict]:
    """The lesson links with whether the user has completed each (1 query)."""
    done = set()
    if user.is_authenticated:
        done = set(services.LessonProgress.objects.filter(user=user, course=course).values_list("lesson_id", flat=True))
    return [{**row, "done": row["id"] in done} for row in _lesson_links(course, course_url)]


def _resume_row(rows: list[dict]) -> dict | None:
    return next((row for row in rows if not row["done"]), rows[0] if rows else None)


def course_context(*, request, course: CoursePage) -> dict:
    user = request.user
    course_url = course.get_url(request=request)
    rows = _lesson_rows(user=user, course=course, course_url=course_url)
    enrollment = Enrollment.objects.filter(user=user, course=course).first() if user.is_authenticated else None
    parts = None
    missing = []
    if enrollment is not None:
        parts = services.course_progress_parts(user=user, course=course)
    elif user.is_authenticated:
        refused = refused_paths(user)  # a prerequisite the person may not view is named by no title or link
        missing = [
            {"page": page, "open": not any(page.path.startswith(path) for path in refused)}
            for page in services.missing_prerequisites(user=user, course=course)
        ]
    return {
        "lessons": rows,
        "enrollment": enrollment,
        "parts": parts,
        "missing_prerequisites": missing,
        "resume": _resume_row(rows) if enrollment else None,
        "trainers": list(course.trainers.all()),
        "is_trainer": services.user_is_course_trainer(user=user, course=course),
    }


def lesson_serve(*, request, lesson: LessonPage, default_serve, args, kwargs):
    """Lessons are for enrolled learners and the course's trainers; others go to the course page to enrol."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    parent = getattr(lesson, "_cached_parent_obj", None)  # set by CoursePage.route
    course = parent if isinstance(parent, CoursePage) else services.lesson_course(lesson)
    enrollment = selectors.enrollment_in_lesson(user_id=request.user.pk, course_id=course.pk, lesson_id=lesson.pk)
    if enrollment is None and not services.user_is_course_trainer(user=request.user, course=course):
        messages.info(request, _("Enrol in the course to open its lessons."))
        return redirect(course.get_url(request=request))
    request.courses_lesson_access = (course, enrollment)  # reused by lesson_context: no second lookup
    key = pagecache.page_key(request, lesson=lesson, enrollment=enrollment)
    response = pagecache.kept_page(request, key, enrollment) if key else None
    if response is None:
        response = default_serve(request, *args, **kwargs)
        if key:
            response.render()
            pagecache.keep_page(request, key, response, enrollment)
    # Personal (progress, answers): never in a shared cache, always revalidated, but the learner's own service
    # worker may keep it for offline reading (it keeps nothing marked no-store).
    response["Cache-Control"] = "private, no-cache"
    return response


def lesson_context(*, request, lesson: LessonPage) -> dict:
    user = request.user
    course, enrollment = getattr(request, "courses_lesson_access", (None, None))
    if course is None:  # a preview: served without lesson_serve
        course = services.lesson_course(lesson)
        enrollment = (
            selectors.enrollment_in_lesson(user_id=user.pk, course_id=course.pk, lesson_id=lesson.pk)
            if user.is_authenticated
            else None
        )
    course_url = course.get_url(request=request)
    rows = _lesson_links(course, course_url)
    position = next((i for i, row in enumerate(rows) if row["id"] == lesson.pk), 0)
    blocks = {block.block_type for block in lesson.body}
    attempts, submissions = [], {}
    answered = enrollment is None or enrollment.lesson_started  # a trainer may have tried the quiz too
    if "quiz" in blocks and answered:
        attempts = list(services.QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("number"))
    if "assignment" in blocks and answered:
        submissions = {s.assignment_key: s for s in AssignmentSubmission.objects.filter(user=user, lesson=lesson)}
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
    feedback = services.quiz_feedback(quiz, last) if last else []
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
        for q in services.quiz_questions(quiz)
    ]


def _assignment_state(block, submission, posted: dict | None) -> dict:
    editable = submission is None or submission.status != SubmissionStatus.APPROVED
    form = (posted or {}).get("form") or AssignmentForm(initial={"text": submission.text if submission else ""})
    return {"submission": submission, "editable": editable, "form": form, "error": (posted or {}).get("error")}


def _live_lesson(lesson_id: int) -> LessonPage:
    """A published lesson or 404: drafts and unpublished lessons take no input."""
    lesson = LessonPage.objects.filter(pk=lesson_id).first()
    if lesson is None or not lesson.live:
        raise Http404(_("This lesson is not published."))
    return lesson


def _rerender_lesson(request, lesson: LessonPage, key: str, posted: dict):
    """Show the lesson again with the error at the block that failed; nothing was stored."""
    request.courses_posted = {key: posted}
    response = lesson.serve(request)
    response.render()
    response.status_code = 400
    return response


@login_required
@require_POST
def enrol_view(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    try:
        services.enrollment_create(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(course.get_url(request=request) or "/")
    messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect("courses:resume", course_id=course.pk)


@login_required
@require_GET
def resume_view(request, course_id: int):
    """The first unfinished lesson (or the first lesson once all are done)."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not page_viewable(request.user, course):
        raise Http404  # its lessons' addresses are for those who may view it
    course_url = course.get_url(request=request)
    row = _resume_row(_lesson_rows(user=request.user, course=course, course_url=course_url))
    return redirect(row["url"] if row else course_url)


@login_required
@require_POST
def lesson_complete_view(request, lesson_id: int):
    lesson = _live_lesson(lesson_id)
    services.lesson_complete(user=request.user, lesson=lesson)
    enrollment = Enrollment.objects.filter(user=request.user, course=services.lesson_course(lesson)).first()
    if enrollment and enrollment.completed_at:
        messages.success(request, _("Congratulations: you have completed the course."))
    course = services.lesson_course(lesson)
    rows = _lesson_rows(user=request.user, course=course, course_url=course.get_url(request=request))
    ids = [row["id"] for row in rows]
    position = ids.index(lesson.pk) if lesson.pk in ids else -1
    if 0 <= position < len(rows) - 1:
        return redirect(rows[position + 1]["url"])
    return redirect(course.get_url(request=request))


@login_required
@require_POST
def quiz_submit_view(request, lesson_id: int, key: str):
    lesson = _live_lesson(lesson_id)
    answers = {name[2:]: request.POST.getlist(name) for name in request.POST if name.startswith("q-")}
    try:
        attempt = services.quiz_submit(user=request.user, lesson=lesson, quiz_key=key, answers=answers)
    except ValidationError as error:
        return _rerender_lesson(request, lesson, key, {"error": _error_text(error)})
    if attempt.passed:
        messages.success(request, _("You passed with %(score)s%%.") % {"score": floatformat(attempt.score, -1)})
    else:
        messages.warning(
            request,
            _("Your score is %(score)s%%. Read the feedback below.") % {"score": floatformat(attempt.score, -1)},
        )
    return redirect(f"{lesson.get_url(request=request)}#block-{key}")


@login_required
@require_POST
def assignment_submit_view(request, lesson_id: int, key: str):
    lesson = _live_lesson(lesson_id)
    form = AssignmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _rerender_lesson(request, lesson, key, {"form": form})
    try:
        services.assignment_submit(
            user=request.user,
            lesson=lesson,
            assignment_key=key,
            text=form.cleaned_data["text"],
            upload=form.cleaned_data["file"],
        )
    except ValidationError as error:
        return _rerender_lesson(request, lesson, key, {"form": form, "error": _error_text(error)})
    messages.success(request, _("Your answer was sent to the trainer."))
    return redirect(f"{lesson.get_url(request=request)}#block-{key}")


def _attachment(file, filename: str) -> FileResponse:
    """A private file as a download: never rendered inline, never sniffed, never cached by a proxy."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def material_download_view(request, lesson_id: int, key: str):
    """A library file attached to a lesson, for the people who may read that lesson."""
    lesson = _live_lesson(lesson_id)
    if not services.lesson_can_view(user=request.user, course=services.lesson_course(lesson), lesson=lesson):
        raise PermissionDenied
    try:
        material = services.find_block(lesson, block_type="material", key=key)
    except ValidationError as error:
        raise Http404(_error_text(error)) from error
    filer_file = material["file"]
    if filer_file is None or not filer_file.file:
        raise Http404(_("This file is no longer in the library."))
    return _attachment(filer_file.file.open("rb"), filer_file.original_filename or filer_file.label)


@staff_view(others_data=not_own(AssignmentSubmission, "user_id"))
@login_required
@require_GET
def submission_file_view(request, pk: int):
    submission = get_object_or_404(AssignmentSubmission.objects.select_related("course"), pk=pk)
    if not services.submission_can_view(user=request.user, submission=submission):
        raise Http404  # do not confirm that someone else's submission exists
    if not submission.file:
        raise Http404
    return _attachment(submission.file.open("rb"), submission.file_name or "submission")


# --- Trainer reports and reviews ----------------------------------------------------------------------------------


def _require_trainer_course(request, course_id: int) -> CoursePage:
    course = get_object_or_404(CoursePage, pk=course_id)
    if not services.user_is_course_trainer(user=request.user, course=course):
        raise PermissionDenied
    return course


@staff_view
@login_required
def trainer_courses_view(request):
    if not roles.is_trainer(request.user):
        raise PermissionDenied
    courses = reports.trainer_course_summaries(user=request.user)
    return render(request, "courses/trainer_courses.html", {"courses": courses})


@staff_view
@login_required
def course_report_view(request, course_id: int):
    course = _require_trainer_course(request, course_id)
    report = reports.course_report(course=course)
    return render(request, "courses/course_report.html", {"course": course, "report": report})


def _csv_cell(value) -> str:
    """Spreadsheet-safe text: a leading = + - @ would be read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@staff_view
@login_required
def course_report_csv_view(request, course_id: int):
    course = _require_trainer_course(request, course_id)
    report = reports.course_report(course=course)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{course.pk}-{timezone.now():%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Learner"),
            _("Enrolled"),
            _("Last activity"),
            _("Lessons done"),
            _("Progress %"),
            _("Quiz score %"),
            _("Completed"),
        ]
    )
    for row in report["rows"]:
        writer.writerow(
            [
                _csv_cell(row["name"]),
                row["enrolled_at"].date().isoformat(),
                row["last_activity_at"].date().isoformat(),
                row["lessons_done"],
                row["progress"],
                "" if row["quiz_score"] is None else row["quiz_score"],
                row["completed_at"].date().isoformat() if row["completed_at"] else "",
            ]
        )
    return response


@staff_view
@login_required
def review_queue_view(request):
    if not roles.is_trainer(request.user):
        raise PermissionDenied
    submissions = reports.review_queue(course_ids=services.trainer_course_ids(user=request.user))
    return render(request, "courses/review_queue.html", {"submissions": submissions})


@staff_view
@login_required
def review_view(request, pk: int):
    submission = get_object_or_404(AssignmentSubmission.objects.select_related("course", "lesson", "user"), pk=pk)
    if not services.user_is_course_trainer(user=request.user, course=submission.course):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.assignment_review(
                    reviewer=request.user,
                    submission=submission,
                    approve=form.cleaned_data["decision"] == "approve",
                    feedback=form.cleaned_data["feedback"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your review was saved."))
                return redirect("courses:review_queue")
        status = 400
    prompt = None
    with contextlib.suppress(ValidationError):
        prompt = services.find_block(submission.lesson, block_type="assignment", key=submission.assignment_key)
    return render(
        request, "courses/review.html", {"submission": submission, "form": form, "prompt": prompt}, status=status
    )

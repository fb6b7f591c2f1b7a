"""Thin views: parse input, call a service or a selector, render. The Wagtail pages' own contexts and serving are
in pages.py; here are the forms posted from them, downloads and the trainers' pages."""

import contextlib
import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms import roles
from lms.decorators import not_own, staff_view
from lms.forms import save_review
from lms.restrictions import page_viewable

from . import pages, reports, selectors, services
from .forms import AssignmentForm, ReviewForm
from .models import AssignmentSubmission, CoursePage, LessonPage


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Forms posted from a lesson, downloads -----------------------------------------------------------------------


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
    row = pages.resume_row(pages.lesson_rows(user=request.user, course=course, course_url=course_url))
    return redirect(row["url"] if row else course_url)


@login_required
@require_POST
def lesson_complete_view(request, lesson_id: int):
    lesson = _live_lesson(lesson_id)
    services.lesson_complete(user=request.user, lesson=lesson)
    course = selectors.lesson_course(lesson)
    enrollment = selectors.enrollment_of(user=request.user, course=course)
    if enrollment and enrollment.completed_at:
        messages.success(request, _("Congratulations: you have completed the course."))
    rows = pages.lesson_rows(user=request.user, course=course, course_url=course.get_url(request=request))
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
    if not services.lesson_can_view(user=request.user, course=selectors.lesson_course(lesson), lesson=lesson):
        raise PermissionDenied
    try:
        material = selectors.find_block(lesson, block_type="material", key=key)
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
    if request.method == "POST":
        saved = save_review(
            request,
            form,
            lambda data: services.assignment_review(
                reviewer=request.user,
                submission=submission,
                approve=data["decision"] == "approve",
                feedback=data["feedback"],
            ),
            done_url=reverse("courses:review_queue"),
        )
        if saved is not None:
            return saved
    status = 400 if request.method == "POST" else 200
    prompt = None
    with contextlib.suppress(ValidationError):
        prompt = selectors.find_block(submission.lesson, block_type="assignment", key=submission.assignment_key)
    return render(
        request, "courses/review.html", {"submission": submission, "form": form, "prompt": prompt}, status=status
    )

"""Lesson pages cached in each process (lms/caching/pages.py), so that a learner opening a lesson renders (almost)
nothing. This module holds the lessons' rules: what goes in the key, and which marks a page holds.

**Two kinds of cached page.**

* *Shared*: while a learner has no quiz attempt and no submission in a lesson (every learner's first view of
  it, and every view of a lesson without a quiz or an assignment), the page differs between learners only in
  the name in the header, the course's progress bar and the CSRF token. It is cached once for everyone at the
  same point (the lesson completed or not), with a mark in place of each of the three, and the marks are filled
  for each request in one pass (the name HTML-escaped, as the template escapes it).
* *Personal*: once the learner has answers of their own in the lesson (attempts and their feedback, a
  submission and its review), the page is theirs, and is cached for them alone, with a mark for the CSRF token.

**Key.** Both: the lesson and its published version; the site's generation (lms/caching: invalidated by every
publish, unpublish or move, so it covers the course and its list of lessons too); the language and the time
zone. A shared page adds whether the lesson is completed, the host and the path (the language links). A
personal page adds the learner's enrolment and its `version`, which every service that changes what the
learner's lessons show increments in the same transaction (a lesson marked complete, a quiz attempt, a
submission, a trainer's review), and the name shown in the header. Everything a key depends on for a learner
is in the enrolment row that every lesson request reads (with `lesson_done` and `lesson_started`), so a step
taken in any worker shows on the learner's next request: no worker serves a page older than their last step.

**Per request.** Access is still checked on every request (`pages.lesson_serve` reads the enrolment first; only an
enrolled learner's pages are cached). Pages with a message to show, with a query string, previews and forms
re-shown with their errors are rendered as before and never cached.
"""

from django.contrib import messages
from django.utils import timezone, translation
from django.utils.html import escape

from lms.caching import generation
from lms.caching.pages import cached_response, mark, page_key

PAGE_SECONDS = 300
SHARED_PAGE_SECONDS = 24 * 3600  # its key changes with the lesson and the site: nothing in it goes stale
NAME_MARK = mark("courses-name")
PROGRESS_MARK = mark("courses-progress")


def lesson_response(request, *, lesson, enrollment, render):
    """The lesson page for this request: the cached one filled in, or `render()`'s (cached when it may be)."""
    key = lesson_page_key(request, lesson=lesson, enrollment=enrollment)
    if key is None:
        return render()
    shared = request.courses_shared_page
    return cached_response(
        request,
        key,
        render,
        seconds=SHARED_PAGE_SECONDS if shared else PAGE_SECONDS,
        marks=lambda: _shared_marks(request, enrollment) if shared else {},
    )


def lesson_page_key(request, *, lesson, enrollment) -> str | None:
    """The key of this request's lesson page, or None when the page must be rendered and not cached. Sets
    `request.courses_shared_page` when the page is the one cached for everyone (rendered with marks)."""
    if (
        enrollment is None
        or request.method != "GET"
        or request.GET  # a form re-shown with its errors is a POST: never cached either
        or len(messages.get_messages(request))  # counted, not read: they stay for the page that shows them
    ):
        return None
    parts = [
        lesson.pk,
        lesson.last_published_at,
        generation(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    ]
    request.courses_shared_page = not enrollment.lesson_started
    if request.courses_shared_page:
        parts += ["shared", enrollment.lesson_done, request.get_host(), request.path]
    else:
        parts += ["personal", enrollment.pk, enrollment.version, request.user.public_name]
    return page_key("courses:lesson-page", parts)


def personal_values(request, enrollment) -> dict:
    """What the lesson template shows of the learner beyond the lesson's own state: marks on a shared page."""
    if getattr(request, "courses_shared_page", False):
        return {"progress": PROGRESS_MARK, "account_name": NAME_MARK}
    return {"progress": enrollment.progress_percent if enrollment else None, "account_name": None}


def _shared_marks(request, enrollment) -> dict:
    """The learner's name (escaped, as the template escapes it) and progress, for the marks of a shared page."""
    return {NAME_MARK: escape(request.user.public_name), PROGRESS_MARK: str(enrollment.progress_percent)}

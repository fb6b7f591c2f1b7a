"""Lesson pages kept in each process, so that a learner opening a lesson renders (almost) nothing.

**Two kinds of kept page.**

* *Shared*: while a learner has no quiz attempt and no submission in a lesson (every learner's first view of
  it, and every view of a lesson without a quiz or an assignment), the page differs between learners only in
  the name in the header, the course's progress bar and the CSRF token. It is kept once for everyone at the
  same point (the lesson completed or not), with a mark in place of each of the three, and the marks are filled
  for each request in one pass (the name HTML-escaped, as the template escapes it).
* *Personal*: once the learner has answers of their own in the lesson (attempts and their feedback, a
  submission and its review), the page is theirs, and is kept for them alone, with a mark for the CSRF token.

**Key.** Both: the lesson and its published version; the site's generation (lms/caching: invalidated by every
publish, unpublish or move, so it covers the course and its list of lessons too); the language and the time
zone. A shared page adds whether the lesson is completed, the host and the path (the language links). A
personal page adds the learner's enrolment and its `version`, which every service that changes what the
learner's lessons show increments in the same transaction (a lesson marked complete, a quiz attempt, a
submission, a trainer's review), and the name shown in the header. Everything a key depends on for a learner
is in the enrolment row that every lesson request reads (with `lesson_done` and `lesson_started`), so a step
taken in any worker shows on the learner's next request: no worker serves a page older than their last step.

**Per request.** Access is still checked on every request (`pages.lesson_serve` reads the enrolment first; only an
enrolled learner's pages are kept). Pages with a message to show, with a query string, previews and forms
re-shown with their errors are rendered as before and never kept.

The copies live in each process's `pages` cache (settings: a bounded in-memory cache), never shared: a page is
rendered at most once per process for everyone who is at the same point of a lesson.
"""

import hashlib
import re

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import escape

from lms.caching import generation

PAGE_SECONDS = 300
SHARED_PAGE_SECONDS = 24 * 3600  # its key changes with the lesson and the site: nothing in it goes stale
TOKEN_MARK = "courses-csrf-token-mark"
NAME_MARK = "courses-name-mark"
PROGRESS_MARK = "courses-progress-mark"
_TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_SHARED_MARK = re.compile(f"{TOKEN_MARK}|{NAME_MARK}|{PROGRESS_MARK}")


def page_key(request, *, lesson, enrollment) -> str | None:
    """The key of this request's lesson page, or None when the page must be rendered and not kept. Sets
    `request.courses_shared_page` when the page is the one kept for everyone (rendered with marks)."""
    if (
        enrollment is None
        or request.method != "GET"
        or request.GET  # a form re-shown with its errors is a POST: never kept either
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
    return "courses:lesson-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def personal_values(request, enrollment) -> dict:
    """What the lesson template shows of the learner beyond the lesson's own state: marks on a shared page."""
    if getattr(request, "courses_shared_page", False):
        return {"progress": PROGRESS_MARK, "account_name": NAME_MARK}
    return {"progress": enrollment.progress_percent if enrollment else None, "account_name": None}


def kept_page(request, key: str, enrollment) -> HttpResponse | None:
    """The kept page for `key`, filled for this request, or None."""
    content = caches["pages"].get(key)
    return None if content is None else HttpResponse(fill(request, content, enrollment))


def keep_page(request, key: str, response, enrollment) -> None:
    """Keep a rendered lesson page, its CSRF tokens replaced by a mark, and answer with it filled (so that the
    first request is served exactly as the next ones)."""
    if response.status_code == 200 and not response.streaming:
        content = _TOKEN_FIELD.sub(rf"\g<1>{TOKEN_MARK}\g<2>", response.content.decode(response.charset))
        shared = getattr(request, "courses_shared_page", False)
        caches["pages"].set(key, content, SHARED_PAGE_SECONDS if shared else PAGE_SECONDS)
        response.content = fill(request, content, enrollment)


def fill(request, content: str, enrollment) -> str:
    """The page with this request's CSRF token, and on a shared page the learner's name and progress, in place of
    the marks; in one pass, so that a name that looks like a mark stays a name."""
    if not getattr(request, "courses_shared_page", False):
        return content.replace(TOKEN_MARK, get_token(request))  # the name is in the page, as the learner wrote it
    values = {
        TOKEN_MARK: get_token(request),
        NAME_MARK: escape(request.user.public_name),
        PROGRESS_MARK: str(enrollment.progress_percent),
    }
    return _SHARED_MARK.sub(lambda match: values[match.group()], content)

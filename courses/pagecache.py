"""The lesson page a learner saw last, kept in each process, so that opening it again (a reload, going back,
returning from the next lesson, the service worker revalidating it) renders nothing.

**Key.** The lesson and its published version; the site's generation (lms/lookups.py: renewed by every publish,
unpublish or move, so it covers the course and its list of lessons too); the learner's enrolment and its
`version`, which every service that changes what the learner's lessons show increments in the same
transaction (a lesson marked complete, a quiz attempt, a submission, a trainer's review); the language, the time
zone and the name shown in the header. A change made in any worker is in the database row that the next request
reads, so no worker can serve a page older than the learner's own last step.

**Per request.** Access is still checked on every request (lesson_serve reads the enrolment first; only an
enrolled learner's pages are kept). The CSRF token is left out when a page is kept and a fresh one (a new mask of
the session's secret) put in when it is served. Pages with a message to show, with a query string, previews and
forms re-shown with their errors are rendered as before and never kept.

The copies live in each process's `pages` cache (settings: a bounded in-memory cache), never shared.
"""

import hashlib
import re

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from lms.lookups import generation

PAGE_SECONDS = 300
TOKEN_MARK = "courses-csrf-token-mark"
_TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def page_key(request, *, lesson, enrollment) -> str | None:
    """The key of this request's lesson page, or None when the page must be rendered and not kept."""
    if (
        enrollment is None
        or request.method != "GET"
        or request.GET  # a form re-shown with its errors is a POST: never kept either
        or len(messages.get_messages(request))  # counted, not read: they stay for the page that shows them
    ):
        return None
    parts = (
        lesson.pk,
        lesson.last_published_at,
        generation(),
        enrollment.pk,
        enrollment.version,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        request.user.public_name,
    )
    return "courses:lesson-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept_page(request, key: str) -> HttpResponse | None:
    """The kept page for `key` with this request's CSRF token, or None."""
    content = caches["pages"].get(key)
    if content is None:
        return None
    return HttpResponse(content.replace(TOKEN_MARK, get_token(request)))


def keep_page(key: str, response) -> None:
    """Keep a rendered lesson page, its CSRF tokens replaced by a mark."""
    if response.status_code == 200 and not response.streaming:
        content = _TOKEN_FIELD.sub(rf"\g<1>{TOKEN_MARK}\g<2>", response.content.decode(response.charset))
        caches["pages"].set(key, content, PAGE_SECONDS)

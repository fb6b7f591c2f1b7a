"""Rendered pages cached in each process (the `pages` cache), with what differs per request left as marks.

A page that is the same for many requests but for a few texts (the CSRF token, the reader's name and progress, a
certificate's code) is rendered once with a mark in place of each, and cached; each request fills the marks in,
in one pass (`fill`), so that a value which looks like a mark (a name typed as one) stays a value. The apps keep
only their rules: what goes in the key and when a cached page is retired (courses/pagecache.py: the lesson and
the learner's enrolment version; certificates/pagecache.py: the certificate's version in the shared cache).

The cache is each process's own memory, bounded (1,000 pages, settings `PAGE_CACHE`), never shared: a page is
rendered at most once per process for each key.
"""

import functools
import hashlib
import re
import secrets

from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token

MARK_PREFIX = "lms-mark-"


def mark(name: str) -> str:
    """A mark: every mark starts with MARK_PREFIX, so that finding them scans a page for one literal (on a 31 KB
    lesson page with three marks, 31 µs against 246 µs for marks without a common start)."""
    return MARK_PREFIX + name


CSRF_MARK = mark(f"csrf-token-{secrets.token_hex(8)}")  # this process's own: no text on a page can look like it
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def page_key(namespace: str, parts) -> str:
    """The cache key of a page for `parts` (hashed: parts may hold hosts, paths and names)."""
    return f"{namespace}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cache_page(key: str, content: str, seconds: int) -> None:
    caches["pages"].set(key, content, seconds)


def cached_response(request, key: str, render, *, seconds: int, marks=dict) -> HttpResponse:
    """The page cached under `key`, with `marks()` and the request's CSRF token filled in; else `render()`'s
    response, cached (a 200 only) with its CSRF tokens replaced by a mark, and filled as the next requests will be."""
    content = caches["pages"].get(key)
    if content is None:
        response = render()
        if response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render"):  # a TemplateResponse (Wagtail's serve)
            response.render()
        content = _CSRF_FIELD.sub(rf"\g<1>{CSRF_MARK}\g<2>", response.content.decode(response.charset))
        cache_page(key, content, seconds)
    else:
        response = HttpResponse()
    values = marks()
    if CSRF_MARK in content:
        values[CSRF_MARK] = get_token(request)
    response.content = fill(content, values)
    return response


def fill(content: str, values: dict[str, str]) -> str:
    """`content` with each mark (a key of `values`, made by `mark`) replaced by its value, in one pass."""
    if not values:
        return content
    return _marks_pattern(tuple(values)).sub(lambda match: values[match.group()], content)


@functools.lru_cache(maxsize=256)
def _marks_pattern(marks: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, marks)))

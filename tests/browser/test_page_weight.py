"""Page weight and privacy budget: for each key page, every request is recorded; HTML + CSS + JS as
transferred gzip-compressed (what the reverse proxy sends; whitenoise serves the same for static files)
stays under 60 KB, and no request leaves the server's origin. The figures are printed for bench/README.md."""

import gzip
import json

import pytest

from tests.demo_site import manage, session_cookie

BUDGET_BYTES = 60 * 1024
COUNTED_TYPES = ("text/html", "text/css", "javascript")

# Finds one page of each kind in the demo database (the demo learner's view).
FIND_PAGES = """
import json
from courses.models import CourseIndexPage, LessonPage
from webinars.models import WebinarPage
from django.utils import timezone
pages = {}
en = {"locale__language_code": "en"}
pages["catalogue"] = CourseIndexPage.objects.live().filter(**en).first().url
from courses.models import Enrollment
# The course the demo learner is enrolled in, so that its lessons open for them.
course = Enrollment.objects.filter(user__username="learner").select_related("course").first().course
pages["course"] = course.url
pages["lesson"] = LessonPage.objects.live().descendant_of(course).order_by("path").first().url
now = timezone.now()
live = WebinarPage.objects.live().filter(start__lte=now, end__gte=now, **en).first()
pages["webinar room"] = f"/webinars/{live.pk}/room/"
print(json.dumps(pages))
"""


@pytest.fixture(scope="module")
def key_pages(demo):
    _server, env = demo
    pages = {"home": "/", "dashboard": "/dashboard/", "verification": "/verify/"}
    pages.update(json.loads(manage(env, "shell", "-c", FIND_PAGES).strip().splitlines()[-1]))
    return pages


@pytest.fixture(scope="module")
def learner_cookie(demo):
    return session_cookie(demo[1], "learner")


def measure(context, path: str) -> dict:
    """Load one page in a fresh tab and add up what it transferred, by kind."""
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="networkidle")
    totals = {"html_css_js": 0, "other": 0, "requests": 0}
    for response in responses:
        content_type = response.headers.get("content-type", "")
        body = response.body() if response.status < 300 else b""
        size = (
            len(gzip.compress(body, 6))
            if any(t in content_type for t in (*COUNTED_TYPES, "json", "svg"))
            else len(body)
        )
        totals["requests"] += 1
        if any(t in content_type for t in COUNTED_TYPES):
            totals["html_css_js"] += size
        else:
            totals["other"] += size
    page.close()
    return totals


def test_key_pages_stay_under_the_weight_budget_and_on_this_origin(new_context, demo_server, key_pages, learner_cookie):
    context = new_context()  # refuses and records any request to another origin
    context.add_cookies([{"name": "sessionid", "value": learner_cookie, "url": demo_server.url}])
    rows = []
    for name, path in key_pages.items():
        totals = measure(context, path)
        rows.append((name, path, totals))
        assert totals["html_css_js"] < BUDGET_BYTES, f"{name} ({path}) weighs {totals['html_css_js']} bytes"
    print("\n| page | path | HTML+CSS+JS (gzip) | other | requests |\n| --- | --- | --- | --- | --- |")
    for name, path, totals in rows:
        print(
            f"| {name} | `{path}` | {totals['html_css_js'] / 1024:.1f} KB | {totals['other'] / 1024:.1f} KB "
            f"| {totals['requests']} |"
        )

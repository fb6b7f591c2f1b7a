"""Accessibility: axe-core (npm, pinned) runs in each key page, in English and in Russian; no serious or
critical violation may remain."""

import json
from pathlib import Path

import pytest

from conftest import REQUIRE_SERVICES
from tests.demo_site import manage, session_cookie

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

FIND_PAGES = """
import json
from wagtail.models import Locale
from courses.models import CourseIndexPage, LessonPage
from webinars.models import WebinarPage
from django.utils import timezone
en, ru = Locale.objects.get(language_code="en"), Locale.objects.get(language_code="ru")
def both(page):
    return [t.url for t in (page.get_translation_or_none(en), page.get_translation_or_none(ru)) if t]
catalogue = CourseIndexPage.objects.live().filter(locale__language_code="en").first()
from courses.models import Enrollment
# The course the demo learner is enrolled in, so that its lessons open for them.
course = Enrollment.objects.filter(user__username="learner").select_related("course").first().course
lesson = LessonPage.objects.live().descendant_of(course).order_by("path").first()
now = timezone.now()
webinar = WebinarPage.objects.live().filter(locale__language_code="en", start__lte=now, end__gte=now).first()
paths = ["/", "/ru/", "/dashboard/", "/ru/dashboard/", "/account/", "/ru/account/", "/verify/", "/ru/verify/",
         "/certificates/", "/ru/certificates/", f"/webinars/{webinar.pk}/room/", f"/ru/webinars/{webinar.pk}/room/"]
for page in (catalogue, course, lesson, webinar):
    paths += both(page)
print(json.dumps(paths))
"""


@pytest.fixture(scope="module")
def pages(demo):
    return json.loads(manage(demo[1], "shell", "-c", FIND_PAGES).strip().splitlines()[-1])


def test_key_pages_have_no_serious_accessibility_violations(new_context, demo_server, demo, pages):
    if not AXE.exists():
        reason = "needs axe-core from npm: run `npm ci` (package.json pins it)"
        if REQUIRE_SERVICES:
            pytest.fail(reason)
        pytest.skip(reason)
    context = new_context(width=360)
    context.add_cookies([{"name": "sessionid", "value": session_cookie(demo[1], "learner"), "url": demo_server.url}])
    source = AXE.read_text()
    problems = []
    for path in [*pages, "/accounts/login/", "/ru/accounts/signup/"]:
        page = context.new_page()
        if path.startswith(("/accounts/", "/ru/accounts/")):
            context.clear_cookies()
        page.goto(path)
        page.evaluate(source)  # through the DevTools protocol, so the page's strict CSP needs no exception
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
        page.close()
    assert not problems, "\n".join(problems)

"""The permission matrix: every URL the project serves, requested as each kind of person, against the table
below (mirrored in docs/roles.md). A URL pattern without an entry fails the test, so a new view cannot ship
without a decision about who may open it.

Statuses are for GET. 302 to the login page is written "login"; any other redirect is 302. Object-level
cases are built in: `learner` owns the attempt, submission, registration, feed and certificate; `other` is
a second learner; `trainer` is the course's trainer and the webinar's presenter; `trainer2` is another
trainer. Run with PRINT_MATRIX=1 to print what the server answered (for reviewing a change to the table).
"""

import os
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from certificates import services as certificate_services
from courses import services as course_services
from lms import roles
from lms.testing import make_user
from practice import services as practice_services
from tests.certificates.conftest import make_level
from tests.courses.factories import assignment_block, lessons_of, make_course, pdf_upload, quiz_block, right_answers
from tests.practice.factories import complete_case_data, png_with_text
from tests.webinars.factories import make_webinar
from webinars import services as webinar_services

pytestmark = pytest.mark.django_db

ROLES = ("anon", "learner", "other", "trainer", "trainer2", "certifier", "admin")
ADMIN_PREFIXES = ("admin/", "django-admin/")

# Shorthands for rows.
LOGIN = "login"
PUBLIC = dict.fromkeys(ROLES, 200)


def row(anon, learner, other, trainer, trainer2, certifier, admin) -> dict:
    return dict(zip(ROLES, (anon, learner, other, trainer, trainer2, certifier, admin), strict=True))


def logged_in(status, anon=LOGIN) -> dict:
    return row(anon, status, status, status, status, status, status)


# name -> (path builder, expected statuses by role). Builders get the world `w` built below.
MATRIX = {
    # Core and machine endpoints
    "healthz": (lambda w: "/healthz/", PUBLIC),
    "service_worker": (lambda w: "/sw.js", PUBLIC),
    "web_manifest": (lambda w: "/manifest.webmanifest", PUBLIC),
    "set_language": (lambda w: "/i18n/setlang/", dict.fromkeys(ROLES, 302)),
    "privacy": (lambda w: "/privacy/", PUBLIC),
    "offline": (lambda w: "/offline/", PUBLIC),
    # Quick exit: POST signs out and clears the site data; GET is the neutral page it leaves for.
    "quick_exit": (lambda w: "/start/", PUBLIC),
    "dashboard": (lambda w: "/dashboard/", logged_in(200)),
    "account": (lambda w: "/account/", logged_in(200)),
    "account_export": (lambda w: "/account/export/", logged_in(200)),
    "account_delete": (lambda w: "/account/delete/", logged_in(200)),
    "wagtail_serve": (lambda w: "/", PUBLIC),
    "wagtailcore_login": (lambda w: "/_util/login/", PUBLIC),
    "wagtailcore_authenticate_with_password": (
        lambda w: f"/_util/authenticate_with_password/999/{w.home.pk}/",
        dict.fromkeys(ROLES, 404),
    ),
    "wagtaildocs_serve": (lambda w: "/documents/999/missing.pdf", dict.fromkeys(ROLES, 404)),
    "wagtaildocs_authenticate_with_password": (
        lambda w: "/documents/authenticate_with_password/999/",
        dict.fromkeys(ROLES, 404),
    ),
}

# allauth: pages for signing in are for anonymous visitors; pages for managing an account need a login.
ALLAUTH_ANONYMOUS = {
    "account_login": "/accounts/login/",
    "account_signup": "/accounts/signup/",
}
# Pages allauth shows to anyone (a signed-in person may also ask for a reset mail or see a confirmation).
ALLAUTH_ANYONE = {
    "account_reset_password": "/accounts/password/reset/",
    "account_reset_password_done": "/accounts/password/reset/done/",
    "account_reset_password_from_key_done": "/accounts/password/reset/key/done/",
    "account_email_verification_sent": "/accounts/confirm-email/",
    "account_inactive": "/accounts/inactive/",
}
ALLAUTH_SIGNED_IN = {
    "account_email": "/accounts/email/",
    "account_change_password": "/accounts/password/change/",
    "account_reauthenticate": "/accounts/reauthenticate/",
    "mfa_index": "/accounts/2fa/",
}
# Signed-in pages that redirect until their precondition holds: a fresh reauthentication (activate TOTP,
# generate codes), no usable password (set password), a second factor to reauthenticate with.
ALLAUTH_SIGNED_IN_REDIRECTS = {
    "account_set_password": "/accounts/password/set/",
    "mfa_activate_totp": "/accounts/2fa/totp/activate/",
    "mfa_generate_recovery_codes": "/accounts/2fa/recovery-codes/generate/",
    "mfa_reauthenticate": "/accounts/2fa/reauthenticate/",
}
# Pages about a second factor that this person has not set up.
ALLAUTH_SIGNED_IN_ABSENT = {
    "mfa_deactivate_totp": "/accounts/2fa/totp/deactivate/",
    "mfa_view_recovery_codes": "/accounts/2fa/recovery-codes/",
    "mfa_download_recovery_codes": "/accounts/2fa/recovery-codes/download/",
}
# Steps of a flow that only exist while that flow is under way (a code was sent, a password was checked).
ALLAUTH_FLOW_STEPS = {
    "account_confirm_login_code": "/accounts/login/code/confirm/",
    "account_request_reauthentication_code": "/accounts/reauthenticate/code/",
    "account_confirm_reauthentication_code": "/accounts/reauthenticate/code/confirm/",
    "mfa_authenticate": "/accounts/2fa/authenticate/",
}
# Links from a mail: with a wrong key they render an "invalid link" page, whoever opens them.
ALLAUTH_MAIL_LINKS = {
    "account_confirm_email": "/accounts/confirm-email/not-a-real-key/",
    "account_reset_password_from_key": "/accounts/password/reset/key/1-not-a-real-key/",
}

MATRIX.update(
    {
        # Courses: learning (POST-only actions answer GET with 405 once signed in)
        "courses:enrol": (lambda w: reverse("courses:enrol", args=[w.course.pk]), logged_in(405)),
        "courses:resume": (lambda w: reverse("courses:resume", args=[w.course.pk]), logged_in(302)),
        "courses:lesson_complete": (lambda w: reverse("courses:lesson_complete", args=[w.lesson.pk]), logged_in(405)),
        "courses:quiz_submit": (
            lambda w: reverse("courses:quiz_submit", args=[w.quiz_lesson.pk, "quiz-1"]),
            logged_in(405),
        ),
        "courses:assignment_submit": (
            lambda w: reverse("courses:assignment_submit", args=[w.lesson.pk, "assignment-1"]),
            logged_in(405),
        ),
        "courses:material": (
            lambda w: reverse("courses:material", args=[w.lesson.pk, "no-such-material"]),
            row(LOGIN, 404, 403, 404, 403, 403, 404),
        ),
        "courses:submission_file": (
            lambda w: reverse("courses:submission_file", args=[w.submission.pk]),
            row(LOGIN, 200, 404, 200, 404, 404, 200),
        ),
        # Courses: trainers
        "courses:trainer_courses": (
            lambda w: reverse("courses:trainer_courses"),
            row(LOGIN, 403, 403, 200, 200, 403, 200),
        ),
        "courses:course_report": (
            lambda w: reverse("courses:course_report", args=[w.course.pk]),
            row(LOGIN, 403, 403, 200, 403, 403, 200),
        ),
        "courses:course_report_csv": (
            lambda w: reverse("courses:course_report_csv", args=[w.course.pk]),
            row(LOGIN, 403, 403, 200, 403, 403, 200),
        ),
        "courses:review_queue": (lambda w: reverse("courses:review_queue"), row(LOGIN, 403, 403, 200, 200, 403, 200)),
        "courses:review": (
            lambda w: reverse("courses:review", args=[w.submission.pk]),
            row(LOGIN, 403, 403, 200, 403, 403, 200),
        ),
        # Webinars
        "webinars:register": (lambda w: reverse("webinars:register", args=[w.webinar.pk]), logged_in(405)),
        "webinars:cancel": (lambda w: reverse("webinars:cancel", args=[w.webinar.pk]), logged_in(405)),
        "webinars:ics": (lambda w: reverse("webinars:ics", args=[w.webinar.pk]), PUBLIC),
        "webinars:room": (lambda w: reverse("webinars:room", args=[w.webinar.pk]), logged_in(200)),
        "webinars:transcript_md": (
            lambda w: reverse("webinars:transcript_md", args=[w.webinar.pk]),
            row(LOGIN, 403, 403, 200, 403, 403, 200),
        ),
        "webinars:transcript_csv": (
            lambda w: reverse("webinars:transcript_csv", args=[w.webinar.pk]),
            row(LOGIN, 403, 403, 200, 403, 403, 200),
        ),
        "webinars:attendance": (
            lambda w: reverse("webinars:attendance", args=[w.webinar.pk]),
            row(LOGIN, 403, 403, 200, 403, 403, 200),
        ),
        "webinars:calendar": (lambda w: reverse("webinars:calendar"), logged_in(200)),
        # The feed URL is the secret: whoever has it may read it; a guessed token finds nothing.
        "webinars:feed": (lambda w: reverse("webinars:feed", args=[w.feed_token]), PUBLIC),
        # Certificates
        "certificates:progress": (lambda w: reverse("certificates:progress"), logged_in(200)),
        "certificates:name": (lambda w: reverse("certificates:name"), logged_in(405)),
        # The holder, certifiers and admins; for anyone else the certificate does not exist.
        "certificates:pdf": (
            lambda w: reverse("certificates:pdf", args=[w.certificate.serial]),
            row(LOGIN, 200, 404, 404, 404, 200, 200),
        ),
        "certificates:credential": (
            lambda w: reverse("certificates:credential", args=[w.certificate.serial]),
            row(LOGIN, 200, 404, 404, 404, 200, 200),
        ),
        "certificates:withdraw": (
            lambda w: reverse("certificates:withdraw", args=[w.certificate.serial]),
            logged_in(405),
        ),
        "certificates:verify_form": (lambda w: reverse("certificates:verify_form"), PUBLIC),
        "certificates:verify": (
            lambda w: reverse("certificates:verify", args=[w.certificate.verification_code]),
            PUBLIC,
        ),
        "certificates:did": (lambda w: reverse("certificates:did"), PUBLIC),
        "certificates:issuer": (lambda w: reverse("certificates:issuer"), PUBLIC),
        "certificates:status_list": (lambda w: reverse("certificates:status_list"), PUBLIC),
        # Field practice: the network's counts and the partner export, for certifiers and admins only.
        "practice:aggregates": (lambda w: reverse("practice:aggregates"), row(LOGIN, 403, 403, 403, 403, 200, 200)),
        "practice:aggregates_csv": (
            lambda w: reverse("practice:aggregates_csv"),
            row(LOGIN, 403, 403, 403, 403, 200, 200),
        ),
        "practice:export": (
            lambda w: reverse("practice:export", args=["practice.json"]),
            row(LOGIN, 403, 403, 403, 403, 200, 200),
        ),
        # Field practice: the course's cohort records; a record and its files are for their author and the course's
        # trainers only (for anyone else they do not exist); trainers review and keep the practices of their courses.
        "practice:home": (lambda w: reverse("practice:home"), logged_in(200)),
        "practice:record_new": (
            lambda w: reverse("practice:record_new", args=[w.practice.pk, "cases"]),
            row(LOGIN, 200, 403, 403, 403, 403, 403),
        ),
        "practice:record": (
            lambda w: reverse("practice:record", args=["cases", w.case.pk]),
            row(LOGIN, 200, 404, 200, 404, 404, 200),
        ),
        "practice:record_delete": (
            lambda w: reverse("practice:record_delete", args=["cases", w.case.pk]),
            logged_in(405),
        ),
        "practice:attachment": (
            lambda w: reverse("practice:attachment", args=[w.attachment.pk]),
            row(LOGIN, 200, 404, 200, 404, 404, 200),
        ),
        "practice:attachment_delete": (
            lambda w: reverse("practice:attachment_delete", args=[w.attachment.pk]),
            logged_in(405),
        ),
        "practice:review_queue": (lambda w: reverse("practice:review_queue"), row(LOGIN, 403, 403, 200, 200, 403, 200)),
        "practice:review": (
            lambda w: reverse("practice:review", args=["cases", w.case.pk]),
            row(LOGIN, 403, 403, 200, 403, 403, 200),
        ),
        "practice:manage_list": (lambda w: reverse("practice:manage_list"), row(LOGIN, 403, 403, 200, 200, 403, 200)),
        "practice:manage": (
            lambda w: reverse("practice:manage", args=[w.practice.pk]),
            row(LOGIN, 403, 403, 200, 403, 403, 200),
        ),
    }
)
MATRIX["account_logout"] = (lambda w: "/accounts/logout/", logged_in(200, anon=302))
for _paths, _statuses in (
    (ALLAUTH_ANONYMOUS, logged_in(302, anon=200)),
    (ALLAUTH_ANYONE, PUBLIC),
    (ALLAUTH_SIGNED_IN, logged_in(200)),
    (ALLAUTH_SIGNED_IN_REDIRECTS, logged_in(302)),
    (ALLAUTH_SIGNED_IN_ABSENT, logged_in(404)),
    (ALLAUTH_FLOW_STEPS, logged_in(302)),
    (ALLAUTH_MAIL_LINKS, PUBLIC),
):
    for _name, _path in _paths.items():
        MATRIX[_name] = (lambda w, p=_path: p, _statuses)

# Wagtail pages (one of each type) and the admins' entry points.
PAGES_AND_ADMIN = {
    "home page": (lambda w: "/", PUBLIC),
    "home page (ru)": (lambda w: "/ru/", PUBLIC),
    "course index page": (lambda w: w.course.get_parent().url, PUBLIC),
    "course page": (lambda w: w.course.url, PUBLIC),
    # Lessons open for enrolled learners and the course's trainers; others are sent to the course page.
    "lesson page": (lambda w: w.lesson.url, row(LOGIN, 200, 302, 200, 302, 302, 200)),
    "webinar index page": (lambda w: w.webinar.get_parent().url, PUBLIC),
    "webinar page": (lambda w: w.webinar.url, PUBLIC),
    "wagtail admin": (lambda w: "/admin/", row(302, 302, 302, 200, 200, 200, 200)),
    # Trainers explore only the sections they were given page permissions on (none in this world).
    "wagtail admin: pages": (lambda w: "/admin/pages/", row(302, 302, 302, 302, 302, 302, 200)),
    "wagtail admin: users": (lambda w: "/admin/users/", row(302, 302, 302, 302, 302, 302, 200)),
    "wagtail admin: certification queue": (
        lambda w: "/admin/certification/",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: certificates": (
        lambda w: "/admin/certification/certificates/",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: audit log": (lambda w: "/admin/certification/audit/", row(302, 302, 302, 302, 302, 200, 200)),
    # The listings are Wagtail index views: their results (what filtering fetches) and their CSV/XLSX exports are
    # other addresses of the same rows, with the same rule.
    "wagtail admin: certification queue results": (
        lambda w: "/admin/certification/results/",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: certification queue CSV": (
        lambda w: "/admin/certification/?export=csv",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: certificates results": (
        lambda w: "/admin/certification/certificates/results/",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: certificates CSV": (
        lambda w: "/admin/certification/certificates/?export=csv",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: certificates XLSX": (
        lambda w: "/admin/certification/certificates/?export=xlsx",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: audit log results": (
        lambda w: "/admin/certification/audit/results/",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: audit log CSV": (
        lambda w: "/admin/certification/audit/?export=csv",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    "wagtail admin: certificate": (
        lambda w: f"/admin/certification/certificates/{w.certificate.pk}/",
        row(302, 302, 302, 302, 302, 200, 200),
    ),
    # Editors (wagtail-localize's "submit translation" permission) and admins only.
    "wagtail admin: translation status": (lambda w: "/admin/translations/", row(302, 302, 302, 302, 302, 302, 200)),
    "django admin": (lambda w: "/django-admin/", row(302, 302, 302, 200, 200, 200, 200)),
    "material library": (lambda w: "/django-admin/filer/folder/", row(302, 302, 302, 200, 200, 403, 200)),
}


class World:
    """Everything the matrix needs, built through the services."""

    def __init__(self):
        self.users = {
            "learner": make_user(username="owner"),
            "other": make_user(username="other"),
            "trainer": make_user(username="coursetrainer", role=roles.TRAINERS),
            "trainer2": make_user(username="othertrainer", role=roles.TRAINERS),
            "certifier": make_user(username="certifier", role=roles.CERTIFIERS),
            "admin": make_user(username="admin", role="admin"),
        }
        learner, trainer = self.users["learner"], self.users["trainer"]
        self.course = make_course(lessons=2, quiz=quiz_block(), assignment=assignment_block(), trainers=[trainer])
        self.lesson, self.quiz_lesson = lessons_of(self.course)
        self.home = self.course.get_parent().get_parent()
        course_services.enrollment_create(user=learner, course=self.course)
        course_services.quiz_submit(user=learner, lesson=self.quiz_lesson, quiz_key="quiz-1", answers=right_answers())
        self.submission = course_services.assignment_submit(
            user=learner, lesson=self.lesson, assignment_key="assignment-1", text="My goal", upload=pdf_upload()
        )
        self.webinar = make_webinar(presenters=[trainer], starts_in=timedelta(minutes=-5))
        webinar_services.registration_create(user=learner, webinar=self.webinar)
        webinar_services.question_ask(user=learner, webinar=self.webinar, text="Anonymous question", anonymous=True)
        self.feed_token = webinar_services.calendar_feed_for(user=learner).token
        self.certificate = certificate_services.certificate_issue(
            actor=self.users["certifier"], user=learner, level=make_level(), outside_rules_reason="Matrix test"
        )
        self.practice = practice_services.practice_create(
            user=trainer, course=self.course, kind="cases", title="Street lawyers"
        )
        draft = practice_services.case_save(user=learner, practice=self.practice, data=complete_case_data())
        self.attachment = practice_services.attachment_add(user=learner, record=draft, upload=png_with_text())
        self.case = practice_services.case_save(user=learner, record=draft, data={}, submit=True)


def served_url_names() -> set[str]:
    """Every named URL pattern outside the two admins (those are covered by PAGES_AND_ADMIN)."""

    def walk(resolver, prefix="", namespace=None):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                route = prefix + str(pattern.pattern)
                if route.startswith(ADMIN_PREFIXES):
                    continue
                yield from walk(pattern, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {prefix}{pattern.pattern}"
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver()))


def test_every_served_url_has_a_row_in_the_matrix():
    missing = served_url_names() - set(MATRIX)
    assert not missing, f"add these URLs to the permission matrix (and docs/roles.md): {sorted(missing)}"
    stale = set(MATRIX) - served_url_names()
    assert not stale, f"these rows name URLs that no longer exist: {sorted(stale)}"


def _observe(client: Client, path: str):
    response = client.get(path)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def test_each_role_gets_exactly_what_the_matrix_says(signing_key):
    world = World()
    clients = {"anon": Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    observed, wrong = {}, []
    for name, (build, expected) in {**MATRIX, **PAGES_AND_ADMIN}.items():
        path = build(world)
        observed[name] = {role: _observe(clients[role], path) for role in ROLES}
        for role in ROLES:
            if observed[name][role] != expected[role]:
                wrong.append(f"{name} {path} as {role}: expected {expected[role]}, got {observed[name][role]}")
    if os.environ.get("PRINT_MATRIX"):
        for name, statuses in observed.items():
            print(f"{name:45} " + " ".join(f"{statuses[r]!s:>6}" for r in ROLES))
    assert not wrong, "\n".join(wrong)


# Restricted pages (Wagtail's privacy setting; lms/restrictions.py): the same world with the course and the webinar
# restricted to a group that `learner` and `trainer` are in, and no one else. The pages answer as Wagtail does (302
# to its login page, `/_util/login/`, for anyone outside the group); every route that serves something of them
# answers "absent" (404) or, for an action or a download that needs an enrolment first, 403; listings leave them out
# (tests/hardening/test_view_restrictions.py, which also covers the POST routes and the websocket).
WAGTAIL_LOGIN = 302
GROUP_ONLY_PAGE = row(WAGTAIL_LOGIN, 200, WAGTAIL_LOGIN, 200, WAGTAIL_LOGIN, WAGTAIL_LOGIN, 200)
RESTRICTED = {
    "course page": (lambda w: w.course.url, GROUP_ONLY_PAGE),
    "lesson page": (lambda w: w.lesson.url, GROUP_ONLY_PAGE),
    "webinar page": (lambda w: w.webinar.url, GROUP_ONLY_PAGE),
    "courses:resume": (
        lambda w: reverse("courses:resume", args=[w.course.pk]),
        row(LOGIN, 302, 404, 302, 404, 404, 302),
    ),
    "courses:material": (
        lambda w: reverse("courses:material", args=[w.lesson.pk, "no-such-material"]),
        row(LOGIN, 404, 403, 404, 403, 403, 404),
    ),
    "webinars:room": (
        lambda w: reverse("webinars:room", args=[w.webinar.pk]),
        row(LOGIN, 200, 404, 200, 404, 404, 200),
    ),
    "webinars:ics": (lambda w: reverse("webinars:ics", args=[w.webinar.pk]), row(404, 200, 404, 200, 404, 404, 200)),
}


def test_restricted_pages_each_role_gets_exactly_what_the_matrix_says(signing_key):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    world = World()
    circle = Group.objects.create(name="Private circle")
    for role in ("learner", "trainer"):
        world.users[role].groups.add(circle)
    for page in (world.course, world.webinar):
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(circle)
    clients = {"anon": Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    wrong = []
    for name, (build, expected) in RESTRICTED.items():
        path = build(world)
        for role in ROLES:
            observed = _observe(clients[role], path)
            if observed != expected[role]:
                wrong.append(f"restricted {name} {path} as {role}: expected {expected[role]}, got {observed}")
    assert not wrong, "\n".join(wrong)

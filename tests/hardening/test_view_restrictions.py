"""Wagtail's view restrictions hold off the page too (issue 18, item 4; lms/restrictions.py).

A course and a webinar are restricted to a group ("Private circle") after two learners enrolled and registered:
`insider` is in the group, `outsider` is not. Every route that serves something of those pages must answer the
outsider as the page does (refused, or absent from a listing) and the insider as before. A third and fourth
person (`newcomer_in`, `newcomer_out`) have not enrolled or registered yet, for the enrolment and registration
routes.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from filer.models import File
from wagtail.models import PageViewRestriction

from courses import services as course_services
from courses.models import AssignmentSubmission, CoursePage, Enrollment, LessonPage, LessonProgress, QuizAttempt
from lms import roles
from lms.restrictions import only_viewable, page_viewable
from lms.testing import make_user
from tests.courses.factories import (
    assignment_block,
    lessons_of,
    make_course,
    pdf_upload,
    quiz_block,
    right_answers,
    text_block,
)
from tests.webinars.factories import make_webinar
from webinars import services as webinar_services
from webinars.models import Registration, WebinarPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def restrict(page, *groups, kind=PageViewRestriction.GROUPS, password=""):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password=password)
    restriction.groups.set(groups)
    return restriction


@dataclass
class World:
    group: Group
    insider: object
    outsider: object
    newcomer_in: object
    newcomer_out: object
    course: CoursePage
    lesson: LessonPage
    quiz_lesson: LessonPage
    material_lesson: LessonPage
    webinar: WebinarPage
    open_course: CoursePage
    open_webinar: WebinarPage


def build_world() -> World:
    group = Group.objects.create(name="Private circle")
    insider, outsider = make_user(username="insider"), make_user(username="outsider")
    newcomer_in, newcomer_out = make_user(username="newcomer_in"), make_user(username="newcomer_out")
    for user in (insider, newcomer_in):
        user.groups.add(group)
    handout = File.objects.create(
        file=pdf_upload("handout.pdf"), original_filename="handout.pdf", name="Handout", is_public=False
    )
    material = {"type": "material", "id": "mat-1", "value": {"file": handout.pk, "title": "", "description": ""}}
    course = make_course(lessons=2, quiz=quiz_block(), assignment=assignment_block(), title="Circle-only course")
    lesson, quiz_lesson = lessons_of(course)
    material_lesson = course.add_child(
        instance=LessonPage(title="Handouts", slug="handouts", body=[text_block(), material], locale=course.locale)
    )
    webinar = make_webinar(title="Circle-only webinar", starts_in=timedelta(minutes=-5))
    open_course = make_course(lessons=1, title="Open course")
    open_webinar = make_webinar(title="Open webinar", starts_in=timedelta(days=2))
    # Both learners took the course and a seat before the editor restricted the pages.
    for user in (insider, outsider):
        course_services.enrollment_create(user=user, course=course)
        course_services.lesson_complete(user=user, lesson=quiz_lesson)
        webinar_services.registration_create(user=user, webinar=webinar)
        webinar_services.registration_create(user=user, webinar=open_webinar)
    restrict(course, group)
    restrict(webinar, group)
    return World(
        group, insider, outsider, newcomer_in, newcomer_out, course, lesson, quiz_lesson, material_lesson, webinar,
        open_course, open_webinar,
    )  # fmt: skip


@pytest.fixture
def world() -> World:
    return build_world()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Each route: (method, path builder, who asks: "member" (insider / newcomer_in) or the other, what a refusal looks
# like (a status), what an allowed request looks like (a status), and a check of what was stored).


def _counts(w: World) -> dict:
    return {
        "enrolments": Enrollment.objects.filter(course=w.course).count(),
        "registrations": Registration.objects.filter(webinar=w.webinar).count(),
        "lessons done": LessonProgress.objects.filter(course=w.course).count(),
        "attempts": QuizAttempt.objects.filter(course=w.course).count(),
        "submissions": AssignmentSubmission.objects.filter(course=w.course).count(),
    }


ROUTES = {
    # name: (method, path(w), data(), asked by a newcomer?, refused status, allowed status, what an allowed one stores)
    "webinar room": ("get", lambda w: reverse("webinars:room", args=[w.webinar.pk]), None, False, 404, 200, None),
    "webinar calendar.ics": (
        "get",
        lambda w: reverse("webinars:ics", args=[w.webinar.pk]),
        None,
        False,
        404,
        200,
        None,
    ),
    "webinar registration": (
        "post",
        lambda w: reverse("webinars:register", args=[w.webinar.pk]),
        None,
        True,
        403,
        302,
        "registrations",
    ),
    "course enrolment": (
        "post",
        lambda w: reverse("courses:enrol", args=[w.course.pk]),
        None,
        True,
        403,
        302,
        "enrolments",
    ),
    "course resume": ("get", lambda w: reverse("courses:resume", args=[w.course.pk]), None, False, 404, 302, None),
    "private material download": (
        "get",
        lambda w: reverse("courses:material", args=[w.material_lesson.pk, "mat-1"]),
        None,
        False,
        403,
        200,
        None,
    ),
    "lesson complete": (
        "post",
        lambda w: reverse("courses:lesson_complete", args=[w.lesson.pk]),
        None,
        False,
        403,
        302,
        "lessons done",
    ),
    "quiz submit": (
        "post",
        lambda w: reverse("courses:quiz_submit", args=[w.quiz_lesson.pk, "quiz-1"]),
        lambda: {f"q-{key}": value for key, value in right_answers().items()},
        False,
        403,
        302,
        "attempts",
    ),
    "assignment submit": (
        "post",
        lambda w: reverse("courses:assignment_submit", args=[w.lesson.pk, "assignment-1"]),
        lambda: {"text": "My goal", "file": pdf_upload()},
        False,
        403,
        302,
        "submissions",
    ),
}


def _ask(w: World, name: str, *, member: bool):
    method, path, data, newcomer, _refused, _allowed, _stores = ROUTES[name]
    user = (w.newcomer_in if member else w.newcomer_out) if newcomer else (w.insider if member else w.outsider)
    client = client_for(user)
    return getattr(client, method)(path(w), **({"data": data()} if data else {}))


@pytest.mark.parametrize("name", ROUTES)
def test_a_person_outside_the_group_is_refused_and_nothing_is_stored(world, name):
    before = _counts(world)
    response = _ask(world, name, member=False)
    assert response.status_code == ROUTES[name][4], response
    assert _counts(world) == before
    assert world.webinar.title.encode() not in response.content and world.course.title.encode() not in response.content


@pytest.mark.parametrize("name", ROUTES)
def test_a_member_of_the_group_is_served_as_before(world, name):
    before = _counts(world)
    response = _ask(world, name, member=True)
    assert response.status_code == ROUTES[name][5], response.content[:300]
    stores = ROUTES[name][6]
    if stores:
        assert _counts(world)[stores] == before[stores] + 1
    if name == "webinar calendar.ics":
        assert world.webinar.title.encode() in response.content
    if name == "private material download":
        assert response["Content-Disposition"].startswith("attachment")


def test_the_pages_themselves_refuse_the_outsider(world):
    """The rule the routes above copy: Wagtail sends a person outside the group to log in (as someone else)."""
    outsider, insider = client_for(world.outsider), client_for(world.insider)
    for page in (world.course, world.lesson, world.webinar):
        assert "login/?next=" in outsider.get(page.url)["Location"]
        assert insider.get(page.url).status_code == 200


def test_the_calendar_file_of_a_restricted_webinar_is_not_public(world):
    assert Client().get(reverse("webinars:ics", args=[world.webinar.pk])).status_code == 404
    assert Client().get(reverse("webinars:ics", args=[world.open_webinar.pk])).status_code == 200


# --- Listings -----------------------------------------------------------------------------------------------------


def _listing(w: World, name: str, user) -> str:
    if name == "catalogue":
        return client_for(user).get(w.course.get_parent().url).content.decode()
    if name == "catalogue search":
        return client_for(user).get(w.course.get_parent().url, {"q": "course"}).content.decode()
    if name == "webinar index":
        return client_for(user).get(w.webinar.get_parent().url).content.decode()
    if name == "dashboard":
        return client_for(user).get(reverse("dashboard")).content.decode()
    if name == "calendar feed":
        token = webinar_services.calendar_feed_for(user=user).token
        return Client().get(reverse("webinars:feed", args=[token])).content.decode()
    raise AssertionError(name)


LISTINGS = {
    "catalogue": ("Circle-only course", "Open course"),
    "catalogue search": ("Circle-only course", "Open course"),  # Wagtail search over the same filtered courses
    "webinar index": ("Circle-only webinar", "Open webinar"),
    "dashboard": ("Circle-only", "Open webinar"),  # my courses, my webinars, the lesson done
    "calendar feed": ("Circle-only webinar", "Open webinar"),
}


@pytest.mark.parametrize("name", LISTINGS)
def test_listings_leave_out_what_the_reader_may_not_view(world, name):
    hidden, shown = LISTINGS[name]
    outside = _listing(world, name, world.outsider)
    assert hidden not in outside and shown in outside
    inside = _listing(world, name, world.insider)
    assert hidden in inside and shown in inside


def test_the_dashboard_leaves_out_the_restricted_course_its_lessons_and_the_webinar(world):
    page = _listing(world, "dashboard", world.outsider)
    for title in (world.course.title, world.quiz_lesson.title, world.webinar.title):
        assert title not in page
    assert world.course.url not in page and world.quiz_lesson.url not in page


# --- The websocket ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("room_hub_cleanup")
async def test_the_room_websocket_refuses_the_outsider_and_takes_the_member():
    from tests.webinars.room import db, join

    world = await db(build_world)
    _, connected, code, _ = await join(world.webinar, world.outsider, expect_snapshot=False)
    assert not connected and code == 4403
    communicator, connected, _, snapshot = await join(world.webinar, world.insider)
    assert connected and snapshot["webinar"]["title"] == world.webinar.title
    await communicator.disconnect()


@pytest.fixture
async def room_hub_cleanup():
    yield
    import asyncio

    from webinars import hub

    running = hub._hubs.get(asyncio.get_running_loop())
    if running is not None:
        await running.stop()


# --- The rule itself ----------------------------------------------------------------------------------------------


def test_a_restriction_on_an_ancestor_covers_every_page_below(world):
    index = world.open_course.get_parent()
    restrict(index, world.group)
    lesson = lessons_of(world.open_course)[0]
    for page in (index, world.open_course, lesson):
        assert page_viewable(world.insider, page) and not page_viewable(world.outsider, page)
    assert page_viewable(world.outsider, world.open_webinar)  # another section: untouched
    assert page_viewable(world.outsider, world.open_webinar.get_parent())


def test_login_password_and_superusers(world):
    admin = make_user(role="admin")
    login_only = make_webinar(title="Members only")
    restrict(login_only, kind=PageViewRestriction.LOGIN)
    shared = make_webinar(title="Shared password")
    restrict(shared, kind=PageViewRestriction.PASSWORD, password="open sesame")
    from django.contrib.auth.models import AnonymousUser

    assert page_viewable(world.outsider, login_only) and not page_viewable(AnonymousUser(), login_only)
    # A shared password is answered on the page only: off the page nobody but a superuser passes.
    assert not page_viewable(world.insider, shared) and page_viewable(admin, shared)
    assert page_viewable(admin, world.course) and page_viewable(admin, world.webinar)
    assert webinar_services.user_may_enter_room(user=admin, webinar=world.webinar)
    ids = set(only_viewable(WebinarPage.objects.all(), AnonymousUser()).values_list("pk", flat=True))
    assert world.open_webinar.pk in ids and not ids & {login_only.pk, shared.pk, world.webinar.pk}


def test_trainers_and_presenters_need_the_group_as_on_the_page(world):
    trainer = make_user(username="coursetrainer", role=roles.TRAINERS)
    world.course.trainers.set([trainer])
    world.course.save()
    world.webinar.presenters.set([trainer])
    world.webinar.save()
    assert not course_services.lesson_can_view(user=trainer, course=world.course, lesson=world.lesson)
    assert not webinar_services.user_may_enter_room(user=trainer, webinar=WebinarPage.objects.get(pk=world.webinar.pk))
    trainer.groups.add(world.group)
    assert course_services.lesson_can_view(user=trainer, course=world.course, lesson=world.lesson)
    assert webinar_services.user_may_enter_room(user=trainer, webinar=WebinarPage.objects.get(pk=world.webinar.pk))


def test_services_refuse_without_a_view_and_change_nothing(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        course_services.enrollment_create(user=world.newcomer_out, course=world.course)
    with pytest.raises(PermissionDenied):
        webinar_services.registration_create(user=world.newcomer_out, webinar=world.webinar)
    with pytest.raises(PermissionDenied):
        course_services.quiz_submit(
            user=world.outsider, lesson=world.quiz_lesson, quiz_key="quiz-1", answers=right_answers()
        )
    with pytest.raises(PermissionDenied):
        webinar_services.question_ask(user=world.outsider, webinar=world.webinar, text="Still here?")
    assert not Enrollment.objects.filter(user=world.newcomer_out).exists()
    assert not Registration.objects.filter(user=world.newcomer_out).exists()
    assert not QuizAttempt.objects.filter(user=world.outsider).exists()


# --- What it costs ------------------------------------------------------------------------------------------------


def test_no_query_while_no_page_is_restricted(django_assert_num_queries):
    course = make_course(lessons=1)
    user = make_user()
    page_viewable(user, course)  # the kept look-up is read once per generation
    with django_assert_num_queries(0):
        assert page_viewable(user, course)
        assert only_viewable(CoursePage.objects.all(), user).query.where.children == []


def _extra_pages(count: int, group) -> None:
    for number in range(count):
        course = make_course(lessons=1, title=f"Extra course {number}")
        webinar = make_webinar(title=f"Extra webinar {number}", starts_in=timedelta(days=1 + number))
        if number % 2:
            restrict(course, group)
            restrict(webinar, group)


# The catalogue, the webinar index and the dashboard with pages restricted: the same number of queries for few and
# many pages and restrictions. Measured: 11, 9 and 20 (7, 5 and 16 with no page restricted: Wagtail's own check of
# the page served costs two, the rule two per listing: every restriction with its groups, and the person's groups;
# the field practice panel one, "has this person any practice").
CATALOGUE_QUERIES = 11
WEBINAR_INDEX_QUERIES = 9
DASHBOARD_QUERIES = 20


@pytest.mark.parametrize("extra", [0, 12])
def test_listings_with_restrictions_run_a_fixed_number_of_queries(world, django_assert_max_num_queries, extra):
    _extra_pages(extra, world.group)
    client = client_for(world.outsider)
    catalogue, webinars = world.course.get_parent().url, world.webinar.get_parent().url
    client.get(catalogue)
    client.get(webinars)  # warm the per-process look-ups (site, routes, menu)
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        page = client.get(catalogue).content.decode()
    assert "Open course" in page and "Circle-only course" not in page
    assert page.count("Extra course") == extra // 2
    with django_assert_max_num_queries(WEBINAR_INDEX_QUERIES):
        page = client.get(webinars).content.decode()
    assert "Open webinar" in page and "Circle-only webinar" not in page
    assert page.count("Extra webinar") == extra // 2
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        page = client.get(reverse("dashboard")).content.decode()
    assert "Open webinar" in page and "Circle-only" not in page


def test_reminder_mails_name_a_restricted_webinar_to_members_only(world):
    """Registered before the restriction: the outsider's reminders are not sent (no mail names the webinar)."""
    from django.core import mail

    from webinars import tasks

    Registration.objects.filter(webinar=world.webinar).update(created_at=world.webinar.start - timedelta(days=3))
    WebinarPage.objects.filter(pk=world.webinar.pk).update(start=timezone.now() + timedelta(minutes=50))
    for user in (world.insider, world.outsider):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    mail.outbox.clear()
    tasks.send_due_reminders.call()
    recipients = {address for message in mail.outbox for address in message.to}
    assert "insider@example.org" in recipients and "outsider@example.org" not in recipients
    assert all("Circle-only webinar" not in message.subject + message.body for message in mail.outbox
               if "outsider@example.org" in message.to)  # fmt: skip


def test_a_course_page_names_no_restricted_prerequisite(world):
    """The open course asks for the restricted one first: the outsider learns neither its title nor its address."""
    world.open_course.prerequisites.add(world.course)
    world.open_course.save_revision().publish()
    outsider = client_for(world.newcomer_out).get(world.open_course.url).content.decode()
    assert "Circle-only course" not in outsider and world.course.url not in outsider
    assert "A course that is not open to you" in outsider
    insider = client_for(world.newcomer_in).get(world.open_course.url).content.decode()
    assert "Circle-only course" in insider

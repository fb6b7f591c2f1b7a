"""Staff rights on a course or a webinar come from being its trainer or presenter AND a member of the Trainers group
(`lms.roles.may_act_as_trainer`, docs/roles.md). Someone removed from the group (or listed before the group was
required) keeps nothing from a course's `trainers` or a webinar's `presenters` list, on any path: the submission
file, the course report and its CSV, reviews, the trainer listings, the page rights in the admin, the room (page and
socket), moderation, transcripts and attendance. Since everyone the rule lets act is in a staff role, the staff
second factor covers them all."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from courses import services as course_services
from courses.models import AssignmentSubmission, CoursePage
from lms import roles
from lms.testing import make_user
from tests.courses.factories import assignment_block, lessons_of, make_course, pdf_upload
from tests.hardening.test_staff_mfa import SET_UP, add_totp, confirmed_client
from tests.webinars.conftest import room_hub_cleanup  # noqa: F401 (a fixture, for the socket tests)
from tests.webinars.factories import make_webinar
from tests.webinars.room import db, join, send
from webinars import services as webinar_services
from webinars.models import Question, WebinarPage

SYNC_DB = pytest.mark.django_db


@pytest.fixture
def staff_mfa(settings):
    settings.LMS_REQUIRE_STAFF_MFA = True


@pytest.fixture
def world(settings, tmp_path, staff_mfa):
    """A course with one learner's submitted file and a moderated webinar with a waiting question, both run by
    `trainer`, a member of the Trainers group."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    trainer = make_user(role=roles.TRAINERS, display_name="Dana the trainer")
    course = make_course(lessons=1, assignment=assignment_block(), trainers=[trainer], title="Budget advocacy")
    learner = make_user(display_name="Aigerim the learner")
    course_services.enrollment_create(user=learner, course=course)
    submission = course_services.assignment_submit(
        user=learner, lesson=lessons_of(course)[0], assignment_key="assignment-1", text="My answer", upload=pdf_upload()
    )
    webinar = make_webinar(presenters=[trainer], qa_mode=WebinarPage.QAMode.MODERATED)
    question = webinar_services.question_ask(user=learner, webinar=webinar, text="A waiting question")
    return SimpleNamespace(
        trainer=trainer, course=course, learner=learner, submission=submission, webinar=webinar, question=question
    )


def trainer_paths(w) -> dict[str, str]:
    """Every page that shows a course's trainer or a webinar's presenter other people's data."""
    return {
        "submission file": reverse("courses:submission_file", args=[w.submission.pk]),
        "course report": reverse("courses:course_report", args=[w.course.pk]),
        "course report CSV": reverse("courses:course_report_csv", args=[w.course.pk]),
        "review": reverse("courses:review", args=[w.submission.pk]),
        "transcript (md)": reverse("webinars:transcript_md", args=[w.webinar.pk]),
        "transcript (csv)": reverse("webinars:transcript_csv", args=[w.webinar.pk]),
        "attendance": reverse("webinars:attendance", args=[w.webinar.pk]),
    }


def fresh(user):
    """The person as the next request would load them (nothing cached on the instance)."""
    return type(user).objects.get(pk=user.pk)


def assert_no_trainer_rights(client: Client, w) -> None:
    person = fresh(w.trainer)
    served = {name: client.get(path).status_code for name, path in trainer_paths(w).items()}
    assert served == {
        "submission file": 404,  # the file's existence is not confirmed either
        "course report": 403,
        "course report CSV": 403,
        "review": 403,
        "transcript (md)": 403,
        "transcript (csv)": 403,
        "attendance": 403,
    }
    response = client.post(
        reverse("courses:review", args=[w.submission.pk]), {"decision": "approve", "feedback": "Fine by me."}
    )
    assert response.status_code == 403
    assert AssignmentSubmission.objects.get(pk=w.submission.pk).status == w.submission.status
    # The room is open to everyone signed in (no capacity), as an attendee: no moderation controls.
    response = client.get(reverse("webinars:room", args=[w.webinar.pk]))
    assert response.status_code == 200 and response.context["presenter"] is False
    # The listings and the services behind the admin's page rights.
    assert course_services.trainer_course_ids(user=person) == []
    assert not course_services.user_is_course_trainer(user=fresh(w.trainer), course=w.course)
    assert not webinar_services.user_is_presenter(user=fresh(w.trainer), webinar=w.webinar)
    with pytest.raises(PermissionDenied):
        webinar_services.question_moderate(
            user=fresh(w.trainer), webinar=w.webinar, question_id=w.question.pk, action="approve"
        )
    assert Question.objects.get(pk=w.question.pk).status == Question.Status.PENDING


@SYNC_DB
def test_a_trainer_removed_from_the_group_loses_every_trainer_path(world):
    """`revoke_role` leaves the course's and the webinar's lists as they are: the rule alone ends the rights. Not a
    staff role any more, the person is asked for no second factor, and gets nothing."""
    roles.revoke_role(world.trainer, roles.TRAINERS)
    assert CoursePage.objects.filter(pk=world.course.pk, trainers=world.trainer).exists()  # still listed
    client = Client()
    client.force_login(world.trainer)
    assert_no_trainer_rights(client, world)
    assert client.get(reverse("courses:trainer_courses")).status_code == 403
    assert client.get(reverse("courses:review_queue")).status_code == 403


@SYNC_DB
def test_a_trainer_who_became_a_certifier_loses_every_trainer_path_and_the_course_in_the_admin(world):
    """Still a staff role (certifier), with their second factor confirmed: the staff pages open, but being listed
    on the course and the webinar gives nothing without the Trainers group, in the site or in Wagtail's admin."""
    roles.grant_role(world.trainer, roles.CERTIFIERS)
    add_totp(world.trainer)
    client = confirmed_client(world.trainer)
    lesson = lessons_of(world.course)[0]
    edit_course = reverse("wagtailadmin_pages:edit", args=[world.course.pk])
    edit_lesson = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    add_lesson = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", world.course.pk])
    for url in (edit_course, edit_lesson, add_lesson):  # while in the group, their course is theirs to edit
        assert client.get(url).status_code == 200, url

    roles.revoke_role(world.trainer, roles.TRAINERS)
    assert_no_trainer_rights(client, world)
    for url in (edit_course, edit_lesson, add_lesson):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home"), url
    response = client.post(edit_course, {"title": "Taken over", "slug": world.course.slug, "action-publish": "1"})
    assert response.status_code in (302, 403)
    assert CoursePage.objects.get(pk=world.course.pk).title == "Budget advocacy"
    # The course is not in their explorer either.
    response = client.get(reverse("wagtailadmin_explore", args=[world.course.get_parent().pk]))
    assert response.status_code in (302, 403) or "Budget advocacy" not in response.content.decode()

    # Back in the group, the lists (kept as they were) count again.
    roles.grant_role(world.trainer, roles.TRAINERS)
    assert client.get(trainer_paths(world)["course report"]).status_code == 200
    assert client.get(edit_course).status_code == 200


@SYNC_DB
def test_a_trainer_in_the_group_without_totp_is_sent_to_set_it_up_on_every_trainer_path(world):
    client = Client()
    client.force_login(world.trainer)
    paths = {**trainer_paths(world), "room": reverse("webinars:room", args=[world.webinar.pk])}
    wrong = {}
    for name, path in paths.items():
        response = client.get(path)
        if response.status_code != 302 or not response["Location"].startswith(SET_UP):
            wrong[name] = (response.status_code, response.get("Location"))
    assert not wrong


@SYNC_DB
def test_the_rule_reads_the_groups_once_whatever_the_number_of_courses(world, django_assert_num_queries):
    courses = [world.course, *(make_course(lessons=0, trainers=[world.trainer]) for _ in range(3))]
    person = fresh(world.trainer)
    with django_assert_num_queries(1 + len(courses)):  # the groups once, then one question per course
        assert all(course_services.user_is_course_trainer(user=person, course=c) for c in courses)
    person = fresh(world.trainer)
    with django_assert_num_queries(2):  # the groups, then the course ids
        assert len(course_services.trainer_course_ids(user=person)) == len(courses)
    outsider = fresh(world.learner)
    with django_assert_num_queries(1):  # not in the group: no question about the courses at all
        assert course_services.trainer_course_ids(user=outsider) == []
        assert not course_services.user_is_course_trainer(user=outsider, course=world.course)


# --- The live room's socket ------------------------------------------------------------------------------------


@pytest.mark.parametrize("history", ["removed from the group", "never in the group"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("room_hub_cleanup")
async def test_a_presenter_outside_the_trainers_group_is_an_attendee_on_the_socket(staff_mfa, history):
    if history == "removed from the group":
        person = await db(make_user, role=roles.TRAINERS, display_name="Former trainer")
        await db(roles.revoke_role, person, roles.TRAINERS)
        person = await db(fresh, person)
    else:  # listed before presenters had to be trainers
        person = await db(make_user, display_name="Listed long ago")
    webinar = await db(make_webinar, presenters=[person], qa_mode=WebinarPage.QAMode.MODERATED)
    asker = await db(make_user, display_name="Asker Name")
    waiting = await db(webinar_services.question_ask, user=asker, webinar=webinar, text="pending secret")

    communicator, connected, _code, snapshot = await join(webinar, person)
    assert connected
    assert snapshot["role"] == "attendee"
    assert "pending secret" not in str(snapshot) and "Asker Name" not in str(snapshot)
    error = await send(communicator, {"type": "question.moderate", "question_id": waiting.pk, "action": "approve"})
    assert error["type"] == "error" and error["code"] == "forbidden"
    error = await send(communicator, {"type": "poll.open", "question": "Mine?", "choices": ["a", "b"]})
    assert error["type"] == "error" and error["code"] == "forbidden"
    assert (await db(Question.objects.get, pk=waiting.pk)).status == Question.Status.PENDING
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("room_hub_cleanup")
async def test_a_presenter_in_the_group_without_totp_is_refused_the_presenters_socket(staff_mfa):
    person = await db(make_user, role=roles.TRAINERS)
    webinar = await db(make_webinar, presenters=[person], qa_mode=WebinarPage.QAMode.MODERATED)
    communicator, connected, _code, _snapshot = await join(webinar, person, expect_snapshot=False)
    assert not connected
    await communicator.disconnect()

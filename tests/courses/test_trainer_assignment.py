"""Who trains a course (and who presents a webinar) is chosen by an administrator, never by the trainer; a trainer's
page rights in the Wagtail admin cover the courses they train and nothing else (courses/staffing.py).

Everything goes through the admin's own views with Django's test client, as a person would use them."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms import roles
from lms.testing import make_user
from tests.webinars.factories import webinar_admin_form
from webinars.models import WebinarIndexPage, WebinarPage

from .factories import course_index, lessons_of, make_course

pytestmark = pytest.mark.django_db


def trainers_of(course) -> set:
    return set(CoursePage.objects.get(pk=course.pk).trainers.values_list("pk", flat=True))


def give_trainers_group_the_course_tree() -> None:
    """What the demo (and docs/courses.md) used to set up: the whole Trainers group may add, edit and publish below
    the course index. The migration and the demo loader now remove these rows; some tests put them back to show
    that even then the trainers field is out of a trainer's reach."""
    group = Group.objects.get(name=roles.TRAINERS)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=["add_page", "change_page", "publish_page"]
    ):
        GroupPagePermission.objects.create(group=group, page=course_index(), permission=permission)


def course_form(course, *, trainers=None, action="action-publish", **changes) -> dict:
    data = nested_form_data(
        {
            "title": changes.get("title", course.title),
            "slug": course.slug,
            "track": course.track_id,
            "summary": changes.get("summary", course.summary),
            "outcomes": rich_text(course.outcomes or "<p>Outcomes.</p>"),
            "estimated_hours": str(course.estimated_hours),
            "pass_rule": course.pass_rule,
            "comments": inline_formset([]),
        }
    )
    if trainers is not None:
        data["trainers"] = [user.pk for user in trainers]
    if action:
        data[action] = action
    return data


def edit(client, page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


@pytest.fixture
def people():
    return {
        "admin": make_user(role="admin", display_name="Platform admin"),
        "own": make_user(role=roles.TRAINERS, display_name="Dana the trainer"),
        "other": make_user(role=roles.TRAINERS, display_name="Erlan the trainer"),
        "none": make_user(role=roles.TRAINERS, display_name="Farida with no course"),
        "learner": make_user(display_name="Aigerim the learner"),
    }


@pytest.fixture
def courses(people):
    mine = make_course(lessons=2, trainers=[people["own"]], title="Budget advocacy")
    theirs = make_course(lessons=1, trainers=[people["other"]], title="Street lawyers")
    return mine, theirs


# --- The trainers field -------------------------------------------------------------------------------------------


def test_a_trainer_cannot_make_themselves_trainer_of_another_course(client, people, courses):
    """The attack from the issue: with page rights on the course tree, a trainer with no course opens another
    course, ticks their own name under "Trainers" and publishes. The page is saved, the trainers are not."""
    _mine, theirs = courses
    give_trainers_group_the_course_tree()
    intruder = people["none"]
    client.force_login(intruder)

    response = client.post(edit(client, theirs), course_form(theirs, trainers=[intruder], summary="Edited."))
    assert response.status_code == 302
    assert CoursePage.objects.get(pk=theirs.pk).summary == "Edited."  # the edit itself went through
    assert trainers_of(theirs) == {people["other"].pk}  # before the fix: the intruder was added
    assert not services.user_is_course_trainer(user=intruder, course=theirs)
    assert client.get(reverse("courses:course_report", args=[theirs.pk])).status_code == 403

    form = client.get(edit(client, theirs))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="trainers"' not in html
    assert "Aigerim the learner" not in html  # no list of the site's accounts either


def test_an_administrator_chooses_trainers_among_the_trainers_group_only(client, people, courses):
    _mine, theirs = courses
    translation = make_course(lessons=0, language="ru", translation_of=theirs)
    client.force_login(people["admin"])

    html = client.get(edit(client, theirs)).content.decode()
    assert 'name="trainers"' in html
    assert "Farida with no course" in html and "Dana the trainer" in html
    assert "Aigerim the learner" not in html and "Platform admin" not in html

    response = client.post(edit(client, theirs), course_form(theirs, trainers=[people["other"], people["none"]]))
    assert response.status_code == 302
    assert trainers_of(theirs) == {people["other"].pk, people["none"].pk}
    assert trainers_of(translation) == trainers_of(theirs)  # one course in every language
    assert services.user_is_course_trainer(user=people["none"], course=theirs)
    entry = PageLogEntry.objects.get(page=theirs, action="courses.staff_changed")
    assert entry.user_id == people["admin"].pk and entry.data["added"] == [people["none"].pk]

    # A learner is not a trainer: the form refuses, nothing changes.
    response = client.post(edit(client, theirs), course_form(theirs, trainers=[people["learner"]]))
    assert response.status_code == 200
    assert "trainers" in response.context["form"].errors
    assert trainers_of(theirs) == {people["other"].pk, people["none"].pk}

    # Saving a draft applies too (trainers are not content: they take effect when saved, like a privacy setting).
    client.post(edit(client, theirs), course_form(theirs, trainers=[people["other"]], action=None))
    assert trainers_of(theirs) == {people["other"].pk}

    # A new course, with its trainers chosen in the same form.
    new = CoursePage(title="New course", slug="new-course", track=theirs.track, summary="New.")
    add = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", course_index().pk])
    assert client.post(add, course_form(new, trainers=[people["none"]])).status_code == 302
    assert trainers_of(CoursePage.objects.get(slug="new-course")) == {people["none"].pk}


def test_a_course_managers_group_can_be_given_the_right_to_assign(client, people, courses):
    _mine, theirs = courses
    manager = make_user(display_name="Course manager")
    group = Group.objects.create(name="Course managers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="assign_staff")
    )
    manager.groups.add(group)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=["add_page", "change_page", "publish_page"]
    ):
        GroupPagePermission.objects.create(group=group, page=course_index(), permission=permission)
    client.force_login(manager)
    assert client.post(edit(client, theirs), course_form(theirs, trainers=[people["none"]])).status_code == 302
    assert trainers_of(theirs) == {people["none"].pk}
    # ...and the service refuses anyone else, whatever calls it.
    with pytest.raises(services.PermissionDenied):
        services.page_staff_set(actor=people["own"], page=theirs, users=[people["own"]])


def test_a_revision_never_carries_trainers_whoever_publishes_it(client, people, courses):
    """A draft saved by a trainer, published later by an administrator, leaves the trainers as the administrator
    last chose them; so does an old revision (made before trainers left the content) published again."""
    mine, _theirs = courses
    trainer = people["own"]
    client.force_login(trainer)
    response = client.post(edit(client, mine), course_form(mine, summary="Draft by the trainer.", action=None))
    assert response.status_code == 302
    draft = CoursePage.objects.get(pk=mine.pk).latest_revision
    assert "trainers" not in draft.content

    services.page_staff_set(actor=people["admin"], page=mine, users=[people["other"]])
    draft.publish(user=people["admin"])
    published = CoursePage.objects.get(pk=mine.pk)
    assert published.summary == "Draft by the trainer."
    assert trainers_of(mine) == {people["other"].pk}

    # An old revision whose content lists trainers (as every revision did before): publishing it changes nothing.
    old = published.save_revision(user=people["admin"])
    old.content = {**old.content, "trainers": [trainer.pk, people["none"].pk]}
    old.save(update_fields=["content"])
    old.publish(user=people["admin"])
    assert trainers_of(mine) == {people["other"].pk}


# --- Page rights per course ---------------------------------------------------------------------------------------


def test_a_trainer_edits_and_publishes_only_the_courses_they_train(client, people, courses):
    mine, theirs = courses
    trainer = people["own"]
    client.force_login(trainer)

    assert client.get(edit(client, mine)).status_code == 200
    lesson = lessons_of(mine)[0]
    assert client.get(edit(client, lesson)).status_code == 200
    response = client.post(edit(client, mine), course_form(mine, summary="Published by its trainer."))
    assert response.status_code == 302
    assert CoursePage.objects.get(pk=mine.pk).summary == "Published by its trainer."
    add_lesson = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", mine.pk])
    assert client.get(add_lesson).status_code == 200

    for url in (
        edit(client, theirs),
        edit(client, lessons_of(theirs)[0]),
        reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", theirs.pk]),
        reverse("wagtailadmin_pages:add", args=["courses", "coursepage", course_index().pk]),  # no new courses
        reverse("wagtailadmin_pages:copy", args=[theirs.pk]),
        reverse("wagtailadmin_pages:delete", args=[lessons_of(theirs)[0].pk]),
        reverse("wagtailadmin_pages:move", args=[lessons_of(theirs)[0].pk]),
        reverse("wagtailadmin_pages:unpublish", args=[theirs.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home"), url
    response = client.post(edit(client, theirs), course_form(theirs, summary="Hijacked."))
    assert response.status_code in (302, 403)
    assert CoursePage.objects.get(pk=theirs.pk).summary != "Hijacked."

    # Moving a lesson of their own course into another course is refused as well.
    move = reverse("wagtailadmin_pages:move_confirm", args=[lesson.pk, theirs.pk])
    client.post(move)
    assert LessonPage.objects.get(pk=lesson.pk).get_parent().pk == mine.pk


def test_the_explorer_and_search_show_a_trainer_only_their_courses(client, people, courses):
    mine, theirs = courses
    second = make_course(lessons=0, trainers=[people["own"]], title="Second course")
    client.force_login(people["own"])
    listing = client.get(reverse("wagtailadmin_explore", args=[course_index().pk]))
    assert listing.status_code == 200
    assert {page.pk for page in listing.context["pages"]} == {mine.pk, second.pk}
    # Another course's lessons are not listed (its title is public anyway).
    other_listing = client.get(reverse("wagtailadmin_explore", args=[theirs.pk]))
    assert other_listing.status_code == 302 or not list(other_listing.context["pages"])
    found = client.get(reverse("wagtailadmin_pages:search"), {"q": "Street"})
    assert theirs.pk not in {page.pk for page in found.context["pages"]}

    client.force_login(people["none"])  # trains nothing: sees no course
    home = client.get(reverse("wagtailadmin_explore_root"))
    assert home.status_code in (200, 302)
    assert not CoursePage.objects.first().permissions_for_user(people["none"]).can_edit()


def test_a_trainer_may_not_delete_their_course_but_an_administrator_may(client, people):
    course = make_course(lessons=0, trainers=[people["own"]])
    client.force_login(people["own"])
    client.post(reverse("wagtailadmin_pages:delete", args=[course.pk]))
    assert CoursePage.objects.filter(pk=course.pk).exists()
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    client.post(f"{bulk}?id={course.pk}")
    assert CoursePage.objects.filter(pk=course.pk).exists()
    client.force_login(people["admin"])
    client.post(reverse("wagtailadmin_pages:delete", args=[course.pk]))
    assert not CoursePage.objects.filter(pk=course.pk).exists()


def test_rights_follow_the_assignment_in_every_language(people, courses):
    mine, theirs = courses
    translation = make_course(lessons=1, language="ru", translation_of=mine)
    trainer = people["own"]
    for page in (mine, lessons_of(mine)[0], translation, lessons_of(translation)[0]):
        assert page.permissions_for_user(trainer).can_publish()
    assert not theirs.permissions_for_user(trainer).can_edit()
    services.page_staff_set(actor=people["admin"], page=mine, users=[people["other"]])
    trainer = type(trainer).objects.get(pk=trainer.pk)  # a new request
    assert not mine.permissions_for_user(trainer).can_edit()
    assert not translation.permissions_for_user(trainer).can_edit()


def test_a_copy_of_a_course_starts_without_trainers(people, courses):
    mine, _theirs = courses
    copy = mine.copy(to=CourseIndexPage.objects.get(pk=course_index().pk), update_attrs={"slug": "copied"})
    assert trainers_of(copy) == set()


# --- Presenters ---------------------------------------------------------------------------------------------------


@pytest.fixture
def webinar(people, courses):
    from lms.testing import make_site

    home = make_site()["en"]
    index = WebinarIndexPage.objects.child_of(home).first() or home.add_child(
        instance=WebinarIndexPage(title="Webinars", slug="webinars")
    )
    start = timezone.now() + timedelta(days=1)
    page = WebinarPage(title="Budget questions", slug="budget-questions", start=start, end=start + timedelta(hours=1))
    page.presenters = [people["other"]]
    index.add_child(instance=page)
    group = Group.objects.get(name=roles.TRAINERS)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=["add_page", "change_page", "publish_page"]
    ):
        GroupPagePermission.objects.create(group=group, page=index, permission=permission)
    return page


def presenters_of(webinar) -> set:
    return set(WebinarPage.objects.get(pk=webinar.pk).presenters.values_list("pk", flat=True))


def test_a_trainer_cannot_make_themselves_presenter_and_an_administrator_can(client, people, webinar):
    intruder = people["none"]
    client.force_login(intruder)
    assert client.post(edit(client, webinar), webinar_admin_form(webinar, presenters=[intruder])).status_code == 302
    assert presenters_of(webinar) == {people["other"].pk}  # before the fix: the intruder was added
    assert client.get(reverse("webinars:attendance", args=[webinar.pk])).status_code == 403
    html = client.get(edit(client, webinar)).content.decode()
    assert 'name="presenters"' not in html and "Aigerim the learner" not in html

    client.force_login(people["admin"])
    html = client.get(edit(client, webinar)).content.decode()
    assert 'name="presenters"' in html and "Aigerim the learner" not in html
    response = client.post(edit(client, webinar), webinar_admin_form(webinar, presenters=[people["other"], intruder]))
    assert response.status_code == 302
    assert presenters_of(webinar) == {people["other"].pk, intruder.pk}
    # A later revision published again does not undo it.
    WebinarPage.objects.get(pk=webinar.pk).latest_revision.publish(user=people["admin"])
    assert presenters_of(webinar) == {people["other"].pk, intruder.pk}

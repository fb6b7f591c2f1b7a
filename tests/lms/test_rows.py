"""The hot reads written out as SQL (the session, the signed-in user, a lesson's enrolment, a certificate's first
check) give exactly what the ORM gives: the same fields, datetimes still aware, and nothing for what the ORM
would not find."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import Enrollment
from lms.auth_backends import AuthenticationBackend, ModelBackend
from lms.sessions import SessionStore
from lms.testing import make_user
from tests.courses.factories import assignment_block, lessons_of, make_course

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_a_session_is_read_as_djangos_store_reads_it():
    saved = DjangoSessionStore()
    saved["_auth_user_id"] = "42"
    saved["answer"] = {"q0": ["c1"]}
    saved.create()
    ours = SessionStore(saved.session_key)
    assert ours["_auth_user_id"] == "42" and ours["answer"] == {"q0": ["c1"]}
    row = ours._get_session_from_db()
    assert field_values(row) == field_values(Session.objects.get(session_key=saved.session_key))
    assert timezone.is_aware(row.expire_date)


def test_an_expired_or_unknown_session_is_empty_and_its_key_forgotten():
    expired = DjangoSessionStore()
    expired["_auth_user_id"] = "42"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (expired.session_key, "n0such5ession0key0000000000000000"):
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None  # a new key is made when it is saved: no session fixation


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_signed_in_user_is_the_one_the_orm_finds_and_only_if_active(backend):
    user = make_user(display_name="Aigerim", time_zone="Asia/Almaty")
    user.last_login = timezone.now()
    user.save()
    loaded = backend().get_user(user.pk)
    assert field_values(loaded) == field_values(get_user_model().objects.get(pk=user.pk))
    assert timezone.is_aware(loaded.date_joined) and timezone.is_aware(loaded.last_login)
    assert loaded.get_session_auth_hash() == user.get_session_auth_hash()  # the session stays valid
    assert backend().get_user(user.pk + 1000) is None
    user.is_active = False
    user.save()
    assert backend().get_user(user.pk) is None


def test_a_lessons_enrolment_is_the_one_the_orm_finds_with_whether_the_lesson_is_done_or_started():
    course = make_course(lessons=2, assignment=assignment_block())
    first, second = lessons_of(course)
    learner = make_user()
    course_services.enrollment_create(user=learner, course=course)
    course_services.lesson_complete(user=learner, lesson=first)
    done = course_selectors.enrollment_in_lesson(user_id=learner.pk, course=course, lesson=first)
    assert field_values(done) == field_values(Enrollment.objects.get(user=learner, course=course))
    assert done.lesson_done is True and timezone.is_aware(done.enrolled_at) and done.version == 1
    not_done = course_selectors.enrollment_in_lesson(user_id=learner.pk, course=course, lesson=second)
    assert not_done.lesson_done is False and not_done.lesson_started is False
    course_services.assignment_submit(user=learner, lesson=first, assignment_key="assignment-1", text="Goal")
    started = course_selectors.enrollment_in_lesson(user_id=learner.pk, course=course, lesson=first)
    assert started.lesson_started is True
    assert course_selectors.enrollment_in_lesson(user_id=make_user().pk, course=course, lesson=first) is None


def test_a_lesson_routed_to_is_the_one_the_orm_finds_in_that_course_with_its_page_fields():
    from courses.models import LessonPage, _lesson_at

    course, other = make_course(lessons=2), make_course(lessons=2)  # the same lesson slugs in both
    LessonPage.objects.child_of(course).order_by("path").last().save_revision().publish()
    expected = LessonPage.objects.child_of(course).order_by("path").last()
    found = _lesson_at(course, expected.slug)
    assert field_values(found) == field_values(expected) and found.path.startswith(course.path)
    assert timezone.is_aware(found.last_published_at) and list(found.body.raw_data) == list(expected.body.raw_data)
    assert found.get_parent().specific == course and found.url == expected.url
    assert _lesson_at(other, expected.slug).pk != expected.pk
    assert _lesson_at(course, "no-such-lesson") is None

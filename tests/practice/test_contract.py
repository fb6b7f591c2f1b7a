"""The contract other apps code against: models, the accepted-record selector, encryption of the text columns."""

import pytest
from django.db import connection
from django.utils import timezone

from lms.testing import make_user
from practice.models import CaseRecord, MonitoringVisit, Practice, RecordStatus
from practice.selectors import accepted_record_counts
from tests.courses.factories import make_course

pytestmark = pytest.mark.django_db


def _practice(course, kind=Practice.Kind.CASES):
    practice = Practice(course_page=course, kind=kind, title="Street lawyers")
    practice.full_clean()
    practice.save()
    return practice


def test_practice_belongs_to_every_language_of_its_course():
    course = make_course(lessons=1)
    practice = _practice(course)
    assert practice.course_key == course.translation_key


def test_accepted_record_counts_counts_accepted_and_erased_only(django_assert_num_queries):
    course, other_course = make_course(lessons=1), make_course(lessons=1)
    cases, visits, other = (
        _practice(course),
        _practice(course, Practice.Kind.MONITORING),
        _practice(other_course),
    )
    alice, bob = make_user(), make_user()
    now = timezone.now()
    CaseRecord.objects.create(author=alice, practice=cases, status=RecordStatus.ACCEPTED, accepted_at=now)
    CaseRecord.objects.create(
        author=alice, practice=cases, status=RecordStatus.ACCEPTED, accepted_at=now, erased_at=now
    )
    CaseRecord.objects.create(author=alice, practice=cases, status=RecordStatus.SUBMITTED)
    CaseRecord.objects.create(author=alice, practice=other, status=RecordStatus.ACCEPTED, accepted_at=now)
    MonitoringVisit.objects.create(author=alice, practice=visits, status=RecordStatus.ACCEPTED, accepted_at=now)
    MonitoringVisit.objects.create(author=bob, practice=visits, status=RecordStatus.RETURNED)

    with django_assert_num_queries(1):
        counts = accepted_record_counts()
    assert counts == {alice.pk: {"cases": 3, "visits": 1}}
    assert accepted_record_counts(user_ids=[bob.pk]) == {}
    assert accepted_record_counts(course_keys=[course.translation_key]) == {alice.pk: {"cases": 2, "visits": 1}}


def test_record_text_is_stored_encrypted_and_read_back():
    practice = _practice(make_course(lessons=1))
    record = CaseRecord.objects.create(
        author=make_user(), practice=practice, narrative="Officer Petrov beat him near the pharmacy"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM practice_caserecord WHERE id = %s", [record.pk])
        (stored,) = cursor.fetchone()
    assert "Petrov" not in stored and stored.startswith("gAAAA")
    assert CaseRecord.objects.get(pk=record.pk).narrative == "Officer Petrov beat him near the pharmacy"
    assert "Petrov" not in str(record) and "Petrov" not in repr(record)

"""Accepted records in bulk, for the reads of aggregates and the export (the review itself is tested with the
services in the other practice tests)."""

from datetime import date

from django.utils import timezone

from lms.testing import make_user
from practice.models import (
    CaseRecord,
    ChecklistAnswer,
    ChecklistItem,
    MonitoredService,
    MonitoringVisit,
    Practice,
    RecordStatus,
)
from tests.courses.factories import make_course


def make_practice(kind=Practice.Kind.CASES, course=None) -> Practice:
    course = course or make_course(lessons=1)
    practice = Practice(course_page=course, kind=kind, title=f"Practice of {course.title}")
    practice.full_clean()
    practice.save()
    return practice


def accepted_cases(practice, n, *, author=None, status=RecordStatus.ACCEPTED, **fields) -> list[CaseRecord]:
    author = author or make_user()
    values = {
        "incident_date": date(2026, 3, 14),
        "country": "UA",
        "city": "Odesa",
        "violation_type": "police_violence",
        "actor_kind": "police",
        "help_given": "lawyer",
        "consent_given": True,
        **fields,
    }
    now = timezone.now()
    accepted = {"accepted_at": now, "submitted_at": now} if status == RecordStatus.ACCEPTED else {}
    return CaseRecord.objects.bulk_create(
        [
            CaseRecord(
                author=author, practice=practice, status=status, narrative=f"secret story {i}", **accepted, **values
            )
            for i in range(n)
        ]
    )


def make_service(practice, *, kind="nsp", country="KZ", city="Taldykorgan", name="NSP 1") -> MonitoredService:
    return MonitoredService.objects.create(practice=practice, kind=kind, country=country, city=city, name=name)


def accepted_visits(practice, service, n, *, scores=(3, 1), author=None, visit_date=date(2026, 4, 2)) -> list:
    author = author or make_user()
    items = list(practice.checklist_items.all()) or [
        ChecklistItem.objects.create(practice=practice, text=f"Question {i}", order=i) for i in range(len(scores))
    ]
    now = timezone.now()
    visits = MonitoringVisit.objects.bulk_create(
        [
            MonitoringVisit(
                author=author,
                practice=practice,
                service=service,
                visit_date=visit_date,
                status=RecordStatus.ACCEPTED,
                submitted_at=now,
                accepted_at=now,
                notes="private notes",
            )
            for _ in range(n)
        ]
    )
    ChecklistAnswer.objects.bulk_create(
        [
            ChecklistAnswer(visit=v, item=item, score=score)
            for v in visits
            for item, score in zip(items, scores, strict=False)
        ]
    )
    return visits

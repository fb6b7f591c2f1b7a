"""The rules of field practice, through the services: drafts, submission, review, who may see and do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses import services as course_services
from lms import roles
from practice import services, signals
from practice.models import CaseRecord, ChecklistAnswer, MonitoredService, RecordStatus

from .factories import SECRET, accepted_case, complete_case_data, submitted_case

pytestmark = pytest.mark.django_db


def test_a_draft_saves_with_any_part_missing_and_is_finished_later(world):
    draft = services.case_save(user=world.learner, practice=world.cases, data={"city": "Odesa"})
    assert draft.status == RecordStatus.DRAFT and draft.submitted_at is None
    again = services.case_save(user=world.learner, record=draft, data={"narrative": SECRET})
    assert again.pk == draft.pk
    stored = CaseRecord.objects.get(pk=draft.pk)
    assert (stored.city, stored.narrative) == ("Odesa", SECRET)


def test_a_case_is_submitted_only_complete_and_with_consent(world):
    draft = services.case_save(
        user=world.learner, practice=world.cases, data=complete_case_data(consent_given=False, city="")
    )
    with pytest.raises(ValidationError) as error:
        services.case_save(user=world.learner, record=draft, data={}, submit=True)
    assert set(error.value.message_dict) == {"consent_given", "city"}
    assert CaseRecord.objects.get(pk=draft.pk).status == RecordStatus.DRAFT
    record = services.case_save(
        user=world.learner, record=draft, data={"consent_given": True, "city": "Odesa"}, submit=True
    )
    assert record.status == RecordStatus.SUBMITTED and record.submitted_at is not None


def test_only_the_courses_cohort_records(world):
    with pytest.raises(PermissionDenied):
        services.case_save(user=world.other, practice=world.cases, data={"city": "Kyiv"})
    with pytest.raises(ValidationError):  # a case in the monitoring practice
        services.case_save(user=world.learner, practice=world.monitoring, data={"city": "Kyiv"})
    # Enrolled in another language version of the course: the same cohort.
    from tests.courses.factories import make_course

    russian = make_course(lessons=1, language="ru", translation_of=world.course)
    course_services.enrollment_create(user=world.other, course=russian)
    assert services.case_save(user=world.other, practice=world.cases, data={"city": "Kyiv"}).author == world.other


def test_nobody_but_the_author_changes_a_record_and_not_after_submission(world):
    record = submitted_case(world)
    with pytest.raises(ValidationError):
        services.case_save(user=world.learner, record=record, data={"city": "Kyiv"})
    draft = services.case_save(user=world.learner, practice=world.cases, data={"city": "Odesa"})
    for intruder in (world.other, world.trainer, world.admin):
        with pytest.raises(PermissionDenied):
            services.case_save(user=intruder, record=draft, data={"city": "Kyiv"})
    assert CaseRecord.objects.get(pk=draft.pk).city == "Odesa"


def test_record_can_view_is_the_author_and_the_courses_trainers(world):
    record = submitted_case(world)
    allowed = {
        name: services.record_can_view(user=getattr(world, name), record=record)
        for name in ("learner", "other", "trainer", "trainer2", "certifier", "admin")
    }
    assert allowed == {
        "learner": True,
        "other": False,
        "trainer": True,
        "trainer2": False,
        "certifier": False,
        "admin": True,
    }
    roles.revoke_role(world.trainer, roles.TRAINERS)
    assert not services.record_can_view(user=world.trainer, record=record)


def test_return_needs_a_comment_then_the_author_changes_and_resubmits(world):
    record = submitted_case(world)
    with pytest.raises(ValidationError):
        services.record_review(reviewer=world.trainer, record=record, accept=False, comment="  ")
    returned = services.record_review(reviewer=world.trainer, record=record, accept=False, comment="Add the date")
    assert returned.status == RecordStatus.RETURNED and returned.review_comment == "Add the date"
    services.case_save(user=world.learner, record=returned, data={"city": "Mykolaiv"}, submit=True)
    assert CaseRecord.objects.get(pk=record.pk).status == RecordStatus.SUBMITTED


def test_only_a_trainer_of_the_course_reviews_and_never_their_own(world):
    record = submitted_case(world)
    for reviewer in (world.trainer2, world.certifier, world.other, world.learner):
        with pytest.raises(PermissionDenied):
            services.record_review(reviewer=reviewer, record=record, accept=True)
    # A trainer who is also in the cohort cannot accept their own record.
    course_services.enrollment_create(user=world.trainer, course=world.course)
    own = submitted_case(world, author=world.trainer)
    with pytest.raises(PermissionDenied):
        services.record_review(reviewer=world.trainer, record=own, accept=True)
    assert CaseRecord.objects.get(pk=record.pk).status == RecordStatus.SUBMITTED


def test_accepting_sends_record_accepted_once_after_commit(world, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, record, user, **kwargs):
        received.append((record.pk, user.pk))

    signals.record_accepted.connect(receiver)
    try:
        record = submitted_case(world)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            accepted = services.record_review(reviewer=world.trainer, record=record, accept=True)
        assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        signals.record_accepted.disconnect(receiver)
    assert received == [(record.pk, world.learner.pk)]
    assert accepted.accepted_at is not None and accepted.reviewer == world.trainer
    with pytest.raises(ValidationError):  # accepted is final
        services.record_review(reviewer=world.trainer, record=accepted, accept=False, comment="no")


def test_a_visit_scores_every_item_of_the_checklist(world):
    first, second = world.items
    visit = services.visit_save(
        user=world.learner, practice=world.monitoring, data={"service": world.service}, scores={first.pk: 3}
    )
    with pytest.raises(ValidationError):  # date missing, second item unanswered
        services.visit_save(user=world.learner, record=visit, data={}, scores={}, submit=True)
    import datetime

    visit = services.visit_save(
        user=world.learner,
        record=visit,
        data={"visit_date": datetime.date(2026, 4, 2), "notes": "Closed at 14:00"},
        scores={second.pk: None},
        submit=True,
    )
    assert visit.status == RecordStatus.SUBMITTED
    assert dict(ChecklistAnswer.objects.filter(visit=visit).values_list("item_id", "score")) == {
        first.pk: 3,
        second.pk: None,
    }


def test_a_visit_refuses_scores_out_of_range_foreign_items_and_services(world):
    other_service = MonitoredService.objects.create(
        practice=world.monitoring, name="Closed NSP", kind="nsp", country="UA", city="Kyiv", active=False
    )
    bad_inputs = [
        {"data": {}, "scores": {world.items[0].pk: 4}},
        {"data": {}, "scores": {999_999: 1}},
        {"data": {"service": other_service}, "scores": {}},
    ]
    for bad in bad_inputs:
        with pytest.raises(ValidationError):
            services.visit_save(user=world.learner, practice=world.monitoring, **bad)
    assert not ChecklistAnswer.objects.exists()


def test_only_drafts_are_deleted_by_their_author(world):
    draft = services.case_save(user=world.learner, practice=world.cases, data={"city": "Odesa"})
    with pytest.raises(PermissionDenied):
        services.record_delete_draft(user=world.other, record=draft)
    services.record_delete_draft(user=world.learner, record=draft)
    assert not CaseRecord.objects.filter(pk=draft.pk).exists()
    record = accepted_case(world)
    with pytest.raises(ValidationError):
        services.record_delete_draft(user=world.learner, record=record)


def test_only_the_courses_trainers_create_a_practice(world):
    with pytest.raises(PermissionDenied):
        services.practice_create(user=world.trainer2, course=world.course, kind="cases", title="Mine")
    with pytest.raises(PermissionDenied):
        services.practice_create(user=world.learner, course=world.course, kind="cases", title="Mine")

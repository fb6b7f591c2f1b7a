"""The practice demo: every state of a record in both kinds, reviewed through the services, counted on the demo
learner's street-lawyer checklist, and unchanged by a second load_demo."""

import pytest
from django.core.management import call_command

from certificates.eligibility import evaluate_user
from certificates.models import Level, RequirementKind
from practice.models import CaseRecord, ChecklistAnswer, MonitoredService, MonitoringVisit, Practice, RecordStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def counts() -> dict:
    models = (Practice, CaseRecord, MonitoringVisit, MonitoredService, ChecklistAnswer)
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_twice_gives_every_state_once_and_the_learner_counts_accepted_cases():
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first

    for model in (CaseRecord, MonitoringVisit):
        assert set(model.objects.values_list("status", flat=True)) == set(RecordStatus.values)
    returned = CaseRecord.objects.get(status=RecordStatus.RETURNED)
    assert returned.review_comment and returned.reviewer.username == "trainer"
    assert set(Practice.objects.values_list("kind", flat=True)) == {Practice.Kind.CASES, Practice.Kind.MONITORING}

    level = Level.objects.get(slug="street-lawyer")
    requirement = level.requirements.get(kind=RequirementKind.PRACTICE_ACCEPTED)
    assert (requirement.record_kind, requirement.count) == ("cases", 3)
    learner = CaseRecord.objects.filter(author__username="learner").first().author
    item = next(r for r in evaluate_user(learner).for_level(level.pk).requirements if r.requirement == requirement)
    assert (item.done, item.needed) == (2, 3)  # one more accepted case to go (the browser journey records it)

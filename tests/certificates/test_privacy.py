"""Account deletion: certificates stay verifiable without the person; the audit trail loses whom it was about."""

import pytest

from certificates import services
from certificates.models import AuditEntry, Certificate, NamePreference, QueueEntry
from lms.services import user_delete
from lms.testing import PASSWORD

from .conftest import LEVEL_HELD, make_level

pytestmark = pytest.mark.django_db


def test_deletion_drops_the_person_but_keeps_the_statement(certifier, learner):
    first = make_level()
    second = make_level(requirements=[{"kind": LEVEL_HELD, "required_level": first}])
    certificate = services.certificate_issue(actor=certifier, user=learner, level=first)
    services.name_preference_update(user=learner, source="pseudonym", pseudonym="Street Cat")
    services.progression_refresh(user_ids=[learner.pk])
    entry = QueueEntry.objects.get(user=learner, level=second)
    services.queue_reject(actor=certifier, entry=entry, reason="Aigerim told us she lives in Almaty")
    user_delete(user=learner, password=PASSWORD)

    certificate.refresh_from_db()
    assert certificate.holder is None and certificate.holder_name == "" and certificate.evidence == []
    assert certificate.holder_erased_at is not None and not certificate.is_revoked
    assert not QueueEntry.objects.exists() and not NamePreference.objects.exists()
    assert not AuditEntry.objects.filter(reason__contains="Almaty").exists()
    assert AuditEntry.objects.filter(actor=certifier).count() == 2  # the certifier's decisions stay accountable
    assert Certificate.objects.count() == 1

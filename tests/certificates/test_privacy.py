"""Account deletion: certificates stay verifiable without the person; the audit trail loses whom it was about."""

import pytest

from certificates import services
from certificates.models import AuditEntry, Certificate, NamePreference, QueueEntry
from lms.services import user_delete
from lms.testing import PASSWORD

from .conftest import GIVEN, LEVEL_HELD, make_level

pytestmark = pytest.mark.django_db


def test_deletion_drops_the_person_but_keeps_the_statement(certifier, learner):
    first = make_level()
    second = make_level(requirements=[{"kind": LEVEL_HELD, "required_level": first}])
    certificate = services.certificate_issue(actor=certifier, user=learner, level=first, outside_rules_reason=GIVEN)
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


def test_deletion_drops_the_reasons_written_on_the_persons_certificates(certifier, learner, client):
    outside = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason="Aigerim trained with us in Osh"
    )
    revoked = services.certificate_issue(actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN)
    services.certificate_revoke(actor=certifier, certificate=revoked, reason="Aigerim lent her code", public=True)
    user_delete(user=learner, password=PASSWORD)
    for certificate in (outside, revoked):
        certificate.refresh_from_db()
        assert "Aigerim" not in certificate.outside_rules_reason + certificate.revocation_reason
    html = client.get(f"/verify/{revoked.verification_code}/").content.decode()
    assert "Revoked" in html and "Aigerim" not in html and "lent" not in html


def test_the_export_lists_the_decisions_about_me_even_after_the_queue_entry_went(certifier, learner, client, site):
    from .conftest import make_reachable_level

    level = make_reachable_level(site, [learner], name="Community Advocate")
    services.progression_refresh(user_ids=[learner.pk])
    services.queue_reject(actor=certifier, entry=QueueEntry.objects.get(user=learner), reason="Attendance unclear")
    services.certificate_issue(actor=certifier, user=learner, level=level)  # later, it was issued after all
    assert not QueueEntry.objects.filter(user=learner).exists()
    from certificates.privacy import export

    decisions = export(learner)["decisions"]
    assert [(d["action"], d["reason"]) for d in decisions] == [("Rejected", "Attendance unclear"), ("Issued", "")]
    assert all(certifier.username not in str(d) for d in decisions)


def test_a_withdrawal_reads_in_the_visitors_language(learner, certifier, client):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN
    )
    from django.utils import translation

    with translation.override("ru"):
        services.certificate_withdraw(user=learner, certificate=certificate)
    assert "Withdrawn by the holder." in client.get(f"/verify/{certificate.verification_code}/").content.decode()
    ru = client.get(f"/ru/verify/{certificate.verification_code}/").content.decode()
    assert "Withdrawn by the holder." not in ru and "Отозван" in ru
    from certificates.privacy import export

    with translation.override("ru"):  # "Download my data", in the holder's language
        exported = export(learner)
    assert exported["certificates"][0]["revocation_reason"] == "Отозван владельцем."
    assert (exported["decisions"][-1]["action"], exported["decisions"][-1]["reason"]) == (
        "Отозван владельцем",
        "Отозван владельцем.",
    )


def test_withdrawals_recorded_in_the_holders_language_are_stored_untranslated(learner, certifier, client):
    """Migration 0007: a withdrawal stored as "Отозван владельцем." reads in each visitor's language again; a
    certifier's reason that happens to read the same is left as written."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("certificates.migrations.0007_withdrawal_reason_stored_untranslated")
    withdrawn, revoked = (
        services.certificate_issue(actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN)
        for _ in range(2)
    )
    services.certificate_withdraw(user=learner, certificate=withdrawn)
    services.certificate_revoke(actor=certifier, certificate=revoked, reason="Отозван владельцем.", public=True)
    Certificate.objects.filter(pk=withdrawn.pk).update(revocation_reason="Отозван владельцем.")  # as stored before
    AuditEntry.objects.filter(action="withdraw").update(reason="Отозван владельцем.")
    migration.store_untranslated(apps, None)
    withdrawn.refresh_from_db()
    revoked.refresh_from_db()
    assert withdrawn.revocation_reason == "Withdrawn by the holder."
    assert AuditEntry.objects.get(action="withdraw").reason == "Withdrawn by the holder."
    assert revoked.revocation_reason == "Отозван владельцем."  # a certifier's own words are theirs
    assert "Withdrawn by the holder." in client.get(f"/verify/{withdrawn.verification_code}/").content.decode()

"""Retention (text and files erased N months after acceptance), "Download my data" and "Delete my account", and
key rotation: what a person notices, and what the disk and the database still hold."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from practice import crypto, services
from practice.models import Attachment, CaseRecord, MonitoringVisit, RecordStatus
from practice.selectors import accepted_record_counts

from .factories import SECRET, accepted_case, complete_case_data, png_with_text, submitted_case

pytestmark = pytest.mark.django_db


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def _accepted_with_file(world, *, days_ago: int):
    draft = services.case_save(user=world.learner, practice=world.cases, data=complete_case_data())
    services.attachment_add(user=world.learner, record=draft, upload=png_with_text())
    services.case_save(user=world.learner, record=draft, data={}, submit=True)
    record = services.record_review(reviewer=world.trainer, record=draft, accept=True)
    CaseRecord.objects.filter(pk=record.pk).update(accepted_at=timezone.now() - timedelta(days=days_ago))
    return record


def test_retention_erases_text_and_files_of_old_accepted_records_and_keeps_the_counts(
    world, private_root, settings, django_capture_on_commit_callbacks
):
    settings.PRACTICE_RETENTION_MONTHS = 12
    old = _accepted_with_file(world, days_ago=370)
    recent = _accepted_with_file(world, days_ago=300)
    pending = submitted_case(world)
    assert len(_files(private_root)) == 2
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("practice_erase_expired", stdout=out)
    assert "Erased 1 records" in out.getvalue()
    erased = CaseRecord.objects.get(pk=old.pk)
    assert erased.erased_at is not None
    assert (erased.narrative, erased.actor_name, erased.consent_note, erased.place_detail) == ("", "", "", "")
    assert (erased.city, erased.country, erased.violation_type, erased.status) == (
        "Odesa",
        "UA",
        "police_violence",
        "accepted",
    )
    assert not Attachment.objects.filter(case_record=old).exists()
    assert len(_files(private_root)) == 1  # the recent record's file stays
    assert CaseRecord.objects.get(pk=recent.pk).narrative == SECRET
    assert CaseRecord.objects.get(pk=pending.pk).narrative == SECRET
    assert accepted_record_counts() == {world.learner.pk: {"cases": 2, "visits": 0}}
    # The author still sees the record, marked as erased.
    client = Client()
    client.force_login(world.learner)
    page = client.get(f"/practice/cases/{old.pk}/").content.decode()
    assert "erased" in page and SECRET not in page
    # Run again: nothing more to do.
    assert services.retention_erase_expired() == 0


def test_download_my_data_includes_the_authors_records_in_plaintext(world):
    accepted_case(world)
    services.visit_save(
        user=world.learner, practice=world.monitoring, data={"service": world.service, "notes": "No syringes"},
        scores={world.items[0].pk: 1},
    )  # fmt: skip
    client = Client()
    client.force_login(world.learner)
    export = json.loads(client.get("/account/export/").content)["practice"]
    case = export["case_records"][0]
    assert case["narrative"] == SECRET and case["status"] == "accepted" and case["consent_given"] is True
    visit = export["monitoring_visits"][0]
    assert visit["notes"] == "No syringes" and visit["scores"] == [
        {"question": "Open at the stated hours?", "score": 1}
    ]
    assert services.privacy_export(world.other) == {"case_records": [], "monitoring_visits": []}


def test_delete_my_account_erases_records_and_keeps_only_accepted_aggregates(
    world, private_root, django_capture_on_commit_callbacks
):
    record = _accepted_with_file(world, days_ago=1)
    draft = services.case_save(user=world.learner, practice=world.cases, data={"narrative": SECRET})
    services.attachment_add(user=world.learner, record=draft, upload=png_with_text())
    submitted_case(world)
    services.visit_save(user=world.learner, practice=world.monitoring, data={}, scores={})
    with django_capture_on_commit_callbacks(execute=True):
        world.learner.delete()
    remaining = list(CaseRecord.objects.all())
    assert [r.pk for r in remaining] == [record.pk]
    kept = remaining[0]
    assert kept.author is None and kept.erased_at is not None and kept.narrative == ""
    assert (kept.country, kept.city, kept.status) == ("UA", "Odesa", RecordStatus.ACCEPTED)
    assert not MonitoringVisit.objects.exists()
    assert not Attachment.objects.exists() and _files(private_root) == []


def test_rotation_re_encrypts_everything_with_the_new_key(world, private_root, settings):
    old_key = settings.PRACTICE_ENCRYPTION_KEYS[0]
    record = submitted_case(world)
    draft = services.case_save(user=world.learner, practice=world.cases, data={"narrative": "second"})
    attachment = services.attachment_add(user=world.learner, record=draft, upload=png_with_text())
    plain_file = services.attachment_read(user=world.learner, attachment=attachment)

    def stored_narrative():
        with connection.cursor() as cursor:
            cursor.execute("SELECT narrative FROM practice_caserecord WHERE id = %s", [record.pk])
            return cursor.fetchone()[0]

    before = stored_narrative()
    new_key = crypto.derive_key("the new key")
    settings.PRACTICE_ENCRYPTION_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("practice_rotate_keys", stdout=out)
    assert "Re-encrypted" in out.getvalue() and " 1 files" in out.getvalue()
    assert stored_narrative() != before
    # The old key can go: everything reads with the new one alone.
    settings.PRACTICE_ENCRYPTION_KEYS = [new_key]
    assert CaseRecord.objects.get(pk=record.pk).narrative == SECRET
    attachment = Attachment.objects.get(pk=attachment.pk)
    assert services.attachment_read(user=world.learner, attachment=attachment) == plain_file
    assert attachment.original_name == "scan.png"
    assert len(_files(private_root)) == 1  # the old ciphertext file is gone
    # Run again: nothing left to re-encrypt.
    assert services.rotate_keys() == {"values": 0, "files": 0}

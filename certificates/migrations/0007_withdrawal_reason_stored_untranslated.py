"""Withdrawals recorded before the reason was stored untranslated hold it in the holder's language ("Отозван
владельцем."): store the platform's own text, which each reader's page translates (Certificate.revocation_reason_shown).
A withdrawal is known by its audit row, whatever language its reason was written in."""

from django.db import migrations

WITHDRAWN_BY_HOLDER = "Withdrawn by the holder."  # models.WITHDRAWN_BY_HOLDER, frozen here


def store_untranslated(apps, schema_editor):
    AuditEntry = apps.get_model("certificates", "AuditEntry")
    Certificate = apps.get_model("certificates", "Certificate")
    withdrawals = AuditEntry.objects.filter(action="withdraw")
    withdrawals.exclude(reason="").update(reason=WITHDRAWN_BY_HOLDER)
    # A deleted account's certificate had its reason blanked (privacy): it stays blank.
    Certificate.objects.filter(pk__in=withdrawals.values("certificate_id")).exclude(revocation_reason="").update(
        revocation_reason=WITHDRAWN_BY_HOLDER
    )


class Migration(migrations.Migration):
    dependencies = [("certificates", "0006_printed_texts_refuse_control_characters")]

    operations = [migrations.RunPython(store_untranslated, migrations.RunPython.noop)]

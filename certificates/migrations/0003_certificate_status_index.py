"""Certificates get a stored position in the revocation status list; those issued so far keep their id, which
is the position their credentials already point to."""

from django.db import migrations, models
from django.db.models import F


def keep_the_ids(apps, schema_editor):
    apps.get_model("certificates", "Certificate").objects.update(status_index=F("pk"))


class Migration(migrations.Migration):
    dependencies = [("certificates", "0002_certifier_permissions")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(keep_the_ids, migrations.RunPython.noop),
    ]

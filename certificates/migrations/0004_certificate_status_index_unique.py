from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certificates", "0003_certificate_status_index")]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(editable=False, unique=True),
        ),
    ]

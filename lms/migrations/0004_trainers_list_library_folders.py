"""Trainers browse the material library's folders (django-filer's directory-listing permission)."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="filer", codename="can_use_directory_listing")
    Group.objects.get(name="Trainers").permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get(name="Trainers").permissions.remove(
        *apps.get_model("auth", "Permission").objects.filter(codename="can_use_directory_listing")
    )


class Migration(migrations.Migration):
    dependencies = [("lms", "0003_roles")]

    operations = [migrations.RunPython(grant, revoke)]

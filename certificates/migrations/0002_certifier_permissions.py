"""Give the Certifiers role the certificates app's permissions; the audit log and serial counters stay read-only."""

from django.db import migrations


def grant(apps, schema_editor):

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)
    group, _created = Group.objects.get_or_create(name="Certifiers")
    group.permissions.add(*_permissions(Permission))


def _permissions(Permission):
    return Permission.objects.filter(content_type__app_label="certificates").exclude(
        content_type__model__in=["auditentry", "serialcounter"], codename__regex=r"^(add|change|delete)_"
    )


def ensure_permissions(apps):
    """Permissions are normally created after migrate; create them now so that the group can hold them."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("certificates")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Certifiers"):
        group.permissions.remove(*_permissions(Permission))


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("lms", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

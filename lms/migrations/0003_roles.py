"""Create the three roles with their base permissions. Later apps add their own permissions to these groups."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "Learners": [],
    "Trainers": [
        ("wagtailadmin", "admin", "access_admin"),
        ("filer", "file", "add_file"),
        ("filer", "file", "change_file"),
        ("filer", "file", "view_file"),
        ("filer", "folder", "add_folder"),
        ("filer", "folder", "change_folder"),
        ("filer", "folder", "view_folder"),
        ("filer", "image", "add_image"),
        ("filer", "image", "change_image"),
        ("filer", "image", "view_image"),
        ("filer", "clipboard", "add_clipboard"),
        ("filer", "clipboard", "change_clipboard"),
        ("filer", "clipboard", "view_clipboard"),
    ],
    "Certifiers": [
        ("wagtailadmin", "admin", "access_admin"),
    ],
}


def ensure_permissions(apps):
    """Permissions are normally created after migrate; create them now so that groups can hold them."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in perms:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_homepage"),
        ("wagtailadmin", "0006_formstate"),
        ("filer", "0018_alter_file_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

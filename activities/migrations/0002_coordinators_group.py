"""The Coordinators group: every permission on the network's records and on user accounts.

Permissions are normally created after all migrations run; they are created here first so the
group gets them on a fresh database. Reversible: the reverse deletes the group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coordinators"
APPS = ["partners", "activities", "auth", "axes"]


def create_group(apps, schema_editor):
    for app_label in APPS:
        try:
            app_config = apps.get_app_config(app_label)
        except LookupError:
            continue
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
        ("partners", "0002_membership_period_rules"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]

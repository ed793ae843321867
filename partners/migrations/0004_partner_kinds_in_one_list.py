"""Cities, networks and institutions are the partner list filtered by kind: the three proxy
models that gave them admin sections go, with their content types and permissions (the
Coordinators group's links to those permissions go with them)."""

from django.db import migrations

PROXIES = ["city", "network", "institution"]


def remove_proxy_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="partners", model__in=PROXIES
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partners", "0003_private_upload_names"),
    ]

    operations = [
        migrations.DeleteModel(name="City"),
        migrations.DeleteModel(name="Institution"),
        migrations.DeleteModel(name="Network"),
        # Going back, post_migrate creates the content types and permissions again.
        migrations.RunPython(remove_proxy_content_types, migrations.RunPython.noop),
    ]

from django.db import migrations, models
from django.db.models import F


def reported_status_for_the_public_too(apps, schema_editor):
    # Periods closed before this field existed: the public figure's status is taken as the
    # reported one (the best known; it differs only where hidden records were counted).
    ReportedFigure = apps.get_model("results", "ReportedFigure")
    ReportedFigure.objects.update(public_status=F("status"))


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportedfigure",
            name="public_status",
            field=models.CharField(
                choices=[
                    ("exceeded", "Target met or exceeded"),
                    ("on_track", "On track"),
                    ("behind", "Behind"),
                    ("no_target", "No target"),
                    ("no_value", "No value yet"),
                ],
                default="",
                max_length=10,
                verbose_name="status (public records)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalreportedfigure",
            name="public_status",
            field=models.CharField(
                choices=[
                    ("exceeded", "Target met or exceeded"),
                    ("on_track", "On track"),
                    ("behind", "Behind"),
                    ("no_target", "No target"),
                    ("no_value", "No value yet"),
                ],
                default="",
                max_length=10,
                verbose_name="status (public records)",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(reported_status_for_the_public_too, migrations.RunPython.noop),
    ]

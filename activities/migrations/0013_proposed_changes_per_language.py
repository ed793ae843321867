# Proposed changes stored before texts had a column per language name ``title``, ``summary``…
# in their snapshots. Those texts were Spanish (0011 moved them into the ``_es`` columns): the
# snapshots now name the columns and the original language, as activities/review.py writes
# them, so pending changes still open, show their diff and apply.

from django.db import migrations

LANGUAGES = ["es", "pt", "fr", "en"]
TEXTS = {"activity": ["title", "summary", "venue_name"], "resource": ["title", "description"]}


def per_language(snapshot, names):
    """The snapshot with its texts per language; False when it already has them."""
    fields = (snapshot or {}).get("fields")
    if not fields or "original_language" in fields:
        return False
    renamed = {"original_language": "es"}
    for name, value in fields.items():
        if name in names:
            renamed |= {f"{name}_{language}": "" for language in LANGUAGES}
            renamed[f"{name}_es"] = value
        else:
            renamed[name] = value
    snapshot["fields"] = renamed
    return True


def forwards(apps, schema_editor):
    for model_name in ("ProposedChange", "HistoricalProposedChange"):
        model = apps.get_model("activities", model_name)
        for change in model.objects.all().iterator():  # a few rows: one per staff edit
            names = TEXTS["activity" if change.activity_id else "resource"]
            moved = [per_language(change.base, names), per_language(change.proposed, names)]
            if any(moved):
                change.save(update_fields=["base", "proposed"])


class Migration(migrations.Migration):
    dependencies = [("activities", "0012_search")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

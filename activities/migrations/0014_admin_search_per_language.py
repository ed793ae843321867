# The admin's activity search (icontains: UPPER(column) LIKE '%WORD%') reads every language's
# title and summary since 0011; PostgreSQL dropped 0004's trigram indexes of the old columns
# with them. The same indexes, one per language's column; other databases simply scan.

from django.db import migrations

LANGUAGES = ["es", "pt", "fr", "en"]
TRIGRAM_COLUMNS = {
    f"activities_activity_{name}_{language}_trgm": f"{name}_{language}"
    for name in ("title", "summary")
    for language in LANGUAGES
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON activities_activity "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("activities", "0013_proposed_changes_per_language")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]

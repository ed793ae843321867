# Search in every language (allas/search.py), PostgreSQL only: a text search configuration per
# site language that folds accents (unaccent) before the language's stemmer, and two GIN indexes
# per language over the partners' words: all the texts searched (which partners match) and the
# names (which rank first). SQLite searches without them.
#
# The indexes' expressions are written out here as they were when the indexes were built:
# allas/search.py must build the same ones, or the planner stops using them
# (tests/allas/test_search.py checks it); a change there needs a new migration that rebuilds them.

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

DICTIONARIES = {"es": "spanish", "pt": "portuguese", "fr": "french", "en": "english"}


def create_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # unaccent is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for language, dictionary in DICTIONARIES.items():
        schema_editor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION allas_{language} (COPY = pg_catalog.{dictionary})"
        )
        # hword, hword_part and word are the tokens holding non-ASCII letters.
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION allas_{language} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary}_stem"
        )


def drop_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in DICTIONARIES:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS allas_{language}")
    # The unaccent extension stays: it holds no data and may serve others.


def document(columns, language):
    """allas.search.document as it was when these indexes were built."""
    return SearchVector(*columns, config=f"allas_{language}")


def search_indexes(app_label, model_name, heading, body):
    """RunPython functions creating and dropping, on PostgreSQL, two GIN indexes per language:
    over the document of ``heading(language) + body(language)`` (columns) and over that of
    ``heading(language)`` alone."""

    def indexes(apps):
        model = apps.get_model(app_label, model_name)
        table = model._meta.db_table
        for language in DICTIONARIES:
            everything = heading(language) + body(language)
            yield model, GinIndex(document(everything, language), name=f"{table}_search_{language}")
            yield model, GinIndex(
                document(heading(language), language), name=f"{table}_heading_{language}"
            )

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for model, index in indexes(apps):
                schema_editor.add_index(model, index)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for model, index in indexes(apps):
                schema_editor.remove_index(model, index)

    return create, drop


def partner_heading(language):
    return ["name", "short_name", f"official_name_{language}", f"official_short_name_{language}"]


def partner_body(language):
    return [f"description_{language}"]


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0006_translated_texts"),
    ]

    operations = [
        migrations.RunPython(create_configurations, drop_configurations),
        migrations.RunPython(*search_indexes("partners", "partner", partner_heading, partner_body)),
    ]

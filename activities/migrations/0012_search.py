# Search in every language (allas/search.py), PostgreSQL only: two GIN indexes per language over
# the words of activities and of resources (all texts searched; the title alone), in the text
# search configurations of partners/0007 (which also explains why the expressions are written
# out here).

import importlib

from django.db import migrations

partners_search = importlib.import_module("partners.migrations.0007_search")


def title(language):
    return [f"title_{language}"]


def activity_body(language):
    return [f"summary_{language}", f"description_{language}"]


def resource_body(language):
    return [f"description_{language}"]


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0011_translated_texts"),
        ("partners", "0007_search"),
    ]

    operations = [
        migrations.RunPython(
            *partners_search.search_indexes("activities", "activity", title, activity_body)
        ),
        migrations.RunPython(
            *partners_search.search_indexes("activities", "resource", title, resource_body)
        ),
    ]

"""The API's JSON, written from the table definitions of opendata/tables.py: the same columns,
types and rules as the downloads, with each translated text given twice — in the requested
language (``title``, with the pages' fallback) and by language (``title_translations``) — and
with the nested records of a row (an activity's organisers) added by the view."""

from django.utils import translation
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

from allas.translation import LANGUAGE_CODES, active_language
from opendata.tables import DATE, DATETIME, INTEGER, NUMBER, Column, LinkList

TRANSLATIONS_SUFFIX = "_translations"

OPENAPI_TYPES = {
    INTEGER: OpenApiTypes.INT,
    NUMBER: OpenApiTypes.NUMBER,
    DATE: OpenApiTypes.DATE,
    DATETIME: OpenApiTypes.DATETIME,
}


class Nested:
    """Records listed inside each row (``organisers`` of an activity): ``fetch(pks)`` gives
    ``{row pk: [dict, …]}`` for a page of rows in one query; ``fields`` names and types them
    for the schema."""

    def __init__(self, name, description, fetch, fields):
        self.name, self.description, self.fetch, self.fields = name, description, fetch, fields


class TableSerializer(serializers.BaseSerializer):
    """Rows of ``table`` (dicts from ``Table.rows``) as JSON. Subclassed per table by
    ``for_table``; read-only."""

    table = None
    nested = ()

    @classmethod
    def for_table(cls, table, nested=()):
        name = "".join(part.title() for part in table.name.split("_"))
        return type(f"{name}Serializer", (cls,), {"table": table, "nested": tuple(nested)})

    def to_representation(self, row):
        language = active_language()
        data = {}
        for column in self.table.columns:
            if isinstance(column, LinkList):
                data[column.name] = row[column.name]
            elif column.translated:
                data[column.name] = column.text(row, language)
                data[column.name + TRANSLATIONS_SUFFIX] = column.texts(row)
            else:
                data[column.name] = column.value(row)
        for nested in self.nested:
            data[nested.name] = row.get(nested.name, [])
        return data


def add_nested(rows, nested):
    """Fills each row's nested lists: one query per kind for the whole page."""
    pks = [row["pk"] for row in rows]
    for item in nested:
        found = item.fetch(pks) if pks else {}
        for row in rows:
            row[item.name] = found.get(row["pk"], [])
    return rows


def column_schema(column):
    if isinstance(column, LinkList):
        return build_array_type(build_basic_type(OpenApiTypes.STR))
    schema = build_basic_type(OPENAPI_TYPES.get(column.type, OpenApiTypes.STR))
    with translation.override("en"):
        schema["description"] = str(column.description)
    if column.enum:
        schema["enum"] = list(column.enum)
    if not column.required:
        schema["nullable"] = True
    return schema


class TableSerializerExtension(OpenApiSerializerExtension):
    """The OpenAPI schema of a table's rows, from its column definitions."""

    target_class = TableSerializer
    match_subclasses = True

    def get_name(self, auto_schema, direction):
        return self.target.table.name.title().replace("_", "")

    def map_serializer(self, auto_schema, direction):
        table = self.target.table
        properties = {}
        for column in table.columns:
            schema = column_schema(column)
            if isinstance(column, Column) and column.translated:
                properties[column.name] = build_basic_type(OpenApiTypes.STR)
                properties[column.name]["description"] = schema["description"] + (
                    " In the requested language (?lang=), else the original language."
                    if column.fallback
                    else " In the requested language (?lang=); empty where there is none."
                )
                properties[column.name + TRANSLATIONS_SUFFIX] = build_object_type(
                    properties={
                        code: build_basic_type(OpenApiTypes.STR) for code in LANGUAGE_CODES
                    },
                    description="The text in each language (empty where not translated).",
                )
            else:
                properties[column.name] = schema
        for nested in self.target.nested:
            item = build_object_type(
                properties={
                    name: build_basic_type(OPENAPI_TYPES.get(kind, OpenApiTypes.STR))
                    for name, kind in nested.fields.items()
                }
            )
            properties[nested.name] = build_array_type(item)
            properties[nested.name]["description"] = nested.description
        required = [column.name for column in table.columns if getattr(column, "required", False)]
        return build_object_type(properties=properties, required=required)

"""What the downloads hold, for machines: the Frictionless Data Package (``datapackage.json``,
https://specs.frictionlessdata.io/data-package/) and the DCAT-AP catalogue in JSON-LD
(``catalog.jsonld``, for EU open-data portals). Both are written from the tables of
opendata/tables.py, so a column is described where it is defined.

The package is in English (the language of the CSV headers); the catalogue gives titles and
descriptions in every language of the site, tagged with their language.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from allas.translation import LANGUAGE_CODES, LANGUAGE_NAMES
from opendata.tables import LICENCE, TABLES

# The language of the machine files: their headers and descriptions.
MACHINE_LANGUAGE = "en"

PACKAGE_NAME = "al-las-network"
PACKAGE_TITLE = _("AL-LAs Network: partners, agreements and activities")
PACKAGE_DESCRIPTION = _(
    "The public records of the Euro-Latin-American Alliance of Cooperation among Cities "
    "(AL-LAs Network): its partners, memberships, agreements, activities, participations, "
    "resources and themes, as its public pages show them."
)
PUBLISHER = _("AL-LAs Network")

GEOJSON_NAME = "partners.geojson"
GEOJSON_TITLE = _("Partners on the map")
GEOJSON_DESCRIPTION = _(
    "The public partners that have a location, as a GeoJSON FeatureCollection (RFC 7946: WGS "
    "84, longitude first), with their identifier, profile, names, kind, country and place."
)
DATA_PACKAGE_NAME = "datapackage.json"
CATALOGUE_NAME = "catalog.jsonld"

CSV_MEDIA_TYPE = "text/csv"
GEOJSON_MEDIA_TYPE = "application/geo+json"

# Controlled vocabularies of DCAT-AP (EU Publications Office) and the IANA media types.
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
LANGUAGE_AUTHORITY = {"es": "SPA", "pt": "POR", "fr": "FRA", "en": "ENG"}
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
JSON_LD_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def csv_name(table):
    return f"{table.name}.csv"


def download_url(name):
    """The absolute address of a download (``partners.csv``, ``partners.geojson``...)."""
    if name.endswith(".csv"):
        path = reverse("data:table-csv", kwargs={"table": name.removesuffix(".csv")})
    else:
        path = reverse("data:" + URL_NAMES[name])
    return settings.SITE_URL + path


URL_NAMES = {
    GEOJSON_NAME: "partners-geojson",
    DATA_PACKAGE_NAME: "datapackage",
    CATALOGUE_NAME: "catalogue",
}


# The data package ---------------------------------------------------------------------------


def field_descriptors(column):
    """The Table Schema fields of a column: one per language for a translated one."""
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    # An empty cell is a missing value (missingValues), never checked against the list.
    enum = [value for value in column.enum if value != ""]
    if enum:
        constraints["enum"] = enum
    base = {"type": column.type}
    if column.format:
        base["format"] = column.format
    if constraints:
        base["constraints"] = constraints
    if getattr(column, "translated", False):
        # The text in the original language is required, not each translation.
        base.pop("constraints", None)
        return [
            {
                "name": f"{column.name}_{language}",
                "description": f"{column.description} ({LANGUAGE_NAMES[language]})",
                **base,
            }
            for language in LANGUAGE_CODES
        ]
    return [{"name": column.name, "description": str(column.description), **base}]


def foreign_key(column, table, referenced):
    return {"fields": column, "reference": {"resource": table, "fields": referenced}}


def table_schema(table):
    fields = [field for column in table.columns for field in field_descriptors(column)]
    schema = {"fields": fields, "missingValues": [""], "primaryKey": table.primary_key}
    if table.foreign_keys:
        schema["foreignKeys"] = [foreign_key(*key) for key in table.foreign_keys]
    return schema


def table_resource(table):
    return {
        "name": table.name,
        "path": csv_name(table),
        "title": str(table.title),
        "description": str(table.description),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": CSV_MEDIA_TYPE,
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "licenses": [LICENCE],
        "schema": table_schema(table),
    }


def data_package():
    """The descriptor of every download. Paths are relative ("partners.csv"), so the package
    validates against downloaded copies as well as at its address."""
    with translation.override(MACHINE_LANGUAGE):
        return {
            # Not "tabular-data-package": the GeoJSON is one of its resources.
            "profile": "data-package",
            "name": PACKAGE_NAME,
            "title": str(PACKAGE_TITLE),
            "description": str(PACKAGE_DESCRIPTION),
            "homepage": open_data_page(MACHINE_LANGUAGE),
            "licenses": [LICENCE],
            "sources": [{"title": str(PUBLISHER), "path": settings.SITE_URL + "/"}],
            "resources": [
                *(table_resource(table) for table in TABLES),
                {
                    "name": "partners-map",
                    "path": GEOJSON_NAME,
                    "title": str(GEOJSON_TITLE),
                    "description": str(GEOJSON_DESCRIPTION),
                    "profile": "data-resource",
                    "format": "geojson",
                    "mediatype": GEOJSON_MEDIA_TYPE,
                    "encoding": "utf-8",
                    "licenses": [LICENCE],
                },
            ],
        }


# The DCAT-AP catalogue ---------------------------------------------------------------------


def open_data_page(language):
    with translation.override(language):
        return settings.SITE_URL + reverse("opendata:open-data")


def in_every_language(text):
    """A translatable text as JSON-LD strings tagged with their language: English, and each
    language it is translated into (an untranslated text would be English tagged otherwise)."""
    with translation.override(MACHINE_LANGUAGE):
        english = str(text)
    values = []
    for language in LANGUAGE_CODES:
        with translation.override(language):
            value = str(text)
        if language == MACHINE_LANGUAGE or value != english:
            values.append({"@language": language, "@value": value})
    return values


def ref(url):
    return {"@id": url}


def media_type(name):
    return ref(IANA_MEDIA_TYPES + name)


def file_type(name):
    return ref(f"{EU_AUTHORITY}file-type/{name}")


def distribution(name, *, title, media, file_format):
    url = download_url(name)
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": in_every_language(title),
        "dcat:accessURL": ref(url),
        "dcat:downloadURL": ref(url),
        "dcat:mediaType": media_type(media),
        "dct:format": file_type(file_format),
        "dct:license": ref(LICENCE["path"]),
    }


def dataset(table, publisher):
    distributions = [
        {
            **distribution(
                csv_name(table), title=table.title, media=CSV_MEDIA_TYPE, file_format="CSV"
            ),
            # The columns, their types and keys: the table's schema in the data package.
            "dct:conformsTo": ref(download_url(DATA_PACKAGE_NAME)),
        }
    ]
    if table.name == "partners":
        distributions.append(
            distribution(
                GEOJSON_NAME,
                title=GEOJSON_TITLE,
                media=GEOJSON_MEDIA_TYPE,
                file_format="GEOJSON",
            )
        )
    return {
        "@id": f"{download_url(CATALOGUE_NAME)}#{table.name}",
        "@type": "dcat:Dataset",
        "dct:identifier": table.name,
        "dct:title": in_every_language(table.title),
        "dct:description": in_every_language(table.description),
        "dct:publisher": publisher,
        "dct:license": ref(LICENCE["path"]),
        "dcat:landingPage": ref(open_data_page(MACHINE_LANGUAGE)),
        "dcat:distribution": distributions,
    }


def catalogue(modified=None):
    """The DCAT-AP catalogue: a dataset per table (its CSV, and for the partners the GeoJSON)
    and the API as a data service. ``modified``: when the content last changed (now, since a
    catalogue is written once per content version)."""
    modified = modified or timezone.now()
    url = download_url(CATALOGUE_NAME)
    publisher = {
        "@id": settings.SITE_URL + "/",
        "@type": "foaf:Agent",
        "foaf:name": in_every_language(PUBLISHER),
    }
    datasets = [dataset(table, publisher) for table in TABLES]
    api = settings.SITE_URL + reverse("api:api-root")
    return {
        "@context": JSON_LD_CONTEXT,
        "@id": url,
        "@type": "dcat:Catalog",
        "dct:title": in_every_language(PACKAGE_TITLE),
        "dct:description": in_every_language(PACKAGE_DESCRIPTION),
        "dct:publisher": publisher,
        "dct:license": ref(LICENCE["path"]),
        "dct:language": [
            ref(f"{EU_AUTHORITY}language/{LANGUAGE_AUTHORITY[code]}")
            for code in LANGUAGE_CODES
            if code in LANGUAGE_AUTHORITY
        ],
        "dct:modified": {"@value": modified.isoformat(), "@type": "xsd:dateTime"},
        "foaf:homepage": ref(open_data_page(MACHINE_LANGUAGE)),
        "dcat:dataset": datasets,
        "dcat:service": [
            {
                "@id": api,
                "@type": "dcat:DataService",
                "dct:title": in_every_language(_("AL-LAs Network open data API")),
                "dct:license": ref(LICENCE["path"]),
                "dcat:endpointURL": ref(api),
                "dcat:endpointDescription": ref(settings.SITE_URL + reverse("api:schema")),
                "dcat:servesDataset": [ref(item["@id"]) for item in datasets],
            }
        ],
    }

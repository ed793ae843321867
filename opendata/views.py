"""The open-data page: what is published, under which licence, and how to get it.

Everything on the page comes from the table definitions (opendata/tables.py) and the settings,
so it makes no query whatever the size of the data, and a column added to a table shows here
with its meaning without touching the template.
"""

from dataclasses import dataclass

import django_filters
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from allas.cache import cache_public_page
from allas.translation import IN_LANGUAGE
from opendata import api, catalogue
from opendata.api_urls import router
from opendata.tables import DATE, DATETIME, INTEGER, LICENCE, NUMBER, STRING, TABLES, LinkList
from partners.filters import PartnerRefFilter

TYPE_LABELS = {
    STRING: _("text"),
    INTEGER: _("whole number"),
    NUMBER: _("number"),
    DATE: _("date (YYYY-MM-DD)"),
    DATETIME: _("date and time (ISO 8601)"),
}
URI_LABEL = _("web address (URL)")
LIST_LABEL = _("list of identifiers")

# Where the API gives the rows of a table it does not list: (table, field of its rows).
API_NESTED = {
    "agreement_parties": ("agreements", "parties"),
    "agreement_steps": ("agreements", "steps"),
}

# The API orders every list by its cursor: the pages' sort order does not apply there.
IGNORED_FILTERS = {"sort"}

# DRF's rate periods, by first letter ("120/minute", "10/s").
RATE_PERIODS = {
    "s": _("second"),
    "m": _("minute"),
    "h": _("hour"),
    "d": _("day"),
}


def breakable(name):
    """``name`` as HTML that may wrap after its underscores on a narrow screen, and nowhere
    else (``official_<wbr>short_<wbr>name``): copied, it is the name itself."""
    return mark_safe("_<wbr>".join(escape(part) for part in name.split("_")))


@dataclass(frozen=True)
class Field:
    name: str
    breakable_name: str
    type: str
    description: str
    csv_names: list
    values: tuple
    translated: bool


@dataclass(frozen=True)
class Dataset:
    name: str
    file_name: str  # breakable
    title: str
    description: str
    csv_url: str
    api_url: str  # "" for a table the API gives only inside the rows of another
    nested_in: tuple  # (list's address, field) for those
    filters: list  # of Filter: those of the API list
    nested: list  # names of the lists the API adds to each row (an activity's participants)
    fields: list


def absolute(path):
    return settings.SITE_URL + path


def field_of(column):
    if isinstance(column, LinkList):
        type_label = LIST_LABEL
    elif column.format == "uri":
        type_label = URI_LABEL
    else:
        type_label = TYPE_LABELS.get(column.type, column.type)
    return Field(
        name=column.name,
        breakable_name=breakable(column.name),
        type=type_label,
        description=column.description,
        csv_names=[breakable(name) for name in column.flat_names()],
        # The empty value ("not applicable") is not a value a reader looks for.
        values=tuple(breakable(value) for value in column.enum if value),
        translated=column.translated,
    )


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    values: tuple  # the codes it takes, when they are a few
    hint: str  # what it takes otherwise


def filter_of(name, filter_):
    choices = filter_.extra.get("choices")
    values, hint = (), ""
    if isinstance(filter_, PartnerRefFilter):
        hint = _("a partner's identifier (slug)")
    elif isinstance(filter_, django_filters.ModelChoiceFilter):
        hint = _("an identifier (slug)")
    elif isinstance(filter_, django_filters.ChoiceFilter) and not callable(choices):
        values = tuple(breakable(value) for value, _label in choices)
    elif name == "country":  # the countries' names follow the language (a callable)
        hint = _("a country code (ISO 3166-1 alpha-2)")
    elif isinstance(filter_, django_filters.NumberFilter):
        hint = _("a number")
    elif isinstance(filter_, django_filters.DateFilter):
        hint = TYPE_LABELS[DATE]
    elif isinstance(filter_, django_filters.CharFilter):
        hint = _("words to search for, in any language")
    return Filter(name=name, label=filter_.label, values=values, hint=hint)


def api_lists():
    """{table name: (list's address, its filters, its nested lists)} for the tables the API
    lists."""
    found = {}
    for _prefix, viewset, basename in router.registry:
        filterset = viewset.filterset_class
        filters = [
            filter_of(name, filter_)
            for name, filter_ in (filterset.base_filters.items() if filterset else ())
            if name not in IGNORED_FILTERS
        ]
        found[viewset.table.name] = (
            absolute(reverse(f"api:{basename}-list")),
            filters,
            [nested.name for nested in viewset.nested],
        )
    return found


def datasets():
    lists = api_lists()
    found = []
    for table in TABLES:
        api_url, filters, nested = lists.get(table.name, ("", [], []))
        nested_in = API_NESTED.get(table.name)
        found.append(
            Dataset(
                name=table.name,
                file_name=breakable(catalogue.csv_name(table)),
                title=table.title,
                description=table.description,
                csv_url=catalogue.download_url(catalogue.csv_name(table)),
                api_url=api_url,
                nested_in=(lists[nested_in[0]][0], nested_in[1]) if nested_in else (),
                filters=filters,
                nested=nested,
                fields=[field_of(column) for column in table.columns],
            )
        )
    return found


def rate_limit():
    """``API_THROTTLE_RATE`` ("120/minute") as a number of requests and a period's name;
    None without a limit."""
    if not settings.API_THROTTLE_RATE:
        return None
    count, _slash, period = settings.API_THROTTLE_RATE.partition("/")
    return {"count": int(count), "period": RATE_PERIODS.get(period[:1], period)}


@require_safe
@cache_public_page
def open_data(request):
    datasets_ = datasets()
    by_name = {dataset.name: dataset for dataset in datasets_}
    context = {
        "datasets": datasets_,
        "partners": by_name["partners"],
        "activities": by_name["activities"],
        "memberships": by_name["memberships"],
        "licence": LICENCE,
        "geojson_description": catalogue.GEOJSON_DESCRIPTION,
        "rate_limit": rate_limit(),
        "page_size": {"default": api.Cursor.page_size, "max": api.MAX_PAGE_SIZE},
        "page_url": absolute(request.path),
        "in_default_language": IN_LANGUAGE[settings.LANGUAGE_CODE],
        "urls": {
            "api": absolute(reverse("api:api-root")),
            "schema": absolute(reverse("api:schema")),
            "docs": absolute(reverse("api:docs")),
            "geojson": catalogue.download_url(catalogue.GEOJSON_NAME),
            "datapackage": catalogue.download_url(catalogue.DATA_PACKAGE_NAME),
            "catalogue": catalogue.download_url(catalogue.CATALOGUE_NAME),
        },
    }
    return render(request, "opendata/open_data.html", context)

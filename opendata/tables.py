"""The network's public records as tables: one definition per table, read by the API
(opendata/api.py), the CSV and GeoJSON downloads (opendata/downloads.py) and the data package
that describes them (opendata/catalogue.py). A column is written here once, with its type and
its meaning, so a field means the same in every format.

Only what the public pages show: each table's queryset applies the same rules as the pages
(public partners, visible activities, public agreements and resources), and a link to a
record that is not public is left empty rather than named.

Rows are read with ``values()`` (no model instances): a download of a million participations
streams in chunks at a few hundred bytes each. Lists (an activity's themes) come from one
query per chunk of rows (``LinkList``), whatever the number of rows.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, F, Value, When
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Participation, Resource
from allas.translation import LANGUAGE_CODES
from partners.models import (
    Agreement,
    AgreementParty,
    AgreementStatusChange,
    Membership,
    Partner,
    Theme,
)

# Table Schema types (https://specs.frictionlessdata.io/table-schema/#types-and-formats).
STRING, INTEGER, NUMBER, DATE, DATETIME = "string", "integer", "number", "date", "datetime"

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def absolute(path):
    return settings.SITE_URL + path if path else ""


def media_url(name):
    return absolute(settings.MEDIA_URL + name) if name else ""


def page_url(route, language=None):
    """The public page of a record, in ``language`` (default: the active one)."""

    def convert(slug):
        with translation.override(language or translation.get_language()):
            return absolute(reverse(route, kwargs={"slug": slug}))

    return convert


def plain(value):
    """A value as JSON and CSV write it: dates in ISO 8601, decimals as numbers."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


@dataclass(frozen=True)
class Column:
    """One field of a table. ``source`` is the ORM path read by ``values()`` (the name by
    default); ``convert`` turns the stored value into the published one. A translated column
    has one source per language (``title_es``…): the CSV gives each, the API an object by
    language and the text in the requested language."""

    name: str
    type: str
    description: Any
    source: str = ""
    convert: Callable | None = None
    translated: bool = False
    # Whether a missing translation falls back to the original language (not for official
    # names: another language's official name is not this language's).
    fallback: bool = True
    required: bool = False
    enum: tuple = ()
    format: str = ""
    unique: bool = False

    @property
    def sources(self):
        if self.translated:
            return [f"{self.name}_{language}" for language in LANGUAGE_CODES]
        return [self.source or self.name]

    def value(self, row):
        value = row[self.sources[0]]
        if self.convert is not None and value not in (None, ""):
            value = self.convert(value)
        return plain(value)

    def texts(self, row):
        """A translated column's texts, by language."""
        return {language: row[f"{self.name}_{language}"] or "" for language in LANGUAGE_CODES}

    def text(self, row, requested):
        """A translated column's text in ``requested``, falling back as the pages do (the
        original language, then the first that has one); "" for none."""
        texts = self.texts(row)
        if not self.fallback:
            return texts[requested]
        original = row.get("original_language") or settings.LANGUAGE_CODE
        for language in [requested, original, *LANGUAGE_CODES]:
            if texts.get(language):
                return texts[language]
        return ""

    def flat_names(self):
        """The CSV headers of the column."""
        return self.sources if self.translated else [self.name]

    def flat_values(self, row):
        if self.translated:
            return list(self.texts(row).values())
        return [self.value(row)]


@dataclass(frozen=True)
class LinkList:
    """A list of identifiers linked to each row (an activity's themes), read for a chunk of
    rows in one query: ``links(pks)`` gives ``(row pk, identifier)`` pairs."""

    name: str
    description: Any
    links: Callable
    refers_to: str = ""

    type = STRING
    translated = False
    required = False
    enum = ()
    format = ""
    unique = False

    def flat_names(self):
        return [self.name]


@dataclass(frozen=True)
class Table:
    name: str
    title: Any
    description: Any
    queryset: Callable  # () -> the public rows, in a stable order
    columns: list
    primary_key: list
    # (column, table, column of that table)
    foreign_keys: list = field(default_factory=list)
    # The order of the rows (unique), for cursor pagination and stable downloads.
    ordering: tuple = ("pk",)

    @property
    def values_fields(self):
        fields = ["pk", "original_language"] if self.has_original_language else ["pk"]
        for column in self.columns:
            if isinstance(column, Column):
                fields.extend(source for source in column.sources if source not in fields)
        return fields

    @property
    def has_original_language(self):
        return any(getattr(column, "translated", False) for column in self.columns)

    @property
    def link_lists(self):
        return [column for column in self.columns if isinstance(column, LinkList)]

    def rows(self, queryset=None):
        """Dicts of ``values_fields``, with each LinkList's identifiers added, in chunks."""
        queryset = (self.queryset() if queryset is None else queryset).values(*self.values_fields)
        return self.with_links(queryset.iterator(chunk_size=2000))

    def with_links(self, rows, chunk_size=2000):
        lists = self.link_lists
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= chunk_size:
                yield from self.add_links(chunk, lists)
                chunk = []
        if chunk:
            yield from self.add_links(chunk, lists)

    @staticmethod
    def add_links(chunk, lists):
        for column in lists:
            found = {}
            for pk, identifier in column.links([row["pk"] for row in chunk]):
                found.setdefault(pk, []).append(identifier)
            for row in chunk:
                row[column.name] = found.get(row["pk"], [])
        return chunk

    def flat_header(self):
        return [name for column in self.columns for name in column.flat_names()]

    def flat_row(self, row):
        """A row as the CSV writes it: a column per language, lists joined by spaces."""
        values = []
        for column in self.columns:
            if isinstance(column, LinkList):
                values.append(" ".join(row[column.name]))
            else:
                values.extend(column.flat_values(row))
        return values

    def column(self, name):
        return next(column for column in self.columns if column.name == name)


def choices(model_choices):
    return tuple(value for value, _label in model_choices)


def slug_column(description):
    return Column("slug", STRING, description, required=True, unique=True)


def page_column(route, description):
    """The address of the record's public page (the requested language's, in the API)."""
    return Column("url", STRING, description, source="slug", convert=page_url(route), format="uri")


def original_language_column():
    return Column(
        "original_language",
        STRING,
        _("The language the texts were written in; the others translate it."),
        enum=tuple(LANGUAGE_CODES),
    )


def slug_if_public(link):
    """The slug of the record at ``link`` where that record is public, else "": a link to a
    record the public pages do not show is left empty rather than named."""
    return Case(
        When(**{f"{link}__is_public": True}, then=F(f"{link}__slug")),
        default=Value(""),
        output_field=CharField(),
    )


# The public records of each table -----------------------------------------------------------


def public_partners():
    return Partner.objects.public().order_by("slug")


def public_memberships():
    return (
        Membership.objects.in_public_networks()
        .of_public_members()
        .order_by("pk")
        .annotate(member_slug=F("member__slug"), network_slug=F("network__slug"))
    )


def public_agreements():
    return Agreement.objects.public().order_by("slug")


def public_parties():
    return (
        AgreementParty.objects.filter(agreement__is_public=True, partner__is_public=True)
        .order_by("pk")
        .annotate(agreement_slug=F("agreement__slug"), partner_slug=F("partner__slug"))
    )


def public_agreement_steps():
    # Dates and statuses only: who made a change, and the notes, are internal (as on the page).
    return (
        AgreementStatusChange.objects.filter(agreement__is_public=True)
        .order_by("pk")
        .annotate(agreement_slug=F("agreement__slug"))
    )


def visible_activities():
    return (
        Activity.objects.visible()
        .order_by("slug")
        .annotate(
            venue_partner_slug=slug_if_public("venue_partner"),
            agreement_slug=slug_if_public("agreement"),
        )
    )


def public_participations():
    return (
        Participation.objects.filter(
            activity__in=Activity.objects.visible(), partner__is_public=True
        )
        .order_by("pk")
        .annotate(activity_slug=F("activity__slug"), partner_slug=F("partner__slug"))
    )


def public_resources():
    return Resource.objects.public().order_by("slug")


def themes():
    return Theme.objects.order_by("position", "slug")


# Lists linked to rows (one query per chunk) ---------------------------------------------------


def theme_links(through, owner):
    def links(pks):
        return through.objects.filter(**{f"{owner}_id__in": pks}).values_list(
            f"{owner}_id", "theme__slug"
        )

    return links


def agreement_themes(pks):
    return theme_links(Agreement.themes.through, "agreement")(pks)


def activity_themes(pks):
    return theme_links(Activity.themes.through, "activity")(pks)


def resource_themes(pks):
    return theme_links(Resource.themes.through, "resource")(pks)


def resource_activities(pks):
    return Resource.activities.through.objects.filter(
        resource_id__in=pks, activity__in=Activity.objects.visible()
    ).values_list("resource_id", "activity__slug")


def resource_publishers(pks):
    return Resource.partners.through.objects.filter(
        resource_id__in=pks, partner__is_public=True
    ).values_list("resource_id", "partner__slug")


# The tables -------------------------------------------------------------------------------------

THEMES = Table(
    name="themes",
    title=_("Working themes"),
    description=_("The network's working themes, which activities, agreements and resources cite."),
    queryset=themes,
    ordering=("position", "slug"),
    primary_key=["slug"],
    columns=[
        slug_column(_("Identifier of the theme.")),
        Column("name", STRING, _("Name of the theme."), translated=True),
        Column("description", STRING, _("What the theme covers."), translated=True),
        Column("position", INTEGER, _("Order of the theme in lists.")),
        original_language_column(),
    ],
)

PARTNERS = Table(
    name="partners",
    title=_("Partners"),
    description=_(
        "Cities, networks of local governments and institutions of the network, as their "
        "public profiles show them."
    ),
    queryset=public_partners,
    ordering=("slug",),
    primary_key=["slug"],
    columns=[
        slug_column(_("Identifier of the partner, part of its profile's address.")),
        page_column("partners:partner-detail", _("The partner's public profile.")),
        Column(
            "kind",
            STRING,
            _("City, network of local governments or institution."),
            enum=choices(Partner.Kind.choices),
            required=True,
        ),
        Column(
            "institution_type",
            STRING,
            _(
                "For institutions: university, think tank, NGO, international organisation "
                "or funder."
            ),
            enum=("", *choices(Partner.InstitutionType.choices)),
        ),
        Column("name", STRING, _("The name as the organisation writes it."), required=True),
        Column("short_name", STRING, _("Short name or acronym.")),
        Column(
            "official_name",
            STRING,
            _("Official name in each language, only where the organisation has one."),
            translated=True,
            fallback=False,
        ),
        Column(
            "official_short_name",
            STRING,
            _("Official acronym in each language, only where the organisation has one."),
            translated=True,
            fallback=False,
        ),
        Column("country", STRING, _("Country, as an ISO 3166-1 alpha-2 code."), required=True),
        Column(
            "region",
            STRING,
            _("Region of the world, derived from the country."),
            enum=choices(Partner.Region.choices),
        ),
        Column("locality", STRING, _("City or place of the seat.")),
        Column("latitude", NUMBER, _("Latitude of the seat (WGS 84, decimal degrees).")),
        Column("longitude", NUMBER, _("Longitude of the seat (WGS 84, decimal degrees).")),
        Column("website", STRING, _("The organisation's website."), format="uri"),
        Column(
            "wikidata_id",
            STRING,
            _("The organisation's item on Wikidata (Q and digits), where checked by hand."),
        ),
        Column("description", STRING, _("Description of the partner."), translated=True),
        Column("logo", STRING, _("Address of the logo image."), convert=media_url, format="uri"),
        original_language_column(),
        Column("updated_at", DATETIME, _("When the record last changed.")),
    ],
)

MEMBERSHIPS = Table(
    name="memberships",
    title=_("Memberships"),
    description=_(
        "Who is member of which network, with which role, since when and until when. A "
        "partner that left and joined again has one row per period."
    ),
    queryset=public_memberships,
    primary_key=["id"],
    foreign_keys=[("member", "partners", "slug"), ("network", "partners", "slug")],
    columns=[
        Column(
            "id",
            INTEGER,
            _("Identifier of the membership."),
            source="pk",
            required=True,
            unique=True,
        ),
        Column(
            "member",
            STRING,
            _("The member (a partner's identifier)."),
            source="member_slug",
            required=True,
        ),
        Column(
            "network",
            STRING,
            _("The network (a partner's identifier)."),
            source="network_slug",
            required=True,
        ),
        Column("role", STRING, _("Role in the network."), enum=choices(Membership.Role.choices)),
        Column("joined_on", DATE, _("First day of membership."), required=True),
        Column("left_on", DATE, _("Day the member left; empty while it is a member.")),
    ],
)

AGREEMENTS = Table(
    name="agreements",
    title=_("Partnership agreements"),
    description=_("Agreements between partners and their place in the lifecycle."),
    queryset=public_agreements,
    ordering=("slug",),
    primary_key=["slug"],
    columns=[
        slug_column(_("Identifier of the agreement, part of its page's address.")),
        page_column("partners:agreement-detail", _("The agreement's public page.")),
        Column("title", STRING, _("Title of the agreement."), translated=True),
        Column("kind", STRING, _("Kind of agreement."), enum=choices(Agreement.Kind.choices)),
        Column(
            "status",
            STRING,
            _("Where the agreement stands in its lifecycle."),
            enum=choices(Agreement.Status.choices),
        ),
        Column("proposed_on", DATE, _("Day it was proposed.")),
        Column("signed_on", DATE, _("Day it was signed.")),
        Column("starts_on", DATE, _("First day it is in force.")),
        Column("ends_on", DATE, _("Last day it is in force.")),
        Column("summary", STRING, _("Summary of the agreement."), translated=True),
        LinkList(
            "themes",
            _("Identifiers of its themes, a list; in the CSV, separated by spaces."),
            agreement_themes,
        ),
        Column(
            "document",
            STRING,
            _("Address of the signed document."),
            convert=media_url,
            format="uri",
        ),
        original_language_column(),
    ],
)

AGREEMENT_PARTIES = Table(
    name="agreement_parties",
    title=_("Parties to agreements"),
    description=_("The partners that are party to each agreement, with their role."),
    queryset=public_parties,
    primary_key=["agreement", "partner"],
    foreign_keys=[("agreement", "agreements", "slug"), ("partner", "partners", "slug")],
    columns=[
        Column(
            "agreement",
            STRING,
            _("The agreement's identifier."),
            source="agreement_slug",
            required=True,
        ),
        Column(
            "partner",
            STRING,
            _("The party (a partner's identifier)."),
            source="partner_slug",
            required=True,
        ),
        Column("role", STRING, _("Role of the party."), enum=choices(AgreementParty.Role.choices)),
    ],
)

AGREEMENT_STEPS = Table(
    name="agreement_steps",
    title=_("Lifecycle of agreements"),
    description=_("Each change of an agreement's status, with its date."),
    queryset=public_agreement_steps,
    primary_key=["id"],
    foreign_keys=[("agreement", "agreements", "slug")],
    columns=[
        Column(
            "id", INTEGER, _("Identifier of the step."), source="pk", required=True, unique=True
        ),
        Column(
            "agreement",
            STRING,
            _("The agreement's identifier."),
            source="agreement_slug",
            required=True,
        ),
        Column(
            "from_status",
            STRING,
            _("Status before the change; empty for the first one."),
            enum=("", *choices(Agreement.Status.choices)),
        ),
        Column(
            "to_status",
            STRING,
            _("Status after the change."),
            enum=choices(Agreement.Status.choices),
        ),
        Column("changed_on", DATE, _("Day of the change."), required=True),
    ],
)

ACTIVITIES = Table(
    name="activities",
    title=_("Activities"),
    description=_(
        "Joint activities and trainings of the network: published ones, and cancelled ones "
        "that had been published."
    ),
    queryset=visible_activities,
    ordering=("slug",),
    primary_key=["slug"],
    foreign_keys=[("venue_partner", "partners", "slug"), ("agreement", "agreements", "slug")],
    columns=[
        slug_column(_("Identifier of the activity, part of its page's address.")),
        page_column("activities:activity-detail", _("The activity's public page.")),
        Column("title", STRING, _("Title of the activity."), translated=True),
        Column("kind", STRING, _("Kind of activity."), enum=choices(Activity.Kind.choices)),
        Column(
            "status",
            STRING,
            _("Published, or cancelled after it was published."),
            enum=(Activity.Status.PUBLISHED, Activity.Status.CANCELLED),
        ),
        Column("starts_on", DATE, _("First day."), required=True),
        Column("ends_on", DATE, _("Last day; empty for a one-day activity.")),
        Column(
            "venue_type",
            STRING,
            _("Held in a partner city, at another place or online."),
            enum=choices(Activity.VenueType.choices),
        ),
        Column(
            "venue_partner",
            STRING,
            _("The partner city that hosts it."),
            source="venue_partner_slug",
        ),
        Column(
            "venue_name", STRING, _("Name of the place, when not a partner city."), translated=True
        ),
        Column("venue_country", STRING, _("Country of the place (ISO 3166-1 alpha-2).")),
        Column("summary", STRING, _("Summary."), translated=True),
        Column("description", STRING, _("Description."), translated=True),
        Column("outcomes", STRING, _("Outcomes."), translated=True),
        Column("agreement", STRING, _("The agreement it implements."), source="agreement_slug"),
        Column("hours", NUMBER, _("For trainings: length in hours.")),
        Column(
            "format",
            STRING,
            _("For trainings: in person, online or hybrid."),
            enum=("", *choices(Activity.Format.choices)),
        ),
        LinkList(
            "themes",
            _("Identifiers of its themes, a list; in the CSV, separated by spaces."),
            activity_themes,
        ),
        original_language_column(),
    ],
)

PARTICIPATIONS = Table(
    name="participations",
    title=_("Participations"),
    description=_("Who organised or took part in each activity, and how many people attended."),
    queryset=public_participations,
    primary_key=["activity", "partner"],
    foreign_keys=[("activity", "activities", "slug"), ("partner", "partners", "slug")],
    columns=[
        Column(
            "activity",
            STRING,
            _("The activity's identifier."),
            source="activity_slug",
            required=True,
        ),
        Column(
            "partner", STRING, _("The partner's identifier."), source="partner_slug", required=True
        ),
        Column(
            "role", STRING, _("Role in the activity."), enum=choices(Participation.Role.choices)
        ),
        Column("attendees", INTEGER, _("People of this partner who attended.")),
    ],
)

RESOURCES = Table(
    name="resources",
    title=_("Knowledge hub"),
    description=_("Guides, toolkits, reports, presentations, videos and links."),
    queryset=public_resources,
    ordering=("slug",),
    primary_key=["slug"],
    columns=[
        slug_column(_("Identifier of the resource, part of its page's address.")),
        page_column("activities:resource-detail", _("The resource's public page.")),
        Column("title", STRING, _("Title."), translated=True),
        Column("kind", STRING, _("Kind of resource."), enum=choices(Resource.Kind.choices)),
        Column("description", STRING, _("Description."), translated=True),
        Column(
            "language",
            STRING,
            _("Language of the resource itself."),
            enum=choices(Resource.Language.choices),
        ),
        Column("link", STRING, _("Address of the resource elsewhere."), source="url", format="uri"),
        Column("file", STRING, _("Address of the file."), convert=media_url, format="uri"),
        Column("published_on", DATE, _("Day it was published.")),
        LinkList(
            "themes",
            _("Identifiers of its themes, a list; in the CSV, separated by spaces."),
            resource_themes,
        ),
        LinkList(
            "activities",
            _(
                "Identifiers of the activities it comes from, a list; in the CSV, separated "
                "by spaces."
            ),
            resource_activities,
        ),
        LinkList(
            "publishers",
            _(
                "Identifiers of the partners that published it, a list; in the CSV, separated "
                "by spaces."
            ),
            resource_publishers,
        ),
        original_language_column(),
    ],
)

TABLES = [
    PARTNERS,
    MEMBERSHIPS,
    AGREEMENTS,
    AGREEMENT_PARTIES,
    AGREEMENT_STEPS,
    ACTIVITIES,
    PARTICIPATIONS,
    RESOURCES,
    THEMES,
]
TABLES_BY_NAME = {table.name: table for table in TABLES}

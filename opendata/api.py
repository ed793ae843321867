"""The public read-only API, ``/api/v1/`` (Django REST Framework).

Each endpoint reads one table of opendata/tables.py (the same rows and rules as the
downloads) and filters it with the FilterSet of the matching public page, so a filter means
the same on a page and in the API. Around every endpoint (``public_endpoint``), in this order:

- anonymous throttling through the shared cache: 429 with Retry-After;
- the language: ``?lang=`` (else Accept-Language), 400 for one the site does not speak;
- the page cache of the public pages (allas/cache.py), per content version, so a response is
  computed once per edit; ConditionalGetMiddleware gives it an ETag and answers 304.

Pages are cursors (no COUNT over a million participations); a bad parameter of any kind
answers 400 with a JSON body naming it.
"""

import functools

import django_filters
from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from activities.filters import ActivityFilter, ResourceFilter
from activities.models import Activity, Participation
from allas.cache import cache_public_page
from allas.login_throttling import client_address
from allas.translation import LANGUAGE_NAMES
from opendata import tables
from opendata.serializers import Nested, TableSerializer, add_nested
from partners.filters import AgreementFilter, PartnerFilter, PartnerRefFilter
from partners.models import AgreementParty, AgreementStatusChange, Membership, Partner

MAX_PAGE_SIZE = 500

# The pages' filters whose type the schema cannot guess: a partner typed by slug or name, and
# countries as ISO codes.
set_override(PartnerRefFilter, "field", OpenApiTypes.STR)
for filterset in (ActivityFilter, PartnerFilter):
    set_override(filterset.base_filters["country"], "field", OpenApiTypes.STR)
LANGUAGE = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=list(LANGUAGE_NAMES),
    description="Language of the texts (else Accept-Language); each text is also given in "
    "every language in its *_translations object.",
)


# Around every endpoint -------------------------------------------------------------------------


class AnonymousThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, with the rate of API_THROTTLE_RATE read on each request (so
    tests and deployments may change it; empty: no limit) and the client's address as the
    login throttle reads it (behind TRUSTED_PROXY_COUNT proxies)."""

    def get_rate(self):
        return settings.API_THROTTLE_RATE or None

    def get_ident(self, request):
        return client_address(request) or ""


def error(status, field, message, **headers):
    response = JsonResponse({field: [message]}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def public_endpoint(view, params):
    """``view`` behind the throttle, the language and the page cache (see the module's
    docstring). ``params`` names the query parameters it reads."""
    cached = cache_public_page(view, params=(*params, "lang"))

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)  # DRF answers 405 (and OPTIONS)
        throttle = AnonymousThrottle()
        if not throttle.allow_request(request, None):
            wait = max(1, round(throttle.wait() or 1))
            return error(
                429,
                "detail",
                ngettext(
                    "Too many requests: try again in %(seconds)s second.",
                    "Too many requests: try again in %(seconds)s seconds.",
                    wait,
                )
                % {"seconds": wait},
                **{"Retry-After": str(wait)},
            )
        language = request.GET.get("lang")
        if language is None:
            language = translation.get_language()
        elif language not in LANGUAGE_NAMES:
            return error(
                400,
                "lang",
                _("Unknown language: choose one of %(codes)s.")
                % {"codes": ", ".join(LANGUAGE_NAMES)},
            )
        with translation.override(language):
            response = cached(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response = response.render()
        response["Content-Language"] = language
        if response.status_code == 200:
            response.setdefault("Cache-Control", "public, max-age=60")
        return response

    # Every parameter goes through the FilterSet's form, the cursor's or the page size's
    # check, which refuse a NUL in JSON (allas/query_strings.py).
    wrapper.validates_its_query = True
    return wrapper


class Cursor(CursorPagination):
    """Pages by position in a unique order: no COUNT, and as fast on the last page as on the
    first. A malformed cursor or page size is a 400 naming the parameter, not a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    "page_size": [
                        _("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_ordering(self, request, queryset, view):
        return tuple(view.table.ordering)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {"cursor": [_("This cursor is not valid: follow the next and previous links.")]}
            ) from None


# The endpoints ----------------------------------------------------------------------------------


class TableViewSet(viewsets.GenericViewSet):
    """One table as a list (cursor pages, filters). Rows come from the table's definition and
    nested records from one query per kind, whatever the page's size."""

    table = None
    nested = ()
    lookup_field = "slug"
    pagination_class = Cursor

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.table is not None:
            cls.serializer_class = TableSerializer.for_table(cls.table, cls.nested)

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        filters = tuple(cls.filterset_class.base_filters) if cls.filterset_class else ()
        return public_endpoint(view, params=(*filters, "cursor", "page_size"))

    def get_queryset(self):
        return self.table.queryset()

    def serialize(self, rows):
        rows = self.table.add_links(list(rows), self.table.link_lists)
        add_nested(rows, self.nested)
        return self.get_serializer(rows, many=True).data

    @extend_schema(parameters=[LANGUAGE])
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values(*self.table.values_fields))
        return self.get_paginated_response(self.serialize(page))


class DetailedTableViewSet(TableViewSet):
    """A table whose rows have an identifier: a list, and a detail per row."""

    @extend_schema(parameters=[LANGUAGE])
    def retrieve(self, request, *args, **kwargs):
        lookup = {self.lookup_field: kwargs[self.lookup_url_kwarg or self.lookup_field]}
        rows = self.get_queryset().filter(**lookup).values(*self.table.values_fields)[:1]
        data = self.serialize(rows)
        if not data:
            raise exceptions.NotFound()
        return Response(data[0])


def grouped(rows, key, fields):
    """``{row[key]: [{name: row[source] for name, source in fields}, …]}`` in the rows' order,
    the values as the API writes them (dates in ISO 8601)."""
    found = {}
    for row in rows:
        found.setdefault(row[key], []).append(
            {name: tables.plain(row[source]) for name, source in fields.items()}
        )
    return found


PARTNER_FIELDS = {"partner": "partner__slug", "name": "partner__name", "role": "role"}


def memberships_of(pks):
    """Each partner's memberships in public networks, current and past, oldest first."""
    rows = (
        Membership.objects.in_public_networks()
        .filter(member_id__in=pks)
        .order_by("joined_on", "pk")
        .values("member_id", "network__slug", "network__name", "role", "joined_on", "left_on")
    )
    found = grouped(
        rows,
        "member_id",
        {
            "network": "network__slug",
            "network_name": "network__name",
            "role": "role",
            "joined_on": "joined_on",
            "left_on": "left_on",
        },
    )
    for memberships in found.values():
        for membership in memberships:
            membership["current"] = membership["left_on"] is None
    return found


def parties_of(pks):
    rows = (
        AgreementParty.objects.filter(agreement_id__in=pks, partner__is_public=True)
        .order_by("partner__name", "pk")
        .values("agreement_id", *PARTNER_FIELDS.values())
    )
    return grouped(rows, "agreement_id", PARTNER_FIELDS)


def steps_of(pks):
    # Dates and statuses only, as on the page: who made a change and the notes are internal.
    fields = ("from_status", "to_status", "changed_on")
    rows = (
        AgreementStatusChange.objects.filter(agreement_id__in=pks)
        .order_by("changed_on", "recorded_at", "pk")
        .values("agreement_id", *fields)
    )
    return grouped(rows, "agreement_id", {name: name for name in fields})


def participants_of(pks):
    """Each activity's public partners with their role and attendees, organisers first."""
    fields = {**PARTNER_FIELDS, "attendees": "attendees"}
    rows = (
        Participation.objects.filter(activity_id__in=pks, partner__is_public=True)
        .order_by("role", "partner__name", "pk")
        .values("activity_id", *fields.values())
    )
    return grouped(rows, "activity_id", fields)


PARTY = {"partner": tables.STRING, "name": tables.STRING, "role": tables.STRING}


class PartnerViewSet(DetailedTableViewSet):
    """Public partners, each with its memberships (current and past)."""

    table = tables.PARTNERS
    filterset_class = PartnerFilter
    nested = [
        Nested(
            "memberships",
            "Its memberships of public networks, current and past, oldest first.",
            memberships_of,
            {
                "network": tables.STRING,
                "network_name": tables.STRING,
                "role": tables.STRING,
                "joined_on": tables.DATE,
                "left_on": tables.DATE,
                "current": "boolean",
            },
        )
    ]


class MembershipFilter(django_filters.FilterSet):
    network = PartnerRefFilter(
        label=gettext_lazy("Network"), queryset=Partner.objects.public().networks()
    )
    member = PartnerRefFilter(label=gettext_lazy("Member"), queryset=Partner.objects.public())
    role = django_filters.ChoiceFilter(
        label=gettext_lazy("Role in the network"), choices=Membership.Role.choices
    )
    current = django_filters.ChoiceFilter(
        label=gettext_lazy("Current or past members"),
        choices=[("true", gettext_lazy("Current members only")), ("false", gettext_lazy("Past"))],
        method="filter_current",
    )

    class Meta:
        model = Membership
        fields = []

    def filter_current(self, queryset, name, value):
        return queryset.current() if value == "true" else queryset.past()


class MembershipViewSet(DetailedTableViewSet):
    """Who is member of which network since when (a row per period)."""

    table = tables.MEMBERSHIPS
    filterset_class = MembershipFilter
    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"


class AgreementViewSet(DetailedTableViewSet):
    """Public agreements, with their public parties and their lifecycle."""

    table = tables.AGREEMENTS
    filterset_class = AgreementFilter
    nested = [
        Nested("parties", "The public partners party to it.", parties_of, PARTY),
        Nested(
            "steps",
            "Each change of status, oldest first.",
            steps_of,
            {"from_status": tables.STRING, "to_status": tables.STRING, "changed_on": tables.DATE},
        ),
    ]


class ActivityViewSet(DetailedTableViewSet):
    """Published activities (and cancelled ones that had been), with their public
    organisers and participants."""

    table = tables.ACTIVITIES
    filterset_class = ActivityFilter
    nested = [
        Nested(
            "participants",
            "Public partners that organised or took part, with the people who attended.",
            participants_of,
            {**PARTY, "attendees": tables.INTEGER},
        )
    ]


class ParticipationFilter(django_filters.FilterSet):
    activity = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Activity"),
        queryset=Activity.objects.visible(),
        to_field_name="slug",
    )
    partner = PartnerRefFilter(label=gettext_lazy("Partner"), queryset=Partner.objects.public())
    role = django_filters.ChoiceFilter(
        label=gettext_lazy("Role"), choices=Participation.Role.choices
    )

    class Meta:
        model = Participation
        fields = []


class ParticipationViewSet(TableViewSet):
    """Who took part in what: a row per activity and partner (a list only: the pair is its
    identifier). The largest table, read by cursor."""

    table = tables.PARTICIPATIONS
    filterset_class = ParticipationFilter


class ResourceViewSet(DetailedTableViewSet):
    """Public resources of the knowledge hub."""

    table = tables.RESOURCES
    filterset_class = ResourceFilter


class ThemeViewSet(DetailedTableViewSet):
    """The working themes."""

    table = tables.THEMES
    filterset_class = None

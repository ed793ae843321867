"""Filters of the public partner directory and agreement list, with the counts of each option."""

import hashlib

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from allas.cache import versioned
from allas.listing import sort_key
from partners.models import Agreement, Membership, Partner

SEARCH_MAX_LENGTH = 100


class PartnerRefField(forms.CharField):
    """A partner typed in a text box: its slug or its exact name (any case), among
    ``queryset``. One query. Used instead of a <select> where the partners are thousands."""

    def __init__(self, *, queryset, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        self.queryset = queryset
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        matches = list(
            self.queryset.filter(Q(slug=value) | Q(name__iexact=value)).order_by("name", "pk")[:10]
        )
        if not matches:
            raise ValidationError(_("No partner has that name or identifier."), code="unknown")
        # A slug is exact; names may repeat (the first by name is taken).
        return next((p for p in matches if p.slug == value), matches[0])


class PartnerRefFilter(django_filters.Filter):
    field_class = PartnerRefField


class SearchFilter(django_filters.CharFilter):
    """Free text, searched in every language of the records by their QuerySet's ``search()``
    (allas/search.py), best match first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


def country_choices():
    # A callable, so the names follow the language of each request.
    return list(countries)


class PartnerFilter(django_filters.FilterSet):
    """The directory's filters on the partners' own records (front/directory.py adds the theme
    of their activities).

    ``network``, ``role`` and ``membership`` act together on one membership (member of network N
    with role R, currently or at any time), so they are applied in ``filter_queryset`` and not
    one by one.
    """

    MEMBERSHIP_FIELDS = ("network", "role", "membership")

    class Scope:
        CURRENT = "current"
        ALL = "all"
        choices = [
            (CURRENT, _("Current members only")),
            (ALL, _("Current and past members")),
        ]

    # Best match: by rank when searching (Partner.objects.search), else by name.
    RELEVANCE = "relevance"
    SORTS = [
        (RELEVANCE, _("Best match")),
        ("name", _("Name (A–Z)")),
        ("-name", _("Name (Z–A)")),
        ("country", _("Country (A–Z)")),
        ("-country", _("Country (Z–A)")),
    ]

    q = SearchFilter(label=_("Name, acronym or description"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Partner.Kind.choices)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Partner.Region.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=country_choices)
    network = PartnerRefFilter(
        label=_("Network"),
        queryset=Partner.objects.public().networks(),
        method="filter_nothing",
    )
    role = django_filters.ChoiceFilter(
        label=_("Role in the network"), choices=Membership.Role.choices, method="filter_nothing"
    )
    membership = django_filters.ChoiceFilter(
        label=_("Membership"), choices=Scope.choices, method="filter_nothing"
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORTS, method="filter_nothing")

    class Meta:
        model = Partner
        fields = []

    def filter_nothing(self, queryset, name, value):
        return queryset

    # Applying filters, with some left out (for the counts of the options of those).

    def valid_data(self):
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 -- runs validation, fills cleaned_data with the valid fields
        return self.form.cleaned_data

    def memberships(self, data, *, without=()):
        """Memberships in public networks matching the membership filters (minus ``without``)."""
        links = Membership.objects.in_public_networks()
        if data.get("network") and "network" not in without:
            links = links.filter(network=data["network"])
        if data.get("role") and "role" not in without:
            links = links.filter(role=data["role"])
        if (data.get("membership") or self.Scope.CURRENT) == self.Scope.CURRENT:
            links = links.current()
        return links

    def filter_queryset(self, queryset, without=()):
        data = self.valid_data()
        for name, value in data.items():
            if name in without or name in self.MEMBERSHIP_FIELDS:
                continue
            queryset = self.filters[name].filter(queryset, value)
        membership_filters = [n for n in ("network", "role") if data.get(n) and n not in without]
        if membership_filters:
            links = self.memberships(data, without=without).filter(member=OuterRef("pk"))
            queryset = queryset.filter(Exists(links))
        return queryset

    def queryset_without(self, *names):
        return self.filter_queryset(self.queryset.all(), without=names)

    def counts(self):
        """For each filter, how many partners each of its options would give with the other
        filters as they are: one aggregate query per filter, whatever the number of options."""
        data = self.valid_data()

        def grouped(queryset, field, counted="pk"):
            rows = (
                queryset.order_by()
                .values(field)
                .annotate(n=Count(counted, distinct=True))
                .values_list(field, "n")
            )
            return {str(value): n for value, n in rows if value is not None}

        counts = {
            name: grouped(self.queryset_without(name), name)
            for name in ("kind", "region", "country")
        }
        for name in ("network", "role"):
            links = self.memberships(data, without=(name,)).filter(
                member__in=self.queryset_without("network", "role")
            )
            field = "network__slug" if name == "network" else "role"
            counts[name] = grouped(links, field, counted="member")
        return counts

    def cached_counts(self):
        """counts(), kept until the content changes. The same for every page, sort order and
        language of one combination of filters, and the costliest part of the directory (the
        network and role counts aggregate every current membership)."""
        data = self.valid_data()
        if data.get("q"):
            # Free text has no end of values: caching each would let a loop of searches fill
            # the cache (a search narrows the counts' rows, so computing them is cheap).
            return self.counts()
        chosen = sorted(
            f"{name}={getattr(value, 'pk', value)}"
            for name, value in data.items()
            if name != "sort" and value not in (None, "")
        )
        digest = hashlib.sha256("&".join(chosen).encode()).hexdigest()
        return versioned(f"directory-counts:{digest}", self.counts)

    def sorted_queryset(self, queryset, country_codes):
        """The results in the chosen order. Countries sort by their name in the page's language,
        through a rank computed here for the countries present (no extra query)."""
        data = self.valid_data()
        sort = data.get("sort") or self.RELEVANCE
        if sort == self.RELEVANCE:
            if data.get("q"):
                return queryset  # best match first, by the search
            sort = "name"
        if sort.lstrip("-") != "country":
            return queryset.order_by(sort, "pk")
        ranked = sorted(country_codes, key=lambda code: sort_key(countries.name(code)))
        rank = Case(
            *[When(country=code, then=Value(i)) for i, code in enumerate(ranked)],
            default=Value(len(ranked)),
            output_field=IntegerField(),
        )
        queryset = queryset.annotate(country_rank=rank)
        if sort.startswith("-"):
            return queryset.order_by("-country_rank", "name", "pk")
        return queryset.order_by("country_rank", "name", "pk")


class AgreementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Agreement.Kind.choices)
    partner = PartnerRefFilter(
        label=_("Party"), queryset=Partner.objects.public(), method="filter_partner"
    )

    class Meta:
        model = Agreement
        fields = []

    def filter_partner(self, queryset, name, value):
        return queryset.filter(party_links__partner=value)

"""Filters of the public partner directory and agreement list, with the counts of each option."""

import django_filters
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from activities.models import Activity, Participation
from partners.models import Agreement, Membership, Partner, Theme

SEARCH_MAX_LENGTH = 100


def country_choices():
    # A callable, so the names follow the language of each request.
    return list(countries)


class PartnerFilter(django_filters.FilterSet):
    """The directory's filters.

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

    SORTS = [
        ("name", _("Name (A–Z)")),
        ("-name", _("Name (Z–A)")),
        ("country", _("Country (A–Z)")),
        ("-country", _("Country (Z–A)")),
    ]

    q = django_filters.CharFilter(
        label=_("Name or acronym"), method="filter_search", max_length=SEARCH_MAX_LENGTH
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Partner.Kind.choices)
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Partner.Region.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=country_choices)
    network = django_filters.ModelChoiceFilter(
        label=_("Network"),
        queryset=Partner.objects.public().networks(),
        to_field_name="slug",
        method="filter_nothing",
    )
    role = django_filters.ChoiceFilter(
        label=_("Role in the network"), choices=Membership.Role.choices, method="filter_nothing"
    )
    membership = django_filters.ChoiceFilter(
        label=_("Membership"), choices=Scope.choices, method="filter_nothing"
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme of their activities"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_theme",
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORTS, method="filter_nothing")

    class Meta:
        model = Partner
        fields = []

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))

    def filter_theme(self, queryset, name, value):
        took_part = Participation.objects.filter(
            partner=OuterRef("pk"),
            activity__in=Activity.objects.visible(),
            activity__themes=value,
        )
        return queryset.filter(Exists(took_part))

    # Applying filters, with some left out (for the counts of the options of those).

    def valid_data(self):
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 -- runs validation, fills cleaned_data with the valid fields
        return self.form.cleaned_data

    def memberships(self, data, *, without=()):
        """Memberships in public networks matching the membership filters (minus ``without``)."""
        links = Membership.objects.filter(network__is_public=True)
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
        took_part = Participation.objects.filter(
            partner__in=self.queryset_without("theme"),
            activity__in=Activity.objects.visible(),
        )
        counts["theme"] = grouped(took_part, "activity__themes__slug", counted="partner")
        return counts

    def sorted_queryset(self, queryset, country_codes):
        """The results in the chosen order. Countries sort by their name in the page's language,
        through a rank computed here for the countries present (no extra query)."""
        sort = self.valid_data().get("sort") or "name"
        if sort.lstrip("-") != "country":
            return queryset.order_by(sort, "pk")
        ranked = sorted(country_codes, key=lambda code: countries.name(code))
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
    partner = django_filters.ModelChoiceFilter(
        label=_("Party"),
        queryset=Partner.objects.public(),
        to_field_name="slug",
        method="filter_partner",
    )

    class Meta:
        model = Agreement
        fields = []

    def filter_partner(self, queryset, name, value):
        return queryset.filter(party_links__partner=value)

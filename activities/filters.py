"""Filters of the public activity list and of the knowledge hub."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Resource
from partners.filters import PartnerRefFilter, SearchFilter, country_choices
from partners.models import Partner, Theme

MIN_YEAR, MAX_YEAR = 1900, 2100


class YearFilter(django_filters.NumberFilter):
    # A whole number: "2024.5" is a bad value, not the year 2024.
    field_class = forms.IntegerField


class ActivityFilter(django_filters.FilterSet):
    class When:
        UPCOMING = "upcoming"
        PAST = "past"
        choices = [(UPCOMING, _("Upcoming")), (PAST, _("Past"))]

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Activity.Kind.choices)
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes"
    )
    partner = PartnerRefFilter(
        label=_("Partner"), queryset=Partner.objects.public(), method="filter_partner"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, method="filter_country"
    )
    year = YearFilter(
        label=_("Year"),
        field_name="starts_on",
        lookup_expr="year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
    )
    when = django_filters.ChoiceFilter(label=_("When"), choices=When.choices, method="filter_when")
    after = django_filters.DateFilter(
        label=_("Starting on or after"), field_name="starts_on", lookup_expr="gte"
    )
    # Declared last: filters apply in this order, and the search's order (best match first)
    # must come after the one ``when`` sets.
    q = SearchFilter(label=_("Title, summary or description"))

    class Meta:
        model = Activity
        fields = []

    def filter_partner(self, queryset, name, value):
        return queryset.for_partner(value)

    def filter_country(self, queryset, name, value):
        in_city = Q(venue_type=Activity.VenueType.CITY, venue_partner__country=value)
        return queryset.filter(Q(venue_country=value) | in_city)

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == self.When.UPCOMING:
            return queryset.upcoming(today).order_by("starts_on", "slug", "pk")
        return queryset.past(today)


class ResourceFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Title or description"))
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Resource.Kind.choices)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Resource.Language.choices)

    class Meta:
        model = Resource
        fields = []

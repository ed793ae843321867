"""What the large admin lists share: a bounded count, and filters and searches whose cost
does not grow with the data (thousands of partners, a million participations)."""

import datetime
from functools import cached_property

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min
from django.utils.formats import number_format
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Participation
from allas.fields import to_key
from partners.models import Partner, Theme


class LargeTablePaginator(Paginator):
    """Counts at most ``cap`` + 1 rows, in one query whatever the size of the table.

    The stock changelist counts every matching row, which on a million participations takes
    longer than the page itself. Here a longer list shows "more than 10,000" (filtered) or,
    unfiltered on PostgreSQL, the planner's estimate of the table's rows (pg_class.reltuples,
    read in the same query): "about 1,000,000". Pages past the cap are not offered.
    """

    cap = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        subquery = queryset.order_by().values("pk")[: self.cap + 1].query
        sql, params = subquery.sql_with_params()
        connection = connections[queryset.db]
        estimate_sql = "NULL"
        if connection.vendor == "postgresql" and not queryset.query.where:
            estimate_sql = "(SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass)"
            params = (*params, connection.ops.quote_name(queryset.model._meta.db_table))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT (SELECT COUNT(*) FROM ({sql}) capped), {estimate_sql}", params)
            counted, estimate = cursor.fetchone()
        self.count_is_exact = counted <= self.cap
        self.count_is_estimate = not self.count_is_exact and bool(estimate)
        if self.count_is_estimate:
            return max(int(estimate), counted)
        return counted

    @property
    def count_label(self):
        """How the admin shows the count when it is not exact (None when it is)."""
        count = self.count
        if self.count_is_exact:
            return None
        if self.count_is_estimate:
            return gettext("about %(count)s") % {"count": number_format(count, force_grouping=True)}
        return gettext("more than %(count)s") % {
            "count": number_format(self.cap, force_grouping=True)
        }


class ChosenFilter(admin.SimpleListFilter):
    """Applied whenever its parameter is given, even if it has no options to show (a deleted
    partner, an empty year): the stock filter would then be dropped and list every row."""

    def has_output(self):
        return self.value() is not None or super().has_output()


class YearFilter(ChosenFilter):
    """One year of activities, instead of a date hierarchy: the years offered come from the
    first and last dates (two ends of an index), not from a scan of every row."""

    title = _("year")
    parameter_name = "year"
    date_field = "starts_on"

    def lookups(self, request, model_admin):
        bounds = Activity.objects.aggregate(first=Min("starts_on"), last=Max("starts_on"))
        if bounds["first"] is None:
            return []
        years = range(bounds["last"].year, bounds["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year = int(value)
            start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        except (TypeError, ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})


class ParticipationYearFilter(YearFilter):
    date_field = "activity__starts_on"


def _id_value(value, model):
    try:
        return to_key(model._meta.pk, value)  # an id no row can have is refused too
    except ValidationError as error:
        raise IncorrectLookupParameters(error) from error


class PartnerFilter(ChosenFilter):
    """The records of one partner (``?partner=<id>``, linked from each partner's page).

    There are thousands of partners, so the filter never lists them: it shows only the one
    chosen. To find a partner's records by name, use the search box.
    """

    title = _("partner")
    parameter_name = "partner"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []
        partner = Partner.objects.filter(pk=_id_value(value, Partner)).first()
        return [(str(partner.pk), partner.display_name)] if partner else []

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        partner_id = _id_value(self.value(), Partner)
        if queryset.model is Participation:
            return queryset.filter(partner_id=partner_id)
        return queryset.filter(
            pk__in=Participation.objects.filter(partner_id=partner_id).values("activity_id")
        )


class ThemeFilter(ChosenFilter):
    """A theme, matched with a subquery so the list needs no DISTINCT over a join."""

    title = _("theme")
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        return [(str(theme.pk), theme.name) for theme in Theme.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        through = Activity.themes.through
        return queryset.filter(
            pk__in=through.objects.filter(theme_id=_id_value(self.value(), Theme)).values(
                "activity_id"
            )
        )


def search_terms(search_term):
    """The words of a search, as the stock admin splits them ("quoted phrases" kept)."""
    for bit in smart_split(search_term):
        if bit[:1] in ('"', "'") and bit[-1:] == bit[:1]:
            bit = unescape_string_literal(bit)
        if bit:
            yield bit

"""The coordinator dashboard: the network at a glance, with charts and a CSV behind each.

Charts are SVG drawn on the server (no script, no CDN): horizontal bars, stacked by series.
Every figure comes from a handful of grouped queries, so the page costs the same number of
queries for ten records or ten thousand. The translations still missing are counted per kind
of record and language, one query per kind, each count linking to the list of those records.
"""

from collections import defaultdict

from django.contrib import admin
from django.db.models import Count
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities.models import Activity, Participation, ProposedChange, Resource
from allas.admin import MISSING_LANGUAGE, MissingLanguageFilter
from allas.charts import Chart, figure_text
from allas.roles import is_coordinator
from allas.translation import LANGUAGE_CODES, LANGUAGE_NAMES, missing_language
from joining.models import Application
from partners.models import Agreement, Membership, Partner, Theme

TOP_PARTNERS = 15
DUE_LIMIT = 50


def members_by_network(today):
    """Current members of each network by region and role. One query."""
    rows = Membership.objects.count_current_members_by_network()
    roles = list(Membership.Role)
    regions = dict(Partner.Region.choices)
    table = defaultdict(lambda: [0] * len(roles))
    csv_rows = []
    for row in rows:
        # The short name first: long names are cut in the chart and the region would be lost.
        network = row["network__short_name"] or row["network__name"]
        key = f"{network} · {regions.get(row['member__region'], '?')}"
        table[key][roles.index(row["role"])] += row["members"]
        csv_rows.append(
            [
                row["network__name"],
                regions.get(row["member__region"], ""),
                row["role"],
                row["members"],
            ]
        )
    return Chart(
        name="members-by-region",
        title=_("Current members by network, region and role"),
        series=[str(role.label) for role in roles],
        rows=sorted(table.items()),
        csv_header=["network", "region", "role", "members"],
        csv_rows=csv_rows,
    )


def members_over_time(today):
    """Members at the end of each year by region, and members who joined that year. Two
    queries: the first year, then the counts of every year in the database."""
    first = Membership.objects.first_joined_on()
    regions = list(Partner.Region)
    if first is None:
        return Chart("members-over-time", _("Members per year, by region"), [], [])
    years = range(first.year, today.year + 1)
    by_region = Membership.objects.count_members_per_year_by_region(years, today)
    rows, csv_rows = [], []
    for year in years:
        counted = [by_region.get(region.value, {}) for region in regions]
        rows.append((str(year), [row.get(f"active_{year}", 0) for row in counted]))
        for region, row in zip(regions, counted, strict=True):
            csv_rows.append(
                [year, region.value, row.get(f"active_{year}", 0), row.get(f"joined_{year}", 0)]
            )
    return Chart(
        name="members-over-time",
        title=_("Members per year, by region"),
        series=[str(region.label) for region in regions],
        rows=rows,
        csv_header=["year", "region", "members_at_year_end", "joined_that_year"],
        csv_rows=csv_rows,
        note=_("Partners with a current membership of any network at the end of each year."),
    )


def activities_per_year(today):
    """Published activities per year, by kind. One query."""
    kinds = list(Activity.Kind)
    rows = Activity.objects.published().count_per_year_and_kind()
    table = defaultdict(lambda: [0] * len(kinds))
    csv_rows = []
    for row in rows:
        table[row["year"]][kinds.index(row["kind"])] = row["activities"]
        csv_rows.append([row["year"], row["kind"], row["activities"]])
    return Chart(
        name="activities-per-year",
        title=_("Published activities per year, by kind"),
        series=[str(kind.label) for kind in kinds],
        rows=[(str(year), values) for year, values in sorted(table.items())],
        csv_header=["year", "kind", "activities"],
        csv_rows=csv_rows,
    )


def training_per_partner(today):
    """Published trainings per partner: sessions, hours, attendees, attendee-hours. One query.
    The chart shows the partners with most attendees; the CSV has them all."""
    rows = list(Participation.objects.in_published_trainings().training_totals_per_partner())
    return Chart(
        name="training-per-partner",
        title=_("Training attendees per partner"),
        series=[str(_("Attendees"))],
        rows=[(row["partner__name"], [row["people"] or 0]) for row in rows[:TOP_PARTNERS]],
        csv_header=["partner", "sessions", "hours", "attendees", "attendee_hours"],
        csv_rows=[
            [
                row["partner__name"],
                row["sessions"],
                figure_text(row["hours"] or 0),
                row["people"] or 0,
                figure_text(row["attendee_hours"] or 0),
            ]
            for row in rows
        ],
        note=_("Published trainings; the %(n)s partners with most attendees. The CSV has all.")
        % {"n": TOP_PARTNERS},
    ), rows[:TOP_PARTNERS]


def agreements_by_status(today):
    rows = Agreement.objects.count_by_status()
    return Chart(
        name="agreements-by-status",
        title=_("Agreements by status"),
        series=[str(_("Agreements"))],
        rows=[(str(status.label), [rows.get(status.value, 0)]) for status in Agreement.Status],
        csv_header=["status", "agreements"],
        csv_rows=[[status.value, rows.get(status.value, 0)] for status in Agreement.Status],
    )


# The kinds of record written in several languages, in the order the dashboard lists them.
TRANSLATED_KINDS = [Activity, Agreement, Resource, Theme, Partner]


def missing_translations(request):
    """For each kind of record the coordinator may change in the admin: how many records lack
    each language (the rule of the admin's "missing language" filter, so each count is the
    length of the list it links to). One query per kind, whatever the number of records."""
    rows = []
    for model in TRANSLATED_KINDS:
        opts = model._meta
        if not admin.site.is_registered(model):
            continue
        if not admin.site.get_model_admin(model).has_change_permission(request):
            continue
        counts = model.objects.order_by().aggregate(
            **{
                language: Count("pk", filter=missing_language(model.TRANSLATED_FIELDS, language))
                for language in LANGUAGE_CODES
            }
        )
        changelist = _admin_url(f"{opts.app_label}_{opts.model_name}_changelist")
        cells = [
            {
                "count": counts[language],
                "missing": MISSING_LANGUAGE[language],
                "url": f"{changelist}?{MissingLanguageFilter.parameter_name}={language}"
                if counts[language] and changelist
                else "",
            }
            for language in LANGUAGE_CODES
        ]
        rows.append({"kind": opts.verbose_name_plural, "cells": cells})
    return rows


def _admin_url(name, *args, query=""):
    try:
        return reverse(f"admin:{name}", args=args) + query
    except NoReverseMatch:
        return ""


@require_safe
def dashboard(request):
    """For coordinators only. The admin site (front/admin_site.py) sends visitors who are not
    logged in to its login page; other back-office users get 404 (the page does not exist for
    them)."""
    if not is_coordinator(request.user):
        raise Http404("No such page.")

    today = timezone.localdate()
    training_chart, training_rows = training_per_partner(today)
    charts = [
        members_by_network(today),
        members_over_time(today),
        activities_per_year(today),
        training_chart,
        agreements_by_status(today),
    ]
    wanted = request.GET.get("csv")
    if wanted is not None:
        chart = next((c for c in charts if c.name == wanted), None)
        if chart is None:
            raise Http404(_("There is no chart called “%(name)s”.") % {"name": wanted[:50]})
        return chart.csv_response(f"allas-{chart.name}-{today}.csv")

    ending = list(Agreement.objects.ending_soon(today=today)[:DUE_LIMIT])
    stuck = list(Agreement.objects.stuck(today=today)[:DUE_LIMIT])
    for agreement in ending + stuck:
        agreement.admin_url = _admin_url("partners_agreement_change", agreement.pk)
    context = {
        **admin.site.each_context(request),
        "title": _("Coordinator dashboard"),
        "charts": [(chart, chart.svg()) for chart in charts],
        "training_rows": training_rows,
        "ending": ending,
        "stuck": stuck,
        "today": today,
        "submitted_count": Activity.objects.submitted().count(),
        "submitted_url": _admin_url(
            "activities_activity_changelist", query="?status__exact=submitted"
        ),
        "changes_count": ProposedChange.objects.pending().count(),
        "changes_url": _admin_url("activities_proposedchange_changelist"),
        # The application list opens on the same queue (joining/admin.py, StatusFilter).
        "applications_count": Application.objects.awaiting_review().count(),
        "applications_url": _admin_url("joining_application_changelist"),
        "languages": [LANGUAGE_NAMES[language] for language in LANGUAGE_CODES],
        "missing_translations": missing_translations(request),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)

"""The public Results pages: for a period, the indicators coordinators mark public, with figures
from public records only, a chart per objective, the records behind each computed figure and
the figures as a CSV file, in the page's language.

A period is public once it has a target for a public indicator; any other period is a 404 at
its address, like a record that is not public. Every page is in the public page cache
(allas/cache.py) and takes a fixed number of queries whatever the number of records.
"""

import csv

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities.models import Activity, Resource
from allas.cache import cache_public_page
from allas.listing import paginate
from allas.spreadsheets import escape
from partners.models import Agreement, Partner
from results import measures
from results.charts import FIGURE_COLUMNS, figure_row, share_chart
from results.models import Indicator, Period, ReportedFigure, Target
from results.progress import kept_progress

RECORDS_PER_PAGE = 20

# Which record template and order each kind of record behind a figure has.
RECORD_KINDS = {
    Activity: ("activity", ("-starts_on", "slug", "pk")),
    Partner: ("partner", ("name", "pk")),
    Agreement: ("agreement", ("-proposed_on", "slug", "pk")),
    Resource: ("resource", ("-published_on", "slug", "pk")),
}


def public_periods():
    """The periods the public pages show, newest first: those with a target for at least one
    public indicator."""
    public_targets = Target.objects.filter(
        period=OuterRef("pk"), indicator__in=Indicator.objects.public()
    )
    return Period.objects.filter(Exists(public_targets)).order_by("-starts_on", "slug")


@require_safe
@cache_public_page
def results(request):
    """The latest public period, or a page saying that no results are published yet."""
    latest = public_periods().first()
    if latest is not None:
        return redirect("results:period", slug=latest.slug)
    return render(request, "results/no_results.html")


def status_counts(progress):
    """(status, label, number) for each status at least one figure has, in the statuses'
    order."""
    counts = progress.count_by_status()
    return [(status.value, status.label, count) for status, count in counts.items() if count]


@require_safe
@cache_public_page
def period_detail(request, slug):
    """A period's public figures, objective by objective. Prevents N+1: the periods (one
    query), the progress (three, four for a closed period) and one query per computed public
    indicator, however many records there are."""
    periods = list(public_periods())
    period = next((candidate for candidate in periods if candidate.slug == slug), None)
    if period is None:
        raise Http404(_("No results are published for this period."))
    progress = kept_progress(period, public=True)
    objectives = []
    for objective_progress in progress.objectives:
        chart = share_chart(objective_progress)
        objectives.append({"progress": objective_progress, "chart": chart, "svg": chart.svg()})
    context = {
        "period": period,
        "periods": periods,
        "progress": progress,
        "objectives": objectives,
        "status_counts": status_counts(progress),
    }
    return render(request, "results/period_detail.html", context)


def public_computed_indicator_or_404(pk):
    """An indicator whose records visitors may list: public and computed from the records (one
    entered by hand has no records behind it, only its source)."""
    indicators = Indicator.objects.public().filter(source=Indicator.Source.COMPUTED)
    return get_object_or_404(indicators.select_related("objective"), pk=pk)


@require_safe
@cache_public_page(params=("page",))
def indicator_records(request, slug, pk):
    """The public records a public figure is made of, a page at a time. Prevents N+1: the
    period, the indicator, the figure, the reported figure of a closed period, the count and
    the page (one query each)."""
    period = get_object_or_404(public_periods(), slug=slug)
    indicator = public_computed_indicator_or_404(pk)
    model = measures.RECORDS_OF[indicator.measure][0]
    kind, order = RECORD_KINDS[model]
    notices = []
    page = paginate(
        request,
        measures.records(indicator, period, public=True).order_by(*order),
        RECORDS_PER_PAGE,
        notices,
    )
    reported = None
    if period.is_closed:
        reported = ReportedFigure.objects.filter(period=period, indicator=indicator).first()
    context = {
        "period": period,
        "indicator": indicator,
        "kind": kind,
        "page_obj": page,
        "notices": notices,
        "live": measures.compute(indicator, period, public=True),
        "reported": reported,
    }
    return render(request, "results/indicator_records.html", context)


@require_safe
@cache_public_page
def period_csv(request, slug):
    """The period's public figures as CSV: texts in the page's language (escaped, so that none
    opens as a formula), numbers unlocalised, the status as its code."""
    period = get_object_or_404(public_periods(), slug=slug)
    progress = kept_progress(period, public=True)
    filename = f"results-{period.slug}-{get_language()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(FIGURE_COLUMNS)
    for objective_progress in progress.objectives:
        objective = objective_progress.objective
        for figure in objective_progress.figures:
            writer.writerow([escape(value) for value in figure_row(objective, figure)])
    return response

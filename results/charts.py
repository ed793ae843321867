"""A period's figures drawn and tabulated one way on every page that shows them: the
back-office results page, the public Results page and the funder's report.

The chart of an objective is the share of its target each indicator achieved, each bar in the
colour of its status (``results/static/results/chart.css``); its CSV, like the public page's
download, holds the figures unrounded and unlocalised.
"""

from django.utils.translation import gettext as _

from allas.charts import Chart
from results.models import ReportedFigure

Status = ReportedFigure.Status
# The statuses a bar can have, in the order of the series' colours (chart.css: s0, s1, s2).
CHARTED = [Status.EXCEEDED, Status.ON_TRACK, Status.BEHIND]

FIGURE_COLUMNS = [
    "objective",
    "indicator",
    "unit",
    "baseline",
    "target",
    "actual",
    "share_percent",
    "status",
    "reported",
]


def plain_number(value):
    """A figure as a CSV file holds it: a dot before the decimals, none when whole, no
    grouping (whatever the page's language), empty when there is none."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def figure_row(objective, figure):
    """One indicator's figures as a row of ``FIGURE_COLUMNS``."""
    share = figure.share
    return [
        str(objective.title),
        str(figure.indicator.name),
        str(figure.indicator.unit),
        plain_number(figure.baseline),
        plain_number(figure.target),
        plain_number(figure.actual),
        plain_number(None if share is None else round(share, 1)),
        figure.status,
        "yes" if figure.reported is not None else "no",
    ]


def share_chart(objective_progress):
    """The share of its target each indicator of an objective achieved, in %, coloured by
    status. Indicators without a target or a value have no share, so no bar (their row is in
    the CSV)."""
    objective = objective_progress.objective
    figures = objective_progress.figures
    charted = [figure for figure in figures if figure.share is not None]
    return Chart(
        name=f"objective-{objective.pk}",
        title=_("Share of the target achieved"),
        series=[str(status.label) for status in CHARTED],
        rows=[
            (
                str(figure.indicator.name),
                # Floats: the chart's geometry is float arithmetic.
                [float(round(figure.share, 1)) if figure.status == s else 0 for s in CHARTED],
            )
            for figure in charted
        ],
        csv_header=FIGURE_COLUMNS,
        csv_rows=[figure_row(objective, figure) for figure in figures],
        note=_("The target is 100 per cent; indicators without a target or a value have no bar.")
        if len(charted) < len(figures)
        else _("The target is 100 per cent."),
        unit="%",
    )

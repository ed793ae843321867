"""Progress against the work plan: for a period, each objective with its indicators' target,
actual, share achieved and status. The one read every page, chart and report of the results
uses (back-office, public page, funder's report).

Queries: the indicators with their objectives, the objectives' themes, the period's targets
and reported figures (four), then one per computed indicator (``results.measures``). A closed
period shows the figures reported when it closed, and the live figure beside each that differs.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from allas.cache import versioned
from partners.models import Theme
from results import measures
from results.models import Indicator, Objective, Period, ReportedFigure, Target

Status = ReportedFigure.Status
HUNDRED = Decimal(100)


def status_of(indicator, *, actual, target, elapsed):
    """Exceeded (the target is met), on track (at least ``on_track_from`` % of what is
    expected by now: the target pro rata of the share ``elapsed`` of the period gone by) or
    behind; no target, or no value yet for an indicator entered by hand."""
    if not target:
        return Status.NO_TARGET
    if actual is None:
        return Status.NO_VALUE
    if actual >= target:
        return Status.EXCEEDED
    if actual * HUNDRED >= target * elapsed * indicator.on_track_from:
        return Status.ON_TRACK
    return Status.BEHIND


@dataclass
class Figure:
    """One indicator's figures for the period."""

    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None  # None: entered by hand, and not yet
    status: str
    entry: Target | None = None  # the target's row: the source of a value entered by hand
    reported: ReportedFigure | None = None
    live: Decimal | None = None  # the live figure, when the period is closed

    @property
    def baseline(self):
        """The baseline as reported for a closed period, else the indicator's own."""
        return self.reported.baseline if self.reported is not None else self.indicator.baseline

    @property
    def share(self):
        """The share of the target achieved, in %, or None."""
        if self.actual is None or not self.target:
            return None
        return self.actual * HUNDRED / self.target

    @property
    def differs(self):
        """Whether the records now give another figure than the one reported."""
        return self.reported is not None and self.live is not None and self.live != self.actual

    @property
    def status_label(self):
        return Status(self.status).label


@dataclass
class ObjectiveProgress:
    objective: Objective
    figures: list = field(default_factory=list)


@dataclass
class Progress:
    period: Period
    public: bool
    objectives: list  # of ObjectiveProgress

    @property
    def figures(self):
        return [figure for objective in self.objectives for figure in objective.figures]

    def count_by_status(self):
        counts = dict.fromkeys(Status, 0)
        for figure in self.figures:
            counts[Status(figure.status)] += 1
        return counts


def live_actual(indicator, period, target, *, public):
    """The actual value from today's records (computed) or as entered (by hand)."""
    if indicator.is_computed:
        return measures.compute(indicator, period, public=public)
    return target.actual if target else None


def period_progress(period, *, public=False, today=None):
    """The period's progress, objective by objective. ``public``: the public indicators, with
    figures from public records only (the reported ``public_actual`` of a closed period)."""
    today = today or timezone.localdate()
    indicators = Indicator.objects.in_plan_order().prefetch_related(
        Prefetch("objective__themes", queryset=Theme.objects.all())
    )
    if public:
        indicators = indicators.public()
    targets = {target.indicator_id: target for target in period.targets.all()}
    reported = (
        {figure.indicator_id: figure for figure in period.reported_figures.all()}
        if period.is_closed
        else {}
    )
    # An indicator added after the period closed is judged as on the day it closed.
    on = timezone.localdate(period.closed_at) if period.is_closed else today
    elapsed = period.elapsed_share(on)
    objectives = {}
    for indicator in indicators:
        entry = targets.get(indicator.pk)
        live = live_actual(indicator, period, entry, public=public)
        figure = reported.get(indicator.pk)
        if figure is not None:
            # As reported: a threshold changed since does not change a reported status.
            target = figure.target
            actual = figure.public_actual if public else figure.actual
            status = figure.public_status if public else figure.status
        else:
            target = entry.value if entry else None
            actual = live
            status = status_of(indicator, actual=actual, target=target, elapsed=elapsed)
        objective = objectives.setdefault(
            indicator.objective_id, ObjectiveProgress(indicator.objective)
        )
        objective.figures.append(
            Figure(
                indicator=indicator,
                target=target,
                actual=actual,
                status=status,
                entry=entry,
                reported=figure,
                live=live if figure is not None else None,
            )
        )
    return Progress(period=period, public=public, objectives=list(objectives.values()))


def kept_progress(period, *, public=False):
    """``period_progress`` of today, kept until an edit touches what it read (``versioned``):
    the figures stay exact, and the pages that show them (each a query per indicator) cost a
    cache read until then."""
    today = timezone.localdate()
    return versioned(
        f"results-progress:{period.pk}:{int(public)}:{today}",
        lambda: period_progress(period, public=public, today=today),
    )

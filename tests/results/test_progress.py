"""Progress per indicator and period (status from thresholds, pro rata while the period runs),
closing a period (its figures frozen) and reopening it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from results.models import Measure, Period, ReportedFigure, Target
from results.progress import period_progress, status_of
from results.services import period_close, period_reopen
from tests import factories
from tests.results.work_plan import make_indicator, make_period

pytestmark = pytest.mark.django_db
Status = ReportedFigure.Status
START, END = datetime.date(2014, 1, 1), datetime.date(2014, 12, 31)


class Plain:
    on_track_from = 80


@pytest.mark.parametrize(
    ("actual", "target", "elapsed", "status"),
    [
        (Decimal(10), Decimal(10), Decimal(1), Status.EXCEEDED),
        (Decimal(12), Decimal(10), Decimal("0.1"), Status.EXCEEDED),
        (Decimal(8), Decimal(10), Decimal(1), Status.ON_TRACK),
        (Decimal(7), Decimal(10), Decimal(1), Status.BEHIND),
        # Half-way through the period, 4 of 10 is 80 % of the 5 expected by now.
        (Decimal(4), Decimal(10), Decimal("0.5"), Status.ON_TRACK),
        (Decimal(3), Decimal(10), Decimal("0.5"), Status.BEHIND),
        (Decimal(0), Decimal(10), Decimal(0), Status.ON_TRACK),
        (Decimal(3), None, Decimal(1), Status.NO_TARGET),
        (Decimal(3), Decimal(0), Decimal(1), Status.NO_TARGET),
        (None, Decimal(10), Decimal(1), Status.NO_VALUE),
    ],
)
def test_status_from_the_thresholds(actual, target, elapsed, status):
    assert status_of(Plain(), actual=actual, target=target, elapsed=elapsed) == status


def test_elapsed_share():
    period = Period(starts_on=START, ends_on=datetime.date(2014, 1, 10))
    assert period.elapsed_share(datetime.date(2013, 12, 1)) == 0
    assert period.elapsed_share(datetime.date(2014, 1, 5)) == Decimal("0.5")
    assert period.elapsed_share(datetime.date(2014, 1, 10)) == 1


@pytest.fixture
def period():
    return make_period(starts_on=START, ends_on=END)


def test_progress_groups_the_figures_by_objective(period):
    factories.make_activity(
        starts_on=datetime.date(2014, 6, 1), partners=[factories.make_partner()]
    )
    computed = make_indicator(targets={period: 2})
    by_hand = make_indicator(measure="", objective=computed.objective, targets={period: 100})
    Target.objects.filter(indicator=by_hand).update(actual=150, source_note="Survey")
    progress = period_progress(period, today=END)
    [objective] = progress.objectives
    first, second = objective.figures
    assert (first.actual, first.target, first.share, first.status) == (1, 2, 50, Status.BEHIND)
    assert (second.actual, second.status, second.entry.source_note) == (
        150,
        Status.EXCEEDED,
        "Survey",
    )


def test_the_public_progress_shows_public_indicators_only(period):
    make_indicator(targets={period: 2})
    make_indicator(is_public=False)
    assert len(period_progress(period).figures) == 2
    assert len(period_progress(period, public=True).figures) == 1


@pytest.mark.parametrize("activities", [1, 20])
def test_queries_depend_on_the_indicators_not_the_records(period, activities):
    for _ in range(activities):
        factories.make_activity(
            kind=Activity.Kind.TRAINING,
            starts_on=datetime.date(2014, 6, 1),
            partners=[factories.make_partner()],
        )
    for measure in (Measure.TRAININGS, Measure.ATTENDEES, ""):
        make_indicator(measure=measure, targets={period: 5})
    with CaptureQueriesContext(connection) as queries:
        progress = period_progress(period)
        [figure.status for figure in progress.figures]
    # Indicators with their objectives, the objectives' themes, the targets; one per computed.
    assert len(queries) == 3 + 2


def test_a_closed_period_keeps_its_reported_figures(period):
    coordinator = factories.make_coordinator()
    partner = factories.make_partner()
    factories.make_activity(starts_on=datetime.date(2014, 6, 1), partners=[partner])
    indicator = make_indicator(targets={period: 2})
    period = period_close(period=period, by=coordinator, today=datetime.date(2015, 1, 15))
    assert period.is_closed and period.closed_by == coordinator
    factories.make_activity(starts_on=datetime.date(2014, 7, 1), partners=[partner])
    [figure] = period_progress(period).figures
    assert (figure.actual, figure.live, figure.differs) == (1, 2, True)
    assert figure.status == Status.BEHIND
    # A target edited afterwards (in the database, past the form's refusal) changes nothing.
    Target.objects.filter(indicator=indicator).update(value=1)
    assert period_progress(period).figures[0].target == 2


def test_closing_twice_or_reopening_an_open_period_is_refused(period):
    with pytest.raises(ValidationError, match="open"):
        period_reopen(period=period)
    period_close(period=period)
    with pytest.raises(ValidationError, match="closed already"):
        period_close(period=period)


def test_reopening_removes_the_reported_figures_and_keeps_their_history(period):
    make_indicator(targets={period: 2})
    period = period_close(period=period)
    period = period_reopen(period=period, by=factories.make_coordinator())
    assert not period.is_closed
    assert not ReportedFigure.objects.exists()
    assert ReportedFigure.history.filter(history_type="-").count() == 1
    assert period.history.first().history_change_reason == "Reopened"


def test_a_reported_status_stays_when_a_threshold_changes_afterwards(period):
    factories.make_activity(
        starts_on=datetime.date(2014, 6, 1), partners=[factories.make_partner()]
    )
    hidden = factories.make_partner(is_public=False)
    factories.make_activity(starts_on=datetime.date(2014, 7, 1), partners=[hidden])
    indicator = make_indicator(measure=Measure.PARTNERS_TAKING_PART, targets={period: 2})
    period = period_close(period=period, today=datetime.date(2015, 1, 15))
    # Reported: 2 of 2 from every record, 1 of 2 (behind, under 80 %) from the public ones.
    assert [f.status for f in period_progress(period).figures] == [Status.EXCEEDED]
    assert [f.status for f in period_progress(period, public=True).figures] == [Status.BEHIND]
    indicator.on_track_from = 50
    indicator.save()
    assert [f.status for f in period_progress(period, public=True).figures] == [Status.BEHIND]

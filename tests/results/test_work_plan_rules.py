"""The work plan's rules: each a named database constraint with its message, checked by
full_clean(), and refused by the database itself when written past it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from results.models import Indicator, Measure, Period, Target
from tests.results.work_plan import make_indicator, make_objective, make_period

pytestmark = pytest.mark.django_db


def indicator(**fields):
    return Indicator(
        objective=make_objective(),
        name_en="Trainings",
        unit_en="trainings",
        original_language="en",
        **fields,
    )


BROKEN = [
    ({"source": "by_hand", "measure": Measure.TRAININGS}, "results_indicator_computed_has_measure"),
    ({"source": "computed", "measure": ""}, "results_indicator_computed_has_measure"),
    (
        {"source": "by_hand", "measure": "", "region": "europe"},
        "results_indicator_by_hand_not_narrowed",
    ),
    (
        {"measure": Measure.AGREEMENTS_REACHING},
        "results_indicator_status_only_for_agreements",
    ),
    (
        {"measure": Measure.TRAININGS, "agreement_status": "signed"},
        "results_indicator_status_only_for_agreements",
    ),
    (
        {"measure": Measure.TRAININGS, "activity_kind": "seminar"},
        "results_indicator_kind_only_for_activity_measures",
    ),
    (
        {"measure": Measure.ACTIVITIES, "region": "europe", "country": "FR"},
        "results_indicator_region_or_country",
    ),
]


@pytest.mark.parametrize(("fields", "constraint"), BROKEN)
def test_full_clean_gives_the_constraints_message(fields, constraint):
    record = indicator(**fields)
    message = next(c for c in Indicator._meta.constraints if c.name == constraint)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert message.get_violation_error_message() in str(error.value)


@pytest.mark.parametrize(("fields", "constraint"), BROKEN)
def test_the_database_refuses_it_too(fields, constraint):
    record = indicator(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_joining_has_no_theme():
    from tests import factories

    record = indicator(measure=Measure.PARTNERS_JOINING, theme=factories.make_theme())
    with pytest.raises(ValidationError, match="Partners joining a network have no theme"):
        record.full_clean()


def test_a_period_ends_after_it_starts():
    period = Period(
        name_en="Backwards",
        original_language="en",
        slug="backwards",
        starts_on=datetime.date(2014, 2, 1),
        ends_on=datetime.date(2014, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        period.full_clean()


def test_a_value_entered_by_hand_needs_its_source():
    period = make_period()
    target = Target(indicator=make_indicator(measure=""), period=period, value=10, actual=12)
    with pytest.raises(ValidationError, match="Say where the actual value comes from"):
        target.full_clean()
    target.source_url = "https://example.org/report"
    target.full_clean()


def test_a_computed_indicator_takes_no_value_by_hand():
    target = Target(indicator=make_indicator(), period=make_period(), value=10, actual=3)
    target.source_note = "Counted by hand"
    with pytest.raises(ValidationError, match="computed from the records"):
        target.full_clean()


def test_one_target_per_indicator_and_period():
    period = make_period()
    existing = make_indicator(targets={period: 5})
    with pytest.raises(ValidationError, match="already has a target"):
        Target(indicator=existing, period=period, value=6).full_clean()


def test_a_closed_periods_targets_are_not_changed():
    from results.services import period_close

    period = make_period()
    existing = make_indicator(targets={period: 5})
    period_close(period=period)
    target = existing.targets.get()
    target.value = Decimal(7)
    with pytest.raises(ValidationError, match="The period is closed"):
        target.full_clean()


def test_negative_figures_are_refused():
    record = indicator(measure=Measure.TRAININGS, baseline=Decimal(-1))
    with pytest.raises(ValidationError):
        record.full_clean()

"""Work-plan records for the results tests: a period, objectives and indicators."""

import datetime
import itertools

from results.models import Indicator, Measure, Objective, Period, Target
from tests import factories

_numbers = itertools.count(1)


def make_period(
    *, starts_on=datetime.date(2014, 1, 1), ends_on=datetime.date(2014, 12, 31), **fields
):
    number = next(_numbers)
    fields.setdefault("name_en", f"Year {number}")
    fields.setdefault("slug", f"year-{number}")
    fields.setdefault("original_language", "en")
    period = Period(starts_on=starts_on, ends_on=ends_on, **fields)
    period.full_clean()
    period.save()
    return period


def make_objective(*, themes=None, **fields):
    number = next(_numbers)
    fields.setdefault("title_en", f"Objective {number}")
    fields.setdefault("original_language", "en")
    objective = Objective.objects.create(**fields)
    objective.themes.set(themes if themes is not None else [factories.make_theme()])
    return objective


def make_indicator(*, objective=None, measure=Measure.ACTIVITIES, targets=None, **fields):
    """A computed indicator (``measure``), or one entered by hand (``measure=""``), with
    ``targets``: {period: value}."""
    number = next(_numbers)
    fields.setdefault("name_en", f"Indicator {number}")
    fields.setdefault("unit_en", "activities")
    fields.setdefault("original_language", "en")
    if not measure:
        fields.setdefault("source", Indicator.Source.BY_HAND)
    if measure == Measure.AGREEMENTS_REACHING:
        fields.setdefault("agreement_status", "signed")
    indicator = Indicator(objective=objective or make_objective(), measure=measure, **fields)
    indicator.full_clean()
    indicator.save()
    for period, value in (targets or {}).items():
        Target.objects.create(indicator=indicator, period=period, value=value)
    return indicator

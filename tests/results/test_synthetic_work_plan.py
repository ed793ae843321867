"""The benchmark's work plan (results/synthetic.py) over a small synthetic data set."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from results.models import Indicator, Measure, Objective, Period, Target

TODAY = datetime.date(2026, 3, 15)
NARROWINGS = [
    "activity_kind",
    "agreement_status",
    "theme",
    "region",
    "country",
    "partner_kind",
    "network",
]


def generate_data():
    call_command(
        "generate_synthetic_data",
        seed=7,
        today=TODAY,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        no_progress=True,
        partners=40,
        memberships=90,
        agreements=15,
        activities=120,
        participations=600,
        resources=12,
    )


def generate_work_plan(**options):
    out = io.StringIO()
    call_command("generate_synthetic_work_plan", today=TODAY, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_it_covers_every_definition_and_narrowing_with_a_target_per_period():
    generate_data()
    generate_work_plan()

    assert list(Period.objects.values_list("slug", flat=True)) == [
        "syn-2026",
        "syn-2025",
        "syn-2024",
    ]
    assert Objective.objects.count() == 8
    indicators = Indicator.objects.all()
    assert len(indicators) == 40
    assert {i.measure for i in indicators if i.is_computed} == set(Measure)
    assert 3 <= sum(not i.is_computed for i in indicators) <= 6
    for name in NARROWINGS:
        assert any(getattr(i, name) for i in indicators), name
    assert Target.objects.count() == 40 * 3
    assert Target.objects.filter(actual__isnull=False).count() == 4 * 3
    assert indicators.filter(is_public=False).exists()


@pytest.mark.django_db
def test_a_second_run_saves_nothing():
    generate_data()
    generate_work_plan()
    history = Target.history.count() + Indicator.history.count() + Objective.history.count()

    assert "0 records saved" in generate_work_plan()
    assert Target.history.count() + Indicator.history.count() + Objective.history.count() == (
        history
    )


@pytest.mark.django_db
def test_it_needs_the_synthetic_data_set():
    with pytest.raises(CommandError, match="generate_synthetic_data"):
        generate_work_plan()

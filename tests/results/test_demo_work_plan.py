"""The demo's first-year work plan (results/demo.py): loaded once, its figures recomputed
independently from the demo records.

The first year is 1 May 2013 – 28 July 2014. Figures checked by hand against the demo records
(activities/demo/loader.py), with the illustrative targets and the status each gives once the
year is over (elapsed share 1: "on track" from 80 % of the target):

  Legal framework
    agreements entering into force     1  (the founding agreement, 1 May 2013)  / 1   exceeded
    partners joining AL-LAs            9  (Mexico City, the six cities, CUF and FAMSI, all
                                           on 1 May 2013; VNG joined UCLG in 2004) / 10  on track
    agreements with European networks  2  (Italy and Portugal, under evaluation 1 April 2014;
      reaching evaluation                  the national networks are in Europe)     / 2  exceeded
  Communication tools
    resources on communication tools   1  (the first-year report, 28 July 2014; the guide is
                                           on organisation and legal frameworks)    / 3  behind
    mayors and officials reached     180  (entered by hand, illustrative source)  / 200  on track
  Organisation within city councils
    activities on the theme            2  (the launch, the FEMP training)           / 3  behind
    Latin-American partners taking     7  (Mexico City and the six cities, at the launch;
      part                                 Montevideo and Medellín again at the training) / 6
                                                                                       exceeded
  Other actors
    distinct partners taking part     13  (10 at the launch: Mexico City, six cities, CUF,
                                           FAMSI, the EU; FEMP at the training; VNG and UCLG at
                                           the strategic meeting)                  / 12  exceeded
    institutions taking part (not      1  (the European Union)                      / 2  behind
      public)
  Lobbying
    strategic meetings                 1  (with VNG and UCLG, 20 May 2014)          / 2  behind
    partners in lobbying activities    3  (Mexico City, VNG, UCLG)                  / 3  exceeded
  Training
    trainings                          1  (the joint session with FEMP)             / 1  exceeded
    hours of training                 12  (that session)                           / 16  behind
    attendees of trainings            11  (3 Mexico City + 4 FEMP + 2 Montevideo + 2 Medellín)
                                                                                   / 10  exceeded

Every demo partner, agreement and resource is public, so the public figures are the same.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalChanges

from results import measures
from results.demo import PERIOD_SLUG
from results.models import Indicator, Objective, Period, ReportedFigure, Target
from results.progress import period_progress
from results.services import period_close
from tests.results.recomputed import Records

AFTER_THE_YEAR = datetime.date(2015, 1, 1)
Status = ReportedFigure.Status

# English name: (actual, target, status), as in the docstring.
EXPECTED = {
    "Agreements entering into force": (1, 1, Status.EXCEEDED),
    "Partners joining AL-LAs": (9, 10, Status.ON_TRACK),
    "Agreements with European networks reaching evaluation": (2, 2, Status.EXCEEDED),
    "Resources published on communication tools": (1, 3, Status.BEHIND),
    "Mayors and officials reached by the first-year report": (180, 200, Status.ON_TRACK),
    "Activities on organisation within city councils": (2, 3, Status.BEHIND),
    "Latin-American partners taking part": (7, 6, Status.EXCEEDED),
    "Distinct partners taking part in activities": (13, 12, Status.EXCEEDED),
    "Institutions taking part": (1, 2, Status.BEHIND),
    "Strategic meetings": (1, 2, Status.BEHIND),
    "Partners taking part in lobbying activities": (3, 3, Status.EXCEEDED),
    "Trainings": (1, 1, Status.EXCEEDED),
    "Hours of training": (12, 16, Status.BEHIND),
    "Attendees of trainings": (11, 10, Status.EXCEEDED),
}


def load_demo():
    call_command("load_demo_data", stdout=io.StringIO())
    call_command("load_demo_work_plan", stdout=io.StringIO())


def history_rows():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    }


@pytest.fixture
def first_year(db):
    load_demo()
    return Period.objects.get(slug=PERIOD_SLUG)


def test_the_first_year_runs_from_the_launch_to_the_first_report_and_is_open(first_year):
    assert (first_year.starts_on, first_year.ends_on) == (
        datetime.date(2013, 5, 1),
        datetime.date(2014, 7, 28),
    )
    assert not first_year.is_closed
    assert "Illustrative" in first_year.note
    assert first_year.name_es == "Primer año" and first_year.name_en == "First year"


def test_every_theme_has_an_objective_with_illustrative_targets_in_four_languages(first_year):
    objectives = list(Objective.objects.prefetch_related("themes", "indicators"))
    assert sorted(theme.slug for o in objectives for theme in o.themes.all()) == sorted(
        [
            "legal-framework",
            "communication-tools",
            "city-council-organisation",
            "non-governmental-actors",
            "lobbying",
            "training",
        ]
    )
    for objective in objectives:
        assert objective.note == "Illustrative target: not given in the network's description."
        assert objective.original_language == "es"
        assert all(getattr(objective, f"title_{code}") for code in ("es", "pt", "fr", "en"))
        assert 1 <= len(objective.indicators.all()) <= 3
    for indicator in Indicator.objects.all():
        assert all(getattr(indicator, f"name_{code}") for code in ("es", "pt", "fr", "en"))
        assert all(getattr(indicator, f"unit_{code}") for code in ("es", "pt", "fr", "en"))
    by_hand = Target.objects.get(period=first_year, indicator__source="by_hand")
    assert by_hand.actual == 180 and "ilustrativa" in by_hand.source_note
    assert list(Indicator.objects.filter(is_public=False).values_list("name_en", flat=True)) == [
        "Institutions taking part"
    ]


@pytest.mark.django_db
def test_a_second_load_writes_nothing():
    load_demo()
    history = history_rows()
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo_work_plan", stdout=io.StringIO())
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert history_rows() == history


@pytest.mark.django_db
def test_a_demo_target_changed_since_is_set_back_with_one_history_entry():
    load_demo()
    target = Target.objects.get(indicator__name_en="Trainings")
    target.value = 5
    target.save()
    before = Target.history.count()
    call_command("load_demo_work_plan", stdout=io.StringIO())
    assert Target.objects.get(pk=target.pk).value == 1
    assert Target.history.count() == before + 1


@pytest.mark.django_db
def test_a_closed_first_year_keeps_its_targets_and_stays_closed():
    load_demo()
    period = Period.objects.get(slug=PERIOD_SLUG)
    period_close(period=period, today=AFTER_THE_YEAR)
    Target.objects.filter(indicator__name_en="Trainings").update(value=5)
    call_command("load_demo_work_plan", stdout=io.StringIO())
    assert Period.objects.get(slug=PERIOD_SLUG).is_closed
    assert Target.objects.get(indicator__name_en="Trainings").value == 5


@pytest.mark.django_db
def test_the_work_plan_needs_the_demo_network():
    with pytest.raises(CommandError, match="load_demo_data"):
        call_command("load_demo_work_plan", stdout=io.StringIO())


@pytest.mark.parametrize("public", [False, True])
def test_every_demo_indicator_is_recomputed_independently_from_the_records(first_year, public):
    records = Records()
    progress = period_progress(first_year, public=public, today=AFTER_THE_YEAR)
    figures = {figure.indicator.name_en: figure for figure in progress.figures}
    expected = {
        name: values
        for name, values in EXPECTED.items()
        if not public or name != "Institutions taking part"
    }
    assert set(figures) == set(expected)
    for name, (actual, target, status) in expected.items():
        figure = figures[name]
        indicator = figure.indicator
        if indicator.is_computed:
            value, pks = records.figure(indicator, first_year, public=public)
            assert measures.compute(indicator, first_year, public=public) == value, name
            assert (
                set(
                    measures.records(indicator, first_year, public=public).values_list(
                        "pk", flat=True
                    )
                )
                == pks
            ), name
            assert figure.actual == value, name
        assert (figure.actual, figure.target, figure.status) == (
            Decimal(actual),
            Decimal(target),
            status,
        ), name


def test_the_statuses_are_mixed(first_year):
    counts = period_progress(first_year, today=AFTER_THE_YEAR).count_by_status()
    assert counts[Status.EXCEEDED] == 7
    assert counts[Status.ON_TRACK] == 2
    assert counts[Status.BEHIND] == 5

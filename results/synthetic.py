"""A work plan for the synthetic data set (``activities.synthetic``), for the benchmark: three
yearly periods (the two years before ``today`` and ``today``'s year), eight objectives over the
working themes and some forty indicators that use every definition and every narrowing, with
a target per period and a handful of indicators entered by hand.

Targets follow the records: each is the period's actual value times a factor drawn from the
seed (0.6 to 1.6), so the statuses are mixed; computing them reads every definition once per
period, which also shows how long each takes (``generate_work_plan`` returns the times).

Safe to run again: periods are matched by slug (``syn-<year>``), objectives by their Spanish
title, indicators by objective and position, targets by indicator and period; a record is saved
only when a value differs (as the demo loader does), and a closed period's targets are left as
reported. Records are saved one by one, with their history, as in the back-office: there are
fewer than two hundred.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import translation

from activities.demo.loader import load, update_if_changed
from activities.demo.texts import column_values, text
from activities.models import Activity
from partners.models import Agreement, Partner, Theme
from results import measures
from results.models import Indicator, Measure, Objective, Period, Target

SLUG_PREFIX = "syn-"
NOTE = "Synthetic record (generate_synthetic_work_plan): not real."
FACTORS = [Decimal(f) for f in ("0.6", "0.8", "0.9", "1.0", "1.1", "1.3", "1.6")]

# The definitions, by objective: (measure, narrowing). Every measure, and every narrowing
# field, appears; None is an indicator entered by hand. "network" is the large world network;
# themes are named by their slug.
PLAN = [
    ("legal-framework", ["city-council-organisation"], [
        (Measure.AGREEMENTS_REACHING, {"agreement_status": Agreement.Status.SIGNED}),
        (Measure.AGREEMENTS_REACHING, {"agreement_status": Agreement.Status.IN_FORCE,
                                       "theme": "legal-framework"}),
        (Measure.AGREEMENTS_REACHING, {"agreement_status": Agreement.Status.UNDER_EVALUATION,
                                       "region": Partner.Region.EUROPE}),
        (Measure.AGREEMENTS_REACHING, {"agreement_status": Agreement.Status.DECLINED}),
        (Measure.AGREEMENTS_REACHING, {"agreement_status": Agreement.Status.NEGOTIATION,
                                       "partner_kind": Partner.Kind.NETWORK}),
    ]),
    ("communication-tools", [], [
        (Measure.RESOURCES_PUBLISHED, {}),
        (Measure.RESOURCES_PUBLISHED, {"theme": "communication-tools"}),
        (Measure.RESOURCES_PUBLISHED, {"country": "ES"}),
        (Measure.ACTIVITIES, {"activity_kind": Activity.Kind.CAMPAIGN}),
        (None, {}),
    ]),
    ("city-council-organisation", [], [
        (Measure.ACTIVITIES, {}),
        (Measure.ACTIVITIES, {"theme": "city-council-organisation"}),
        (Measure.ACTIVITIES, {"region": Partner.Region.LATIN_AMERICA}),
        (Measure.PARTNERS_TAKING_PART, {"partner_kind": Partner.Kind.CITY}),
        (Measure.ATTENDEES, {"theme": "city-council-organisation", "country": "BR"}),
    ]),
    ("non-governmental-actors", [], [
        (Measure.PARTNERS_TAKING_PART, {}),
        (Measure.PARTNERS_TAKING_PART, {"partner_kind": Partner.Kind.INSTITUTION}),
        (Measure.ATTENDEES, {"partner_kind": Partner.Kind.INSTITUTION}),
        (Measure.RESOURCES_PUBLISHED, {"partner_kind": Partner.Kind.INSTITUTION}),
        (None, {}),
    ]),
    ("lobbying", [], [
        (Measure.ACTIVITIES, {"activity_kind": Activity.Kind.STRATEGIC_MEETING}),
        (Measure.ACTIVITIES, {"activity_kind": Activity.Kind.LOBBYING, "network": True}),
        (Measure.PARTNERS_TAKING_PART, {"activity_kind": Activity.Kind.CONFERENCE,
                                        "region": Partner.Region.EUROPE}),
        (Measure.PARTNERS_JOINING, {"network": True}),
        (None, {}),
    ]),
    ("training", [], [
        (Measure.TRAININGS, {}),
        (Measure.TRAINING_HOURS, {}),
        (Measure.ATTENDEES, {"activity_kind": Activity.Kind.TRAINING}),
        (Measure.ATTENDEE_HOURS, {}),
        (Measure.TRAININGS, {"theme": "training", "region": Partner.Region.LATIN_AMERICA}),
    ]),
    ("training", ["non-governmental-actors"], [
        (Measure.TRAINING_HOURS, {"network": True}),
        (Measure.ATTENDEE_HOURS, {"country": "MX"}),
        (Measure.ATTENDEES, {"activity_kind": Activity.Kind.STUDY_VISIT}),
        (Measure.PARTNERS_TAKING_PART, {"network": True, "partner_kind": Partner.Kind.CITY}),
        (None, {}),
    ]),
    ("legal-framework", ["lobbying"], [
        (Measure.PARTNERS_JOINING, {}),
        (Measure.PARTNERS_JOINING, {"region": Partner.Region.LATIN_AMERICA}),
        (Measure.PARTNERS_JOINING, {"partner_kind": Partner.Kind.CITY, "country": "BR"}),
        (Measure.RESOURCES_PUBLISHED, {"theme": "legal-framework", "network": True}),
        (Measure.AGREEMENTS_REACHING, {"agreement_status": Agreement.Status.PROPOSED,
                                       "network": True}),
    ]),
]  # fmt: skip


@dataclass
class WorkPlanReport:
    periods: list
    objectives: int = 0
    indicators: int = 0
    saved: int = 0
    # (indicator, period, seconds) for each figure computed to set a target.
    timings: list = field(default_factory=list)


class SyntheticWorkPlanError(Exception):
    """The database holds no synthetic data set to measure."""


def _period_texts(year):
    return {
        "original_language": "es",
        "name": text(es=f"Año {year}", pt=f"Ano {year}", fr=f"Année {year}", en=f"Year {year}"),
    }


def _objective_texts(number, theme):
    return {
        "original_language": "es",
        "title": text(
            es=f"Objetivo sintético {number}: {theme.name_es}",
            pt=f"Objetivo sintético {number}: {theme.name_pt}",
            fr=f"Objectif synthétique {number} : {theme.name_fr}",
            en=f"Synthetic objective {number}: {theme.name_en}",
        ),
        "description": text(
            es="Objetivo del plan de trabajo sintético, para medir el sitio.",
            pt="Objetivo do plano de trabalho sintético, para medir o site.",
            fr="Objectif du plan de travail synthétique, pour mesurer le site.",
            en="An objective of the synthetic work plan, to measure the site.",
        ),
    }


def _indicator_texts(measure, narrowing, number):
    with translation.override("en"):  # the same name whatever the active language
        label = str(Measure(measure).label) if measure else "Entered by hand"
    detail = ", ".join(f"{name}={value}" for name, value in narrowing.items())
    name = f"{number}. {label}" + (f" ({detail})" if detail else "")
    # The definition's label is in English in the code: the synthetic texts say so in every
    # language rather than translate it.
    return {
        "original_language": "en",
        "name": {"es": "", "pt": "", "fr": "", "en": name[:250]},
        "unit": text(es="unidades", pt="unidades", fr="unités", en="units"),
    }


def _world_network():
    """The large world network of the synthetic data set: the network with most members."""
    return (
        Partner.objects.networks()
        .filter(slug__startswith=SLUG_PREFIX)
        .annotate(members=Count("member_links"))
        .order_by("-members", "pk")
        .first()
    )


@transaction.atomic
def generate_work_plan(*, today, seed=42):
    """Write (or refresh) the synthetic work plan; returns a WorkPlanReport."""
    network = _world_network()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    needed = {slug for first, others, _ in PLAN for slug in [first, *others]}
    if network is None or not needed <= set(themes):
        raise SyntheticWorkPlanError(
            "No synthetic data set here: run manage.py generate_synthetic_data first."
        )
    rng = random.Random(seed)
    periods = []
    for year in (today.year - 2, today.year - 1, today.year):
        period = load(
            Period,
            {
                **column_values(_period_texts(year), Period.TRANSLATED_FIELDS),
                "starts_on": datetime.date(year, 1, 1),
                "ends_on": datetime.date(year, 12, 31),
                "note": NOTE,
            },
            slug=f"{SLUG_PREFIX}{year}",
        )
        periods.append(period)
    report = WorkPlanReport(periods=periods)
    number = 0
    for position, (first, others, definitions) in enumerate(PLAN, start=1):
        texts = _objective_texts(position, themes[first])
        objective = Objective.objects.filter(title_es=texts["title"]["es"]).first() or Objective(
            position=position
        )
        report.saved += update_if_changed(
            objective,
            **column_values(texts, Objective.TRANSLATED_FIELDS),
            position=position,
            note=NOTE,
        )
        objective.themes.set([themes[slug] for slug in [first, *others]])
        report.objectives += 1
        for indicator_position, (measure, narrowing) in enumerate(definitions, start=1):
            number += 1
            indicator = _indicator(
                objective, indicator_position, measure, narrowing, number, themes, network, report
            )
            for period in periods:
                _target(indicator, period, rng, report)
    return report


def _indicator(objective, position, measure, narrowing, number, themes, network, report):
    values = {
        "source": Indicator.Source.COMPUTED if measure else Indicator.Source.BY_HAND,
        "measure": measure or "",
        "activity_kind": narrowing.get("activity_kind", ""),
        "agreement_status": narrowing.get("agreement_status", ""),
        "theme_id": themes[narrowing["theme"]].pk if "theme" in narrowing else None,
        "region": narrowing.get("region", ""),
        "country": narrowing.get("country", ""),
        "partner_kind": narrowing.get("partner_kind", ""),
        "network_id": network.pk if narrowing.get("network") else None,
        # Every seventh indicator is for coordinators only; thresholds vary.
        "is_public": number % 7 != 0,
        "on_track_from": (70, 80, 90)[number % 3],
        "baseline": Decimal(number % 4 * 5),
    }
    shown = {k: (network.short_name if k == "network" else v) for k, v in narrowing.items()}
    indicator = Indicator.objects.filter(objective=objective, position=position).first()
    indicator = indicator or Indicator(objective=objective, position=position)
    report.saved += update_if_changed(
        indicator,
        validate=True,
        **column_values(_indicator_texts(measure, shown, number), Indicator.TRANSLATED_FIELDS),
        **values,
    )
    report.indicators += 1
    return indicator


def _target(indicator, period, rng, report):
    # Drawn whether or not the target is written, so the same seed gives the same targets.
    factor, by_hand = rng.choice(FACTORS), Decimal(rng.randrange(20, 400))
    if period.is_closed:
        return
    if indicator.is_computed:
        started = time.perf_counter()
        actual = measures.compute(indicator, period)
        report.timings.append((indicator, period, time.perf_counter() - started))
        values = {"value": max(Decimal(1), (actual * factor).quantize(1, ROUND_HALF_UP))}
        values.update(actual=None, source_note="")
    else:
        values = {
            "value": (by_hand * factor).quantize(1, ROUND_HALF_UP),
            "actual": by_hand,
            "source_note": NOTE,
        }
    target = Target.objects.filter(indicator=indicator, period=period).first()
    report.saved += update_if_changed(
        target or Target(indicator=indicator, period=period), **values
    )

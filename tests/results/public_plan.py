"""A work plan on top of ``tests.public_site.populate`` for the tests of the public Results
pages (accessibility, valid HTML): a period in progress with public indicators computed and
entered by hand, a hidden indicator, and a closed period whose live figure differs from the
reported one."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from results.models import Indicator, Measure, Target
from results.services import period_close
from tests import factories
from tests.results.work_plan import make_indicator, make_objective, make_period


@dataclass
class Plan:
    current: object
    closed: object
    indicators: list = field(default_factory=list)
    hidden: object = None

    def paths(self):
        """The public Results pages, without the language prefix."""
        computed = next(i for i in self.indicators if i.is_computed)
        return [
            f"/results/{self.current.slug}/",
            f"/results/{self.current.slug}/indicators/{computed.pk}/",
            f"/results/{self.closed.slug}/",
        ]


def populate_results(site, *, today=None):
    today = today or timezone.localdate()
    current = make_period(
        slug="year-one",
        name_es="Primer año",
        name_en="First year",
        original_language="es",
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today + datetime.timedelta(days=265),
    )
    closed = make_period(
        slug="year-zero",
        name_es="Año cero",
        name_en="Year zero",
        original_language="es",
        starts_on=today - datetime.timedelta(days=465),
        ends_on=today - datetime.timedelta(days=101),
    )
    objective = make_objective(
        themes=site.themes,
        title_es="Formar a los equipos de las ciudades",
        title_en="Train the cities' teams",
        description_es="Cursos y talleres sobre la cooperación descentralizada.",
        original_language="es",
    )
    plan = Plan(current=current, closed=closed)
    for name_es, name_en, measure, target in [
        ("Actividades publicadas", "Published activities", Measure.ACTIVITIES, 4),
        ("Socios que participan", "Partners taking part", Measure.PARTNERS_TAKING_PART, 5),
        ("Horas de formación", "Hours of training", Measure.TRAINING_HOURS, 1500),
    ]:
        plan.indicators.append(
            make_indicator(
                objective=objective,
                measure=measure,
                name_es=name_es,
                name_en=name_en,
                unit_es="unidades",
                original_language="es",
                targets={current: target, closed: target},
            )
        )
    by_hand = make_indicator(
        objective=objective,
        measure="",
        name_es="Personas que siguen el boletín",
        unit_es="personas",
        original_language="es",
        targets={current: 1200, closed: 1000},
    )
    Target.objects.filter(indicator=by_hand).update(
        actual=1234.5,
        source_note="Cifras del servicio de envío.",
        source_url="https://example.org/",
    )
    plan.indicators.append(by_hand)
    plan.hidden = make_indicator(
        objective=make_objective(themes=site.themes, title_es="Hidden objective"),
        name_es="Hidden indicator",
        unit_es="actividades",
        original_language="es",
        is_public=False,
        targets={current: 3},
    )
    period_close(period=closed, today=closed.ends_on)
    # Recorded after the report: the live figure differs from the reported one.
    factories.make_activity(
        title="Late report",
        slug="late-report",
        starts_on=closed.starts_on + datetime.timedelta(days=10),
        partners=[site.partners[0]],
    )
    assert Indicator.objects.public().count() == len(plan.indicators)
    return plan

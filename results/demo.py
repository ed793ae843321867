"""The demo network's first-year work plan: an objective under each working theme, its
indicators (computed from the demo's records by the fixed definitions, and one entered by hand
with its source) and their targets for the first year, with texts in the four languages.

The network began in May 2013 and reported its first year on 28 July 2014 (PRODUCT.md); the
exact first day, every target and the figure entered by hand are not in the network's
description, and each record says so in its internal note. The period is left open, so a
coordinator can try closing it.

``load()`` is safe to run again, as the demo network's loader (``activities.demo.loader``):
records are matched (the period by its slug, an objective by its position and first theme, an
indicator by its objective and position, a target by its indicator and period) and saved only
when a value differs, so a second run writes nothing. A closed period's targets are left as
they were reported.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from activities.demo.facts import LAUNCH
from activities.demo.loader import load, update_if_changed
from activities.demo.texts import column_values, text
from activities.models import Activity
from partners.models import Agreement, Partner, Theme
from results.models import Indicator, Measure, Objective, Period, Target

PERIOD_SLUG = "first-year"
FIRST_YEAR_REPORTED_ON = datetime.date(2014, 7, 28)  # a fact of PRODUCT.md
PERIOD_NOTE = (
    "Illustrative: the exact first day is not given in the network's description (it began "
    "its activities in May 2013); its first year was reported on 28 July 2014."
)
TARGETS_NOTE = "Illustrative target: not given in the network's description."
# Shown to visitors beside the figure: in Spanish, the demo's original language.
BY_HAND_SOURCE = (
    "Cifra ilustrativa, no dada en la descripción de la red: recuento de alcaldes y "
    "funcionarios a quienes la secretaría envió el informe del primer año."
)

PERIOD_TEXTS = {
    "original_language": "es",
    "name": text(es="Primer año", pt="Primeiro ano", fr="Première année", en="First year"),
}


def indicator(*, name, unit, target, **definition):
    """An indicator's texts, target for the first year and definition (the Indicator fields:
    ``measure`` and its narrowing, or ``source="by_hand"`` with ``actual``)."""
    return {
        "texts": {"original_language": "es", "name": name, "unit": unit},
        "target": Decimal(target),
        **definition,
    }


_ACTIVITIES = text(es="actividades", pt="atividades", fr="activités", en="activities")
_PARTNERS = text(es="socios", pt="parceiros", fr="partenaires", en="partners")
_AGREEMENTS = text(es="acuerdos", pt="acordos", fr="accords", en="agreements")

# Position, themes (slugs of activities.demo.texts.THEMES, the first one identifies the
# objective), texts, indicators.
OBJECTIVES = [
    {
        "position": 1,
        "themes": ["legal-framework"],
        "texts": {
            "original_language": "es",
            "title": text(
                es="Dotar a la alianza de un marco jurídico e institucional",
                pt="Dotar a aliança de um marco jurídico e institucional",
                fr="Doter l'alliance d'un cadre juridique et institutionnel",
                en="Give the alliance a legal and institutional framework",
            ),
            "description": text(
                es="Poner en vigor el acuerdo fundacional, sumar a los socios fundadores y "
                "abrir la alianza a las redes nacionales de gobiernos locales.",
                pt="Pôr em vigor o acordo fundador, reunir os parceiros fundadores e abrir a "
                "aliança às redes nacionais de governos locais.",
                fr="Faire entrer en vigueur l'accord fondateur, réunir les partenaires "
                "fondateurs et ouvrir l'alliance aux réseaux nationaux de collectivités "
                "locales.",
                en="Bring the founding agreement into force, bring the founding partners "
                "together and open the alliance to national networks of local governments.",
            ),
        },
        "indicators": [
            indicator(
                name=text(
                    es="Acuerdos que entran en vigor",
                    pt="Acordos que entram em vigor",
                    fr="Accords qui entrent en vigueur",
                    en="Agreements entering into force",
                ),
                unit=_AGREEMENTS,
                target=1,
                measure=Measure.AGREEMENTS_REACHING,
                agreement_status=Agreement.Status.IN_FORCE,
            ),
            indicator(
                name=text(
                    es="Socios que se unen a AL-LAs",
                    pt="Parceiros que aderem à AL-LAs",
                    fr="Partenaires qui rejoignent AL-LAs",
                    en="Partners joining AL-LAs",
                ),
                unit=_PARTNERS,
                target=10,
                measure=Measure.PARTNERS_JOINING,
                network="al-las",
            ),
            indicator(
                name=text(
                    es="Acuerdos con redes europeas que pasan a evaluación",
                    pt="Acordos com redes europeias que passam à avaliação",
                    fr="Accords avec des réseaux européens mis en évaluation",
                    en="Agreements with European networks reaching evaluation",
                ),
                unit=_AGREEMENTS,
                target=2,
                measure=Measure.AGREEMENTS_REACHING,
                agreement_status=Agreement.Status.UNDER_EVALUATION,
                region=Partner.Region.EUROPE,
            ),
        ],
    },
    {
        "position": 2,
        "themes": ["communication-tools"],
        "texts": {
            "original_language": "es",
            "title": text(
                es="Dar a conocer la acción internacional de las ciudades",
                pt="Dar a conhecer a ação internacional das cidades",
                fr="Faire connaître l'action internationale des villes",
                en="Make cities' international action known",
            ),
            "description": text(
                es="Publicar herramientas de comunicación y el informe del primer año para "
                "los alcaldes y sus equipos.",
                pt="Publicar ferramentas de comunicação e o relatório do primeiro ano para os "
                "prefeitos e suas equipes.",
                fr="Publier des outils de communication et le rapport de la première année "
                "pour les maires et leurs équipes.",
                en="Publish communication tools and the first-year report for mayors and "
                "their teams.",
            ),
        },
        "indicators": [
            indicator(
                name=text(
                    es="Recursos publicados sobre herramientas de comunicación",
                    pt="Recursos publicados sobre ferramentas de comunicação",
                    fr="Ressources publiées sur les outils de communication",
                    en="Resources published on communication tools",
                ),
                unit=text(es="recursos", pt="recursos", fr="ressources", en="resources"),
                target=3,
                measure=Measure.RESOURCES_PUBLISHED,
                theme="communication-tools",
            ),
            indicator(
                name=text(
                    es="Alcaldes y funcionarios alcanzados por el informe del primer año",
                    pt="Prefeitos e funcionários alcançados pelo relatório do primeiro ano",
                    fr="Maires et fonctionnaires touchés par le rapport de la première année",
                    en="Mayors and officials reached by the first-year report",
                ),
                unit=text(es="personas", pt="pessoas", fr="personnes", en="people"),
                target=200,
                source=Indicator.Source.BY_HAND,
                actual=Decimal(180),
            ),
        ],
    },
    {
        "position": 3,
        "themes": ["city-council-organisation"],
        "texts": {
            "original_language": "es",
            "title": text(
                es="Organizar las relaciones internacionales dentro de los gobiernos locales",
                pt="Organizar as relações internacionais dentro das prefeituras",
                fr="Organiser les relations internationales au sein des mairies",
                en="Organise international relations within city councils",
            ),
            "description": text(
                es="Reunir a las ciudades latinoamericanas socias en actividades sobre cómo se "
                "organiza la acción internacional en el gobierno local.",
                pt="Reunir as cidades latino-americanas parceiras em atividades sobre como se "
                "organiza a ação internacional na prefeitura.",
                fr="Réunir les villes latino-américaines partenaires autour d'activités sur "
                "l'organisation de l'action internationale au sein de la mairie.",
                en="Bring the Latin-American partner cities together in activities on how "
                "international action is organised within city councils.",
            ),
        },
        "indicators": [
            indicator(
                name=text(
                    es="Actividades sobre la organización en el gobierno local",
                    pt="Atividades sobre a organização na prefeitura",
                    fr="Activités sur l'organisation au sein de la mairie",
                    en="Activities on organisation within city councils",
                ),
                unit=_ACTIVITIES,
                target=3,
                measure=Measure.ACTIVITIES,
                theme="city-council-organisation",
            ),
            indicator(
                name=text(
                    es="Socios latinoamericanos que participan",
                    pt="Parceiros latino-americanos que participam",
                    fr="Partenaires latino-américains qui participent",
                    en="Latin-American partners taking part",
                ),
                unit=_PARTNERS,
                target=6,
                measure=Measure.PARTNERS_TAKING_PART,
                region=Partner.Region.LATIN_AMERICA,
            ),
        ],
    },
    {
        "position": 4,
        "themes": ["non-governmental-actors"],
        "texts": {
            "original_language": "es",
            "title": text(
                es="Abrir la red a otros actores",
                pt="Abrir a rede a outros atores",
                fr="Ouvrir le réseau à d'autres acteurs",
                en="Open the network to other actors",
            ),
            "description": text(
                es="Sumar a las actividades de la red a otras organizaciones: redes, "
                "instituciones y actores no gubernamentales.",
                pt="Envolver nas atividades da rede outras organizações: redes, instituições "
                "e atores não governamentais.",
                fr="Associer aux activités du réseau d'autres organisations : réseaux, "
                "institutions et acteurs non gouvernementaux.",
                en="Involve other organisations in the network's activities: networks, "
                "institutions and non-governmental actors.",
            ),
        },
        "indicators": [
            indicator(
                name=text(
                    es="Socios distintos que participan en las actividades",
                    pt="Parceiros distintos que participam nas atividades",
                    fr="Partenaires distincts qui participent aux activités",
                    en="Distinct partners taking part in activities",
                ),
                unit=_PARTNERS,
                target=12,
                measure=Measure.PARTNERS_TAKING_PART,
            ),
            # Kept internal: the funder is counted among the institutions.
            indicator(
                name=text(
                    es="Instituciones que participan",
                    pt="Instituições que participam",
                    fr="Institutions qui participent",
                    en="Institutions taking part",
                ),
                unit=text(
                    es="instituciones", pt="instituições", fr="institutions", en="institutions"
                ),
                target=2,
                measure=Measure.PARTNERS_TAKING_PART,
                partner_kind=Partner.Kind.INSTITUTION,
                is_public=False,
            ),
        ],
    },
    {
        "position": 5,
        "themes": ["lobbying"],
        "texts": {
            "original_language": "es",
            "title": text(
                es="Hacer oír la voz de las ciudades en las redes internacionales",
                pt="Fazer ouvir a voz das cidades nas redes internacionais",
                fr="Faire entendre la voix des villes dans les réseaux internationaux",
                en="Make cities heard in international networks",
            ),
            "description": text(
                es="Reuniones estratégicas con las redes internacionales de gobiernos locales.",
                pt="Reuniões estratégicas com as redes internacionais de governos locais.",
                fr="Des réunions stratégiques avec les réseaux internationaux de collectivités "
                "locales.",
                en="Strategic meetings with the international networks of local governments.",
            ),
        },
        "indicators": [
            indicator(
                name=text(
                    es="Reuniones estratégicas",
                    pt="Reuniões estratégicas",
                    fr="Réunions stratégiques",
                    en="Strategic meetings",
                ),
                unit=text(es="reuniones", pt="reuniões", fr="réunions", en="meetings"),
                target=2,
                measure=Measure.ACTIVITIES,
                activity_kind=Activity.Kind.STRATEGIC_MEETING,
            ),
            indicator(
                name=text(
                    es="Socios que participan en actividades de incidencia",
                    pt="Parceiros que participam em atividades de incidência",
                    fr="Partenaires qui participent à des activités de plaidoyer",
                    en="Partners taking part in lobbying activities",
                ),
                unit=_PARTNERS,
                target=3,
                measure=Measure.PARTNERS_TAKING_PART,
                theme="lobbying",
            ),
        ],
    },
    {
        "position": 6,
        "themes": ["training"],
        "texts": {
            "original_language": "es",
            "title": text(
                es="Formar a los equipos de las ciudades en acción internacional",
                pt="Formar as equipes das cidades em ação internacional",
                fr="Former les équipes des villes à l'action internationale",
                en="Train city teams in international action",
            ),
            "description": text(
                es="Formaciones para los equipos de las ciudades, junto con otras redes, "
                "universidades y centros de pensamiento.",
                pt="Formações para as equipes das cidades, em conjunto com outras redes, "
                "universidades e centros de pesquisa.",
                fr="Des formations pour les équipes des villes, avec d'autres réseaux, des "
                "universités et des groupes de réflexion.",
                en="Trainings for city teams, with other networks, universities and think tanks.",
            ),
        },
        "indicators": [
            indicator(
                name=text(es="Formaciones", pt="Formações", fr="Formations", en="Trainings"),
                unit=text(es="formaciones", pt="formações", fr="formations", en="trainings"),
                target=1,
                measure=Measure.TRAININGS,
            ),
            indicator(
                name=text(
                    es="Horas de formación",
                    pt="Horas de formação",
                    fr="Heures de formation",
                    en="Hours of training",
                ),
                unit=text(es="horas", pt="horas", fr="heures", en="hours"),
                target=16,
                measure=Measure.TRAINING_HOURS,
            ),
            indicator(
                name=text(
                    es="Asistentes a las formaciones",
                    pt="Participantes nas formações",
                    fr="Participants aux formations",
                    en="Attendees of trainings",
                ),
                unit=text(es="asistentes", pt="participantes", fr="participants", en="attendees"),
                target=10,
                measure=Measure.ATTENDEES,
                activity_kind=Activity.Kind.TRAINING,
            ),
        ],
    },
]

# An indicator's definition: its Indicator fields (theme and network by their slugs).
_DEFINITION_FIELDS = [
    "source", "measure", "activity_kind", "agreement_status", "theme", "region", "country",
    "partner_kind", "network", "is_public",
]  # fmt: skip


class DemoWorkPlanError(Exception):
    """The demo network the work plan counts from is not loaded."""


class DemoWorkPlanLoader:
    """Writes the demo's first-year work plan; ``load()`` returns the line the command prints."""

    @transaction.atomic
    def load(self):
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.partners = {p.slug: p for p in Partner.objects.filter(slug="al-las")}
        if "al-las" not in self.partners or not {"lobbying", "training"} <= set(self.themes):
            raise DemoWorkPlanError(
                "Load the demo network first (manage.py load_demo_data): the work plan counts "
                "from its records."
            )
        period = load(
            Period,
            {
                **column_values(PERIOD_TEXTS, Period.TRANSLATED_FIELDS),
                "starts_on": LAUNCH,
                "ends_on": FIRST_YEAR_REPORTED_ON,
                "note": PERIOD_NOTE,
            },
            slug=PERIOD_SLUG,
        )
        indicators = 0
        for data in OBJECTIVES:
            objective = self.load_objective(data)
            for position, values in enumerate(data["indicators"], start=1):
                self.load_indicator(objective, position, values, period)
                indicators += 1
        return (
            f"Demo work plan loaded: period “{period.name_en}” ({period.starts_on} – "
            f"{period.ends_on}, {'closed' if period.is_closed else 'open'}), "
            f"{len(OBJECTIVES)} objectives, {indicators} indicators."
        )

    def load_objective(self, data):
        themes = [self.themes[slug] for slug in data["themes"]]
        objective = (
            Objective.objects.filter(position=data["position"], themes=themes[0])
            .order_by("pk")
            .first()
        ) or Objective(position=data["position"])
        update_if_changed(
            objective,
            validate=True,
            **column_values(data["texts"], Objective.TRANSLATED_FIELDS),
            note=TARGETS_NOTE,
        )
        # set() adds and removes only the links that differ: nothing written when none does.
        objective.themes.set(themes)
        return objective

    def load_indicator(self, objective, position, values, period):
        definition = {name: values.get(name, "") for name in _DEFINITION_FIELDS}
        definition["source"] = definition["source"] or Indicator.Source.COMPUTED
        definition["is_public"] = values.get("is_public", True)
        theme, network = definition.pop("theme"), definition.pop("network")
        definition["theme_id"] = self.themes[theme].pk if theme else None
        definition["network_id"] = self.partners[network].pk if network else None
        indicator = Indicator.objects.filter(
            objective=objective, position=position
        ).first() or Indicator(objective=objective, position=position)
        update_if_changed(
            indicator,
            validate=True,
            **column_values(values["texts"], Indicator.TRANSLATED_FIELDS),
            **definition,
            baseline=Decimal(0),
        )
        if period.is_closed:
            return  # its figures were reported: the targets stay as they were
        by_hand = definition["source"] == Indicator.Source.BY_HAND
        load(
            Target,
            {
                "value": values["target"],
                "actual": values.get("actual"),
                "source_note": BY_HAND_SOURCE if by_hand else "",
            },
            indicator=indicator,
            period=period,
        )

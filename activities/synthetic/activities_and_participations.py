"""The activities of the synthetic data set (May 2013 to a year after ``today``, of every kind
and status, in a city, a place or online) and their participating partners: unique per
activity and partner, the first one organising, as ``activities.services.activity_log``
records them."""

import datetime
import functools
import math
from decimal import Decimal

from activities.models import Activity, Participation
from activities.synthetic.dataset import NOON, SLUG_PREFIX
from activities.synthetic.languages import draw_languages, texts_in_columns
from activities.synthetic.names import COUNTRIES, TOPICS, place_name
from activities.synthetic.sampling import random_date, spread, weighted
from allas.translation import columns

FIRST_ACTIVITY = datetime.date(2013, 5, 1)

# The word each kind's titles start with, in each language.
ACTIVITY_WORDS = {
    kind: {"es": es, "pt": pt, "fr": fr, "en": en}
    for kind, es, pt, fr, en in [
        (Activity.Kind.TRAINING, "Curso", "Curso", "Formation", "Training course"),
        (
            Activity.Kind.STRATEGIC_MEETING,
            "Reunión estratégica",
            "Reunião estratégica",
            "Réunion stratégique",
            "Strategic meeting",
        ),
        (Activity.Kind.SEMINAR, "Taller", "Oficina", "Atelier", "Workshop"),
        (
            Activity.Kind.STUDY_VISIT,
            "Visita de estudio",
            "Visita de estudo",
            "Visite d'étude",
            "Study visit",
        ),
        (
            Activity.Kind.LOBBYING,
            "Acción de incidencia",
            "Ação de incidência",
            "Action de plaidoyer",
            "Lobbying action",
        ),
        (Activity.Kind.CAMPAIGN, "Campaña", "Campanha", "Campagne", "Campaign"),
        (Activity.Kind.PUBLICATION, "Publicación", "Publicação", "Publication", "Publication"),
        (Activity.Kind.CONFERENCE, "Conferencia", "Conferência", "Conférence", "Conference"),
    ]
}
# Per language: the title ("<word>: <topic> (<place>, <year>)"), summary, description and
# outcomes, and the name of a place that is not a partner city.
ACTIVITY_TEXTS = {
    "es": (
        "{word}: {topic} (",
        "{word} sobre {topic} con los socios de la red.",
        "Programa de trabajo sobre {topic}. Sesiones, debates y visitas.\n"
        "Registro sintético para pruebas de rendimiento.",
        "Conclusiones sobre {topic}.",
        "Centro de Convenciones de {place}",
    ),
    "pt": (
        "{word}: {topic} (",
        "{word} sobre {topic} com os parceiros da rede.",
        "Programa de trabalho sobre {topic}. Sessões, debates e visitas.\n"
        "Registro sintético para testes de desempenho.",
        "Conclusões sobre {topic}.",
        "Centro de Convenções de {place}",
    ),
    "fr": (
        "{word} : {topic} (",
        "{word} avec les partenaires du réseau : {topic}.",
        "Programme de travail : {topic}. Séances, débats et visites.\n"
        "Fiche synthétique pour les tests de performance.",
        "Conclusions : {topic}.",
        "Centre de congrès de {place}",
    ),
    "en": (
        "{word}: {topic} (",
        "{word} on {topic} with the network's partners.",
        "Work programme on {topic}. Sessions, debates and visits.\n"
        "Synthetic record for performance tests.",
        "Conclusions on {topic}.",
        "{place} Convention Centre",
    ),
}
ONLINE = {"es": "en línea", "pt": "online", "fr": "en ligne", "en": "online"}
ACTIVITY_KIND_WEIGHTS = {
    Activity.Kind.TRAINING: 30,
    Activity.Kind.SEMINAR: 20,
    Activity.Kind.STRATEGIC_MEETING: 12,
    Activity.Kind.CONFERENCE: 10,
    Activity.Kind.STUDY_VISIT: 8,
    Activity.Kind.CAMPAIGN: 7,
    Activity.Kind.PUBLICATION: 7,
    Activity.Kind.LOBBYING: 6,
}


@functools.cache
def activity_texts(kind, topic, language):
    """The start of the title, the summary, the description and the outcomes of an activity of
    ``kind`` on ``topic`` (in ``language``): the same for every such activity, so made once."""
    templates = ACTIVITY_TEXTS[language]
    words = {"word": ACTIVITY_WORDS[kind][language], "topic": topic}
    return tuple(template.format_map(words) for template in templates[:4])


def write_activities(data, writer):
    rng = data.rng("activities")
    language_rng = data.rng("activities languages")
    n = data.counts.activities
    first = data.next_id(Activity)
    data.activity_ids = list(range(first, first + n))
    data.activity_kinds = {}
    last_day = data.today + datetime.timedelta(days=365)
    kinds = list(ACTIVITY_KIND_WEIGHTS.items())
    themes = []
    fields = [
        "id", "slug", "kind", "status", "published_at", "starts_on", "ends_on", "venue_type",
        "venue_partner_id", "venue_country", "agreement_id", "hours", "format", "trainers",
        "notes", "created_by_id", "created_at", "updated_at", "original_language",
        *columns("title", "summary", "description", "outcomes", "venue_name"),
    ]  # fmt: skip
    S = Activity.Status

    def rows():
        for index, pk in enumerate(data.activity_ids):
            kind = weighted(rng, kinds)
            data.activity_kinds[pk] = kind
            starts_on = random_date(rng, FIRST_ACTIVITY, last_day)
            ends_on = None
            if rng.random() < 0.4:
                ends_on = starts_on + datetime.timedelta(days=rng.randint(1, 4))
            upcoming = starts_on > data.today
            status = weighted(
                rng,
                [(S.PUBLISHED, 80), (S.DRAFT, 8), (S.SUBMITTED, 8), (S.CANCELLED, 4)]
                if upcoming
                else [(S.PUBLISHED, 88), (S.DRAFT, 4), (S.SUBMITTED, 2), (S.CANCELLED, 6)],
            )
            published_at = None
            if status == S.PUBLISHED or (status == S.CANCELLED and rng.random() < 0.8):
                published = datetime.datetime.combine(
                    starts_on - datetime.timedelta(days=rng.randint(10, 90)), NOON
                )
                published_at = min(published, data.now)
            venue_type = weighted(
                rng,
                [
                    (Activity.VenueType.CITY, 60),
                    (Activity.VenueType.PLACE, 25),
                    (Activity.VenueType.ONLINE, 15),
                ],
            )
            venue_partner = None
            venue_country = ""
            place = place_name(rng)
            if venue_type == Activity.VenueType.CITY and data.city_ids:
                venue_partner = rng.choice(data.city_ids)
                place = data.partner_names[venue_partner]
            elif venue_type != Activity.VenueType.ONLINE:
                venue_type = Activity.VenueType.PLACE
                venue_country = rng.choices(COUNTRIES, [c[4] for c in COUNTRIES])[0][0]
            topic = rng.choice(TOPICS)
            hours = training_format = None
            trainers = ""
            if kind == Activity.Kind.TRAINING:
                hours = Decimal(rng.randint(2, 80)) / 2
                training_format = rng.choice(Activity.Format.values)
                trainers = f"Equipo de formación de {place_name(rng)}"
            agreement = None
            if data.signed_agreement_ids and rng.random() < 0.08:
                agreement = rng.choice(data.signed_agreement_ids)
            for theme in rng.sample(data.themes, min(len(data.themes), rng.randint(1, 3))):
                themes.append((pk, theme))
            original, written = draw_languages(language_rng)
            texts = {}
            for language in written:
                title, summary, description, outcomes = activity_texts(
                    kind, topic[language], language
                )
                if venue_type == Activity.VenueType.PLACE:
                    venue_name = ACTIVITY_TEXTS[language][4].format(place=place)
                    where = place
                else:
                    venue_name = ""
                    where = ONLINE[language] if venue_type == Activity.VenueType.ONLINE else place
                texts[language] = (
                    f"{title}{where}, {starts_on.year})",
                    summary,
                    description,
                    "" if upcoming else outcomes,
                    venue_name,
                )
            yield (
                pk, f"{SLUG_PREFIX}activity-{index + 1:06d}", kind, status, published_at,
                starts_on, ends_on, venue_type, venue_partner, venue_country, agreement, hours,
                training_format or "", trainers, "", None, data.stamp, data.stamp, original,
                *texts_in_columns(texts),
            )  # fmt: skip

    writer.write("activities", Activity, fields, rows(), n)
    writer.write(
        "activity themes",
        Activity.themes.through,
        ["activity_id", "theme_id"],
        themes,
        len(themes),
    )


def write_participations(data, writer):
    rng = data.rng("participations")
    total = data.counts.participations
    n = len(data.activity_ids)
    partners = data.partner_ids
    cap = min(len(partners), max(60, math.ceil(4 * total / max(n, 1))))
    sizes = spread(rng, total, n, cap)
    big_network = data.network_ids[0]
    R = Participation.Role

    def rows():
        for activity, size in zip(data.activity_ids, sizes, strict=True):
            if not size:
                continue
            draw = rng.random()
            if draw < 0.05:
                organiser = big_network
            elif draw < 0.15:
                organiser = rng.choice(data.network_ids)
            else:
                organiser = rng.choice(partners)
            others = rng.sample(partners, min(len(partners), size))
            chosen = [organiser] + [p for p in others if p != organiser][: size - 1]
            training = data.activity_kinds[activity] == Activity.Kind.TRAINING
            for position, partner in enumerate(chosen):
                if position == 0:
                    role = R.ORGANISER
                elif position == 1 and rng.random() < 0.3:
                    role = R.CO_ORGANISER
                elif position == 2 and training and rng.random() < 0.5:
                    role = R.TRAINER
                else:
                    role = R.PARTICIPANT
                if training:
                    attendees = rng.randint(1, 60)
                else:
                    attendees = 0 if rng.random() < 0.3 else rng.randint(1, 40)
                yield activity, partner, role, attendees

    writer.write(
        "participations",
        Participation,
        ["activity_id", "partner_id", "role", "attendees"],
        rows(),
        total,
    )

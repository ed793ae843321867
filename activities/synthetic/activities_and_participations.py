"""The activities of the synthetic data set (May 2013 to a year after ``today``, of every kind
and status, in a city, a place or online) and their participating partners: unique per
activity and partner, the first one organising, as ``activities.services.activity_log``
records them."""

import datetime
import math
from decimal import Decimal

from activities.models import Activity, Participation
from activities.synthetic.dataset import NOON, SLUG_PREFIX
from activities.synthetic.names import COUNTRIES, TOPICS, place_name
from activities.synthetic.sampling import random_date, spread, weighted

FIRST_ACTIVITY = datetime.date(2013, 5, 1)

ACTIVITY_WORDS = {
    Activity.Kind.TRAINING: "Curso",
    Activity.Kind.STRATEGIC_MEETING: "Reunión estratégica",
    Activity.Kind.SEMINAR: "Taller",
    Activity.Kind.STUDY_VISIT: "Visita de estudio",
    Activity.Kind.LOBBYING: "Acción de incidencia",
    Activity.Kind.CAMPAIGN: "Campaña",
    Activity.Kind.PUBLICATION: "Publicación",
    Activity.Kind.CONFERENCE: "Conferencia",
}
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


def write_activities(data, writer):
    rng = data.rng("activities")
    n = data.counts.activities
    first = data.next_id(Activity)
    data.activity_ids = list(range(first, first + n))
    data.activity_kinds = {}
    last_day = data.today + datetime.timedelta(days=365)
    kinds = list(ACTIVITY_KIND_WEIGHTS.items())
    themes = []
    fields = [
        "id", "title", "slug", "kind", "status", "published_at", "summary", "description",
        "starts_on", "ends_on", "venue_type", "venue_partner_id", "venue_name",
        "venue_country", "outcomes", "agreement_id", "hours", "format", "trainers", "notes",
        "created_by_id", "created_at", "updated_at",
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
            venue_partner = venue_name = venue_country = None
            place = place_name(rng)
            if venue_type == Activity.VenueType.CITY and data.city_ids:
                venue_partner = rng.choice(data.city_ids)
                place = data.partner_names[venue_partner]
                venue_name, venue_country = "", ""
            elif venue_type != Activity.VenueType.ONLINE:
                venue_type = Activity.VenueType.PLACE
                venue_name = f"Centro de Convenciones de {place}"
                venue_country = rng.choices(COUNTRIES, [c[4] for c in COUNTRIES])[0][0]
            else:
                venue_name, venue_country, place = "", "", "en línea"
            topic = rng.choice(TOPICS)
            title = f"{ACTIVITY_WORDS[kind]}: {topic} ({place}, {starts_on.year})"
            hours = training_format = None
            trainers = ""
            if kind == Activity.Kind.TRAINING:
                hours = Decimal(rng.randint(2, 80)) / 2
                training_format = rng.choice(Activity.Format.values)
                trainers = f"Equipo de formación de {place_name(rng)}"
            agreement = None
            if data.signed_agreement_ids and rng.random() < 0.08:
                agreement = rng.choice(data.signed_agreement_ids)
            outcomes = "" if upcoming else f"Conclusiones sobre {topic}."
            for theme in rng.sample(data.themes, min(len(data.themes), rng.randint(1, 3))):
                themes.append((pk, theme))
            yield (
                pk, title, f"{SLUG_PREFIX}activity-{index + 1:06d}", kind, status,
                published_at, f"{ACTIVITY_WORDS[kind]} sobre {topic} con los socios de la red.",
                f"Programa de trabajo sobre {topic}. Sesiones, debates y visitas.\n"
                "Registro sintético para pruebas de rendimiento.",
                starts_on, ends_on, venue_type, venue_partner, venue_name, venue_country,
                outcomes, agreement, hours, training_format or "", trainers, "", None,
                data.stamp, data.stamp,
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

"""The resources of the knowledge hub in the synthetic data set, linked to themes, activities
and partners."""

from activities.models import Resource
from activities.synthetic.activities_and_participations import FIRST_ACTIVITY
from activities.synthetic.dataset import SLUG_PREFIX
from activities.synthetic.names import TOPICS
from activities.synthetic.sampling import random_date, weighted

KIND_WORDS = {
    Resource.Kind.GUIDE: "Guía",
    Resource.Kind.TOOLKIT: "Caja de herramientas",
    Resource.Kind.REPORT: "Informe",
    Resource.Kind.PRESENTATION: "Presentación",
    Resource.Kind.VIDEO: "Vídeo",
    Resource.Kind.LINK: "Enlace",
}
LANGUAGES = [
    (Resource.Language.SPANISH, 45),
    (Resource.Language.PORTUGUESE, 20),
    (Resource.Language.FRENCH, 15),
    (Resource.Language.ENGLISH, 15),
    (Resource.Language.OTHER, 5),
]


def write_resources(data, writer):
    rng = data.rng("resources")
    n = data.counts.resources
    first = data.next_id(Resource)
    themes, activities, partners = [], [], []
    fields = [
        "id", "title", "slug", "kind", "description", "file", "url", "language",
        "published_on", "is_public", "created_by_id", "created_at", "updated_at",
    ]  # fmt: skip

    def rows():
        for index in range(n):
            pk = first + index
            kind = rng.choice(Resource.Kind.values)
            topic = rng.choice(TOPICS)
            slug = f"{SLUG_PREFIX}resource-{index + 1:05d}"
            published_on = None
            if rng.random() < 0.9:
                published_on = random_date(rng, FIRST_ACTIVITY, data.today)
            for theme in rng.sample(data.themes, min(len(data.themes), rng.randint(1, 2))):
                themes.append((pk, theme))
            if data.activity_ids and rng.random() < 0.5:
                for activity in rng.sample(
                    data.activity_ids, min(len(data.activity_ids), rng.randint(1, 2))
                ):
                    activities.append((pk, activity))
            for partner in rng.sample(data.partner_ids, rng.randint(1, 2)):
                partners.append((pk, partner))
            yield (
                pk, f"{KIND_WORDS[kind]}: {topic}", slug, kind,
                f"{KIND_WORDS[kind]} sobre {topic}.", "", f"https://example.org/{slug}",
                weighted(rng, LANGUAGES), published_on, rng.random() < 0.92, None,
                data.stamp, data.stamp,
            )  # fmt: skip

    writer.write("resources", Resource, fields, rows(), n)
    for label, through, columns, values in [
        ("resource themes", Resource.themes.through, ["resource_id", "theme_id"], themes),
        (
            "resource activities",
            Resource.activities.through,
            ["resource_id", "activity_id"],
            activities,
        ),
        (
            "resource partners",
            Resource.partners.through,
            ["resource_id", "partner_id"],
            partners,
        ),
    ]:
        writer.write(label, through, columns, values, len(values))

"""The resources of the knowledge hub in the synthetic data set, linked to themes, activities
and partners."""

from activities.models import Resource
from activities.synthetic.activities_and_participations import FIRST_ACTIVITY
from activities.synthetic.dataset import SLUG_PREFIX
from activities.synthetic.languages import draw_languages, texts_in_columns
from activities.synthetic.names import TOPICS
from activities.synthetic.sampling import random_date, weighted
from allas.translation import columns

KIND_WORDS = {
    kind: {"es": es, "pt": pt, "fr": fr, "en": en}
    for kind, es, pt, fr, en in [
        (Resource.Kind.GUIDE, "Guía", "Guia", "Guide", "Guide"),
        (
            Resource.Kind.TOOLKIT,
            "Caja de herramientas",
            "Caixa de ferramentas",
            "Boîte à outils",
            "Toolkit",
        ),
        (Resource.Kind.REPORT, "Informe", "Relatório", "Rapport", "Report"),
        (
            Resource.Kind.PRESENTATION,
            "Presentación",
            "Apresentação",
            "Présentation",
            "Presentation",
        ),
        (Resource.Kind.VIDEO, "Vídeo", "Vídeo", "Vidéo", "Video"),
        (Resource.Kind.LINK, "Enlace", "Link", "Lien", "Link"),
    ]
}
# title and description, in each language.
RESOURCE_TEXTS = {
    "es": ("{word}: {topic}", "{word} sobre {topic}."),
    "pt": ("{word}: {topic}", "{word} sobre {topic}."),
    "fr": ("{word} : {topic}", "{word} sur le thème : {topic}."),
    "en": ("{word}: {topic}", "{word} on {topic}."),
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
    language_rng = data.rng("resources languages")
    n = data.counts.resources
    first = data.next_id(Resource)
    themes, activities, partners = [], [], []
    fields = [
        "id", "slug", "kind", "file", "url", "language", "published_on", "is_public",
        "created_by_id", "created_at", "updated_at", "original_language",
        *columns("title", "description"),
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
            original, written = draw_languages(language_rng)
            texts = {}
            for language in written:
                title, description = RESOURCE_TEXTS[language]
                words = {"word": KIND_WORDS[kind][language], "topic": topic[language]}
                texts[language] = (title.format_map(words), description.format_map(words))
            yield (
                pk, slug, kind, "", f"https://example.org/{slug}", weighted(rng, LANGUAGES),
                published_on, rng.random() < 0.92, None, data.stamp, data.stamp, original,
                *texts_in_columns(texts),
            )  # fmt: skip

    writer.write("resources", Resource, fields, rows(), n)
    for label, through, link_fields, values in [
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
        writer.write(label, through, link_fields, values, len(values))

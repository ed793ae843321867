"""Search in every language (allas/search.py): the directory, the activity list and the
knowledge hub find a record by any of its languages' text, best match first. PostgreSQL folds
accents and stems each language through its GIN indexes; SQLite matches parts of texts."""

import datetime

import pytest
from django.db import connection

from activities.models import Activity, Resource
from allas.search import MAX_WORD_LENGTH, MAX_WORDS, words
from partners.models import Partner
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's full-text search (accents, stemming, GIN indexes); SQLite matches "
    "parts of texts as typed",
)

LANGUAGES = ["es", "pt", "fr", "en"]


def slugs(queryset):
    return [record.slug for record in queryset]


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [record.slug for record in response.context["page_obj"]]


# What a search reads of the text typed.


def test_a_search_reads_words_of_letters_and_digits_and_nothing_of_the_query_syntax():
    assert words("Formación  de-formadores 2024") == ["Formación", "de", "formadores", "2024"]
    assert words("l'économie") == ["l", "économie"]
    assert words("&|!:*()'\\ <-> \x00") == []
    assert words("a_b") == ["a", "b"]


def test_a_search_reads_a_bounded_number_of_words_of_a_bounded_length():
    assert words("word " * 100) == ["word"] * MAX_WORDS
    assert words("x" * 10_000) == ["x" * MAX_WORD_LENGTH]


# What every database finds.


def test_a_record_is_found_by_the_text_of_any_of_its_languages():
    activity = factories.make_activity(
        slug="meeting",
        original_language="es",
        title_es="Encuentro de ciudades",
        title_pt="Encontro de cidades",
        description_fr="Les villes échangent sur la mobilité urbaine.",
    )
    factories.make_activity(slug="other", title="Taller de presupuestos")
    assert slugs(Activity.objects.search("encuentro")) == [activity.slug]
    assert slugs(Activity.objects.search("encontro cidades")) == [activity.slug]
    assert slugs(Activity.objects.search("villes")) == [activity.slug]


def test_every_word_must_be_found_in_one_language():
    factories.make_activity(slug="es", title_es="Movilidad urbana", original_language="es")
    assert slugs(Activity.objects.search("movilidad urbana")) == ["es"]
    assert slugs(Activity.objects.search("movilidad rural")) == []


def test_a_word_finds_the_words_it_starts():
    """Typing "coop" in the directory's box finds the cooperation network."""
    site = populate(3)
    assert slugs(Partner.objects.search("coop")) == [site.network.slug]
    assert slugs(Partner.objects.search("Alianza Euro")) == [site.network.slug]


def test_a_partner_is_found_by_its_official_name_in_another_language():
    uclg = factories.make_network(
        slug="uclg",
        name="United Cities and Local Governments",
        short_name="UCLG",
        official_name_es="Ciudades y Gobiernos Locales Unidos",
        official_short_name_fr="CGLU",
    )
    factories.make_partner(slug="lima", name="Lima")
    assert slugs(Partner.objects.search("cglu")) == [uclg.slug]
    assert slugs(Partner.objects.search("gobiernos locales")) == [uclg.slug]


def test_a_match_in_the_title_ranks_above_a_match_in_the_description():
    """The title's match comes first although the other activity is newer (the list's usual
    order is latest first)."""
    factories.make_activity(
        slug="newer",
        title="Encuentro anual",
        description="Una jornada sobre movilidad sostenible.",
        starts_on=datetime.date(2025, 1, 1),
    )
    factories.make_activity(
        slug="older", title="Movilidad sostenible", starts_on=datetime.date(2020, 1, 1)
    )
    assert slugs(Activity.objects.search("movilidad")) == ["older", "newer"]
    # Among equal matches, the usual order.
    assert slugs(Activity.objects.search("sostenible movilidad")) == ["older", "newer"]


def test_resources_rank_a_title_match_first():
    factories.make_resource(slug="about", title="Guía", description="Sobre el agua potable.")
    factories.make_resource(slug="titled", title="Agua potable", published_on=None)
    assert slugs(Resource.objects.search("agua")) == ["titled", "about"]


def test_a_text_without_words_finds_nothing():
    factories.make_activity(slug="a", title="Taller")
    assert slugs(Activity.objects.search("&|!:*()'")) == []


# The pages.


def test_a_visitor_on_the_spanish_site_finds_a_record_by_its_portuguese_text(client):
    factories.make_activity(
        slug="mobility",
        original_language="es",
        title_es="Encuentro de ciudades",
        summary_pt="As cidades trocam experiências de mobilidade urbana.",
    )
    factories.make_activity(slug="other", title="Taller de presupuestos")
    assert listed(client, "/es/activities/?q=mobilidade") == ["mobility"]


def test_the_directory_ranks_best_match_first_unless_another_order_is_chosen(client):
    factories.make_partner(slug="a-city", name="Abra", description="Cooperación con Zaragoza.")
    factories.make_partner(slug="z-city", name="Zaragoza")
    assert listed(client, "/en/partners/?q=zaragoza") == ["z-city", "a-city"]
    assert listed(client, "/en/partners/?q=zaragoza&sort=relevance") == ["z-city", "a-city"]
    assert listed(client, "/en/partners/?q=zaragoza&sort=name") == ["a-city", "z-city"]
    # Without a search, "best match" lists by name.
    assert listed(client, "/en/partners/?sort=relevance") == ["a-city", "z-city"]


def test_the_knowledge_hub_searches_titles_and_descriptions(client):
    factories.make_resource(slug="water", title="Guía", description_es="Agua potable")
    factories.make_resource(slug="other", title="Manual")
    assert listed(client, "/es/resources/?q=agua") == ["water"]


@pytest.mark.parametrize("rows", [3, 60])
def test_searched_lists_take_the_same_number_of_queries_as_unsearched_ones(
    client, django_assert_num_queries, rows
):
    """Prevents N+1: a search adds no query, for few or many rows (the directory computes its
    option counts for every search instead of caching them: as many queries as its first,
    uncached request)."""
    populate(rows)
    for url, expected in {
        "/es/partners/?q=city": 12,
        "/es/activities/?q=activity": 7,
        "/es/resources/?q=guide": 4,
    }.items():
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.context["page_obj"]), url


@pytest.mark.parametrize("url", ["/es/partners/", "/es/activities/", "/es/resources/"])
def test_any_text_in_the_search_box_gives_a_page(client, url):
    populate(3)
    for text in [
        "&|!:*()'",
        "a & (b | !c) <-> d:*",
        "'unterminated",
        "\\",
        "x" * 100,
        "palabra " * 12,
        "ñandú 🦜 ∑",
    ]:
        assert client.get(url, {"q": text}).status_code == 200, text


@pytest.mark.parametrize("url", ["/es/partners/", "/es/activities/", "/es/resources/"])
def test_a_search_too_long_or_holding_nul_is_ignored_with_a_notice(client, url):
    populate(3)
    for text in ["x" * 101, "a\x00b"]:
        response = client.get(url, {"q": text})
        assert response.status_code == 200
        assert response.context["notices"], text


# PostgreSQL: each language's dictionary, accents folded, the GIN indexes.


@postgresql_only
def test_spanish_without_accents_finds_the_accented_spanish_word():
    factories.make_activity(
        slug="formacion", original_language="es", title_es="Formación de formadores"
    )
    factories.make_activity(slug="other", title_es="Taller de presupuestos")
    assert slugs(Activity.objects.search("formacion")) == ["formacion"]
    assert slugs(Activity.objects.search("FORMACIÓN")) == ["formacion"]
    # The Spanish stemmer: a plural finds the singular.
    assert slugs(Activity.objects.search("formaciones")) == ["formacion"]


@pytest.mark.parametrize(
    ("language", "written", "typed"),
    [
        ("es", "Formación en gestión urbana", "formacion gestion"),
        ("pt", "Cooperação descentralizada", "cooperacao"),
        ("pt", "Mobilidade sustentável e participação cidadã", "participacao cidada"),
        ("fr", "Développement économique local", "developpement economie"),
        ("fr", "Coopération décentralisée", "cooperation decentralisees"),
        ("en", "Training of trainers", "trainings"),
        ("en", "Cities sharing experiences", "city shared"),
    ],
)
@postgresql_only
def test_each_language_is_searched_with_its_own_dictionary_and_accents_folded(
    language, written, typed
):
    found = factories.make_activity(
        slug="found", original_language=language, **{f"title_{language}": written}
    )
    factories.make_activity(slug="other", title_es="Taller de presupuestos")
    assert slugs(Activity.objects.search(typed)) == [found.slug]


@postgresql_only
def test_a_portuguese_description_is_found_without_its_accents_on_the_spanish_site(client):
    factories.make_resource(
        slug="agua",
        original_language="es",
        title_es="Guía",
        description_pt="Água e saneamento nas cidades médias.",
    )
    assert listed(client, "/es/resources/?q=agua+saneamento") == ["agua"]


@postgresql_only
@pytest.mark.parametrize("model", [Partner, Activity, Resource], ids=lambda model: model.__name__)
def test_the_search_is_answered_by_the_gin_indexes_of_each_language(model):
    """The query's expressions are those of the indexes of migrations partners/0007 and
    activities/0012, so the planner can use them. Sequential scans off and no other filter:
    on the tests' near-empty tables another plan is cheaper; bench/README.md shows the plans
    of the public lists at the benchmark's size."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = model.objects.search("cooperacao")[:20].explain()
    for language in LANGUAGES:
        for index in [f"{table}_search_{language}", f"{table}_heading_{language}"]:
            assert f"Bitmap Index Scan on {index}" in plan, index
    assert "Seq Scan" not in plan

"""Texts in four languages on the public site (allas/translation.py): each field in the page's
language, else in the record's original language marked with its ``lang`` and a visible note;
never silently. Pages, titles, meta descriptions, calendar feeds, the map and e-mails."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from icalendar import Calendar

from activities.models import Activity
from allas.translation import TranslatedText
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar():
    """A Spanish seminar translated into French only, in a public host city."""
    city = factories.make_partner(name="Montevideo", slug="montevideo", country="UY")
    return factories.make_activity(
        original_language="es",
        title_es="Seminario sobre cooperación",
        title_fr="Séminaire sur la coopération",
        summary_es="Cómo las ciudades planifican su acción internacional.",
        description_es="Un día de trabajo entre ciudades.",
        description_fr="Une journée de travail entre villes.",
        slug="seminario",
        venue_partner=city,
        starts_on=datetime.date.today() + datetime.timedelta(days=10),
        partners=[city],
    )


def test_a_text_is_read_in_the_active_language_else_in_the_original_one(seminar):
    with translation.override("fr"):
        assert seminar.title == "Séminaire sur la coopération"
        assert seminar.title.language == "fr" and not seminar.title.is_fallback
        assert seminar.summary == "Cómo las ciudades planifican su acción internacional."
        assert seminar.summary.language == "es" and seminar.summary.is_fallback
    with translation.override("pt"):
        assert seminar.title == "Seminario sobre cooperación" and seminar.title.is_fallback
    assert seminar.missing_languages() == ["pt", "fr", "en"]  # fr lacks the summary


def test_writing_a_field_by_its_name_writes_the_original_language():
    activity = Activity(original_language="pt", title="Formação em cooperação")
    assert activity.title_pt == "Formação em cooperação" and activity.title_es == ""


def test_an_empty_text_is_not_a_fallback():
    assert not TranslatedText("", "es", "fr").is_fallback


def test_the_french_page_shows_french_texts_and_marks_the_spanish_ones(client, seminar):
    content = client.get("/fr/activities/seminario/").content.decode()
    assert "<h1>Séminaire sur la coopération" in content
    assert "Une journée de travail entre villes." in content
    # The summary exists only in Spanish: marked as Spanish, with a note in French.
    assert (
        '<p class="lead"><span lang="es">Cómo las ciudades planifican su acción internacional.'
        '</span> <small class="lang-note">(en espagnol)</small></p>'
    ) in content
    # The page's title and meta description carry the note as text (they cannot hold markup).
    assert "<title>Séminaire sur la coopération · " in content
    description = r'<meta name="description" content="Cómo las ciudades[^"]*\(en espagnol\)"'
    assert re.search(description, content)


def test_the_portuguese_page_marks_every_text_it_lacks(client, seminar):
    content = client.get("/pt/activities/seminario/").content.decode()
    assert (
        '<h1><span lang="es">Seminario sobre cooperación</span> '
        '<small class="lang-note">(em espanhol)</small>'
    ) in content
    assert '<div lang="es"><p>Un día de trabajo entre ciudades.</p></div>' in content
    assert "<title>Seminario sobre cooperación (em espanhol) · " in content


def test_the_spanish_page_has_no_notes(client, seminar):
    content = client.get("/es/activities/seminario/").content.decode()
    assert "lang-note" not in content and 'lang="es"><p>' not in content


def test_lists_mark_fallbacks_too(client, seminar):
    french = client.get("/fr/activities/").content.decode()
    assert ">Séminaire sur la coopération</a>" in french
    english = client.get("/en/activities/").content.decode()
    assert (
        '<span lang="es">Seminario sobre cooperación</span> '
        '<small class="lang-note">(in Spanish)</small></a>'
    ) in english


def test_calendar_events_say_the_language_of_their_texts(client, seminar):
    french = Calendar.from_ical(client.get("/fr/calendar/activities.ics").content)
    [event] = french.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Séminaire sur la coopération"
    assert event["SUMMARY"].params["LANGUAGE"] == "fr"
    assert str(event["DESCRIPTION"]).startswith(
        "Cómo las ciudades planifican su acción internacional. (en espagnol)"
    )
    assert event["DESCRIPTION"].params["LANGUAGE"] == "es"
    english = Calendar.from_ical(client.get("/en/calendar/activities.ics").content)
    [event] = english.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Seminario sobre cooperación (in Spanish)"


def test_official_names_per_language_are_used_and_never_marked(client):
    uclg = factories.make_network(
        name="United Cities and Local Governments",
        short_name="UCLG",
        official_name_es="Ciudades y Gobiernos Locales Unidos",
        official_short_name_es="CGLU",
        official_name_fr="Cités et Gouvernements Locaux Unis",
        official_short_name_fr="CGLU",
        slug="uclg",
        country="ES",
        latitude=41.38,
        longitude=2.17,
        description_en="The world organisation of local governments.",
        original_language="en",
    )
    french = client.get("/fr/partners/uclg/").content.decode()
    assert "<h1>Cités et Gouvernements Locaux Unis" in french and "(CGLU)" in french
    assert '<div lang="en"><p>The world organisation' in french  # the description is not a name
    english = client.get("/en/partners/uclg/").content.decode()
    assert "<h1>United Cities and Local Governments" in english and "lang-note" not in english
    with translation.override("fr"):
        assert str(uclg) == "Cités et Gouvernements Locaux Unis (CGLU)"
    with translation.override("pt"):  # no Portuguese official name: none from another language
        assert uclg.official_name == "" and uclg.local_name == "United Cities and Local Governments"
    # The map (map.js) names it by its official name in the page's language, else its name.
    response = client.get("/data/v1/partners.geojson")
    [feature] = json.loads(b"".join(response.streaming_content))["features"]
    assert feature["properties"]["official_name_fr"] == "Cités et Gouvernements Locaux Unis"
    assert feature["properties"]["official_name_pt"] == ""
    assert feature["properties"]["name"] == "United Cities and Local Governments"


def test_the_title_is_required_in_the_original_language():
    activity = factories.make_activity(title="Formación")
    activity.original_language = "pt"
    with translation.override("es"), pytest.raises(ValidationError) as error:
        activity.full_clean()
    with translation.override("es"):
        assert error.value.message_dict["title_pt"] == [
            "Escríbalo en el idioma original: Portugués."
        ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(original_language="pt")

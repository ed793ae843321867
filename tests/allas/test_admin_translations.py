"""Texts in four languages in the back-office (allas/admin.py, TranslatedAdminMixin): every
language of a record on one change page, the original first; the languages each record lacks
as a column and a filter on every changelist; the admin search reads every language."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity, Participation, Resource
from allas.translation import LANGUAGE_CODES
from partners.models import Agreement, Partner, Theme
from tests import factories

pytestmark = pytest.mark.django_db

# Each kind of translated record: its factory, the text it is made with (required in the
# original language, except a partner's description) and its admin's URL names.
KINDS = {
    "activity": (Activity, factories.make_activity, "title", "activities_activity"),
    "agreement": (Agreement, factories.make_agreement, "title", "partners_agreement"),
    "resource": (Resource, factories.make_resource, "title", "activities_resource"),
    "theme": (Theme, factories.make_theme, "name", "partners_theme"),
    "partner": (Partner, factories.make_partner, "description", "partners_partner"),
}
# The fields each change page has per language.
LANGUAGE_FIELDS = {
    "activity": ["title", "summary", "description", "outcomes", "venue_name"],
    "agreement": ["title", "summary"],
    "resource": ["title", "description"],
    "theme": ["name", "description"],
    "partner": ["official_name", "official_short_name", "description"],
}


@pytest.fixture
def admin_client(coordinator_client):
    """The coordinator, reading the admin in English (the source language of messages)."""
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return coordinator_client


def make(kind, *, original, written, **fields):
    """A record of ``kind`` written in ``original`` and translated into the other languages of
    ``written`` (its text, and no other, in each of them)."""
    _model, factory, name, _url = KINDS[kind]
    texts = {
        f"{name}_{code}": f"{kind} {code}" if code in written else "" for code in LANGUAGE_CODES
    }
    return factory(original_language=original, **{name: f"{kind} {original}"}, **texts, **fields)


def url(kind, view, *args):
    return reverse(f"admin:{KINDS[kind][3]}_{view}", args=args)


def language_fieldsets(response):
    """(heading, fields) of the change page's fieldsets that hold one language each."""
    return [
        (str(fieldset.name), list(fieldset.fields))
        for fieldset in response.context["adminform"]
        if "translation" in fieldset.classes
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_the_change_page_has_every_language_the_original_first(admin_client, kind):
    record = make(kind, original="pt", written={"pt"})

    response = admin_client.get(url(kind, "change", record.pk))

    assert language_fieldsets(response) == [
        (heading, [f"{name}_{code}" for name in LANGUAGE_FIELDS[kind]])
        for heading, code in [
            ("Portuguese (original)", "pt"),
            ("Spanish", "es"),
            ("French", "fr"),
            ("English", "en"),
        ]
    ]
    main_fieldset = next(iter(response.context["adminform"]))
    assert "original_language" in main_fieldset.fields


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_record_is_written_first_in_the_coordinators_language(coordinator_client, kind):
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    response = coordinator_client.get(url(kind, "add"))

    assert response.context["adminform"].form.initial["original_language"] == "fr"
    fieldsets = language_fieldsets(response)
    assert [fields[0].rsplit("_", 1)[1] for _heading, fields in fieldsets] == [
        "fr",
        "es",
        "pt",
        "en",
    ]
    assert "(original)" in fieldsets[0][0]


def test_each_input_says_its_language_and_texts_are_a_few_lines(admin_client):
    activity = make("activity", original="es", written={"es"})

    html = admin_client.get(url("activity", "change", activity.pk)).content.decode()

    def tag(name):
        (found,) = re.findall(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
        return found

    assert 'lang="pt"' in tag("title_pt")
    assert 'lang="fr"' in tag("summary_fr") and 'rows="4"' in tag("summary_fr")
    assert "lang=" not in tag("slug")


def change_form_data(response):
    """What the change page sends back as it is: the form's and its inlines' current values."""
    page_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        page_forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in page_forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False or isinstance(bound.field, forms.FileField):
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)
    return data


@pytest.mark.parametrize("kind", KINDS)
def test_texts_in_two_languages_are_saved_from_the_change_page(admin_client, kind):
    model, _factory, name, _url = KINDS[kind]
    record = make(kind, original="es", written={"es"})
    page = admin_client.get(url(kind, "change", record.pk))
    data = change_form_data(page) | {f"{name}_es": "Texto en español", f"{name}_pt": "Em português"}

    response = admin_client.post(url(kind, "change", record.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = model.objects.get(pk=record.pk)
    assert (getattr(saved, f"{name}_es"), getattr(saved, f"{name}_pt")) == (
        "Texto en español",
        "Em português",
    )
    assert getattr(saved, f"{name}_fr") == ""


def test_a_title_missing_in_the_original_language_gets_the_models_message(admin_client):
    activity = make("activity", original="pt", written={"pt"})
    data = change_form_data(admin_client.get(url("activity", "change", activity.pk)))

    response = admin_client.post(
        url("activity", "change", activity.pk), data | {"title_pt": "", "title_es": "Título"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title_pt"] == [
        "Write it in Portuguese, the original language."
    ]


# Four records of each kind and the languages they lack.
WORLD = {
    "complete": ("en", {"en", "es", "pt", "fr"}),
    "spanish and portuguese": ("es", {"es", "pt"}),
    "portuguese only": ("pt", {"pt"}),
    "french and english": ("fr", {"fr", "en"}),
}


def world(kind):
    return {
        label: make(kind, original=original, written=written)
        for label, (original, written) in WORLD.items()
    }


@pytest.mark.parametrize("kind", KINDS)
def test_the_changelist_shows_the_languages_each_record_lacks(admin_client, kind):
    world(kind)

    html = admin_client.get(url(kind, "changelist")).content.decode()

    assert "Missing languages" in html
    assert '<abbr title="French">fr</abbr>, <abbr title="English">en</abbr>' in html
    assert (
        '<abbr title="Spanish">es</abbr>, <abbr title="French">fr</abbr>, '
        '<abbr title="English">en</abbr>'
    ) in html
    assert '<abbr title="Spanish">es</abbr>, <abbr title="Portuguese">pt</abbr><' in html


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_the_missing_language_filter_lists_the_records_that_lack_it(admin_client, kind, language):
    records = world(kind)

    response = admin_client.get(url(kind, "changelist"), {"missing_language": language})

    expected = {
        records[label].pk
        for label, (_original, written) in WORLD.items()
        if language not in written
    }
    assert {record.pk for record in response.context["cl"].result_list} == expected
    names = {"es": "Spanish", "pt": "Portuguese", "fr": "French", "en": "English"}
    assert f"missing {names[language]}" in response.content.decode()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", ["de", "pt-br", "PT", "' OR 1=1", "x" * 300])
def test_an_unknown_missing_language_is_the_admins_bad_filter_not_an_error(
    admin_client, kind, value
):
    response = admin_client.get(url(kind, "changelist"), {"missing_language": value})

    # The admin's answer to a bad filter: back to the list with ?e=1 ("Database error").
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("kind", KINDS)
def test_the_filtered_list_costs_the_same_queries_for_few_and_many_records(
    admin_client, kind, django_assert_num_queries
):
    """Prevents N+1: the column reads the row, the filter is one condition of the query."""
    changelist = url(kind, "changelist")
    world(kind)
    admin_client.get(changelist, {"missing_language": "fr"})  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        admin_client.get(changelist, {"missing_language": "fr"})
    for _ in range(7):
        world(kind)
    with django_assert_num_queries(len(few.captured_queries)):
        response = admin_client.get(changelist, {"missing_language": "fr"})
    assert len(response.context["cl"].result_list) == 16


# --- Search in every language ------------------------------------------------------------


def found(client, kind, text):
    response = client.get(url(kind, "changelist"), {"q": text})
    return list(response.context["cl"].result_list)


def test_the_admin_search_finds_a_record_by_a_translation(admin_client):
    activity = factories.make_activity(
        title="Cooperación descentralizada", title_pt="Cooperação descentralizada"
    )
    agreement = factories.make_agreement(title="Convenio marco", summary_fr="Accord de jumelage")
    resource = factories.make_resource(title="Guía", description_en="A handbook on waste")
    theme = factories.make_theme(name_fr="Mobilité urbaine")
    partner = factories.make_partner(name="United Cities", official_short_name_fr="CGLU")

    assert found(admin_client, "activity", "Cooperação") == [activity]
    assert found(admin_client, "agreement", "jumelage") == [agreement]
    assert found(admin_client, "resource", "handbook") == [resource]
    assert found(admin_client, "theme", "Mobilité") == [theme]
    assert found(admin_client, "partner", "CGLU") == [partner]


def test_participations_are_found_by_their_activitys_title_in_any_language(admin_client, partner_a):
    activity = factories.make_activity(
        title="Foro urbano", title_en="Urban forum", partners=[partner_a]
    )
    factories.make_activity(title="Otra cosa", partners=[partner_a])

    response = admin_client.get(
        reverse("admin:activities_participation_changelist"), {"q": "urban"}
    )

    assert list(response.context["cl"].result_list) == list(
        Participation.objects.filter(activity=activity)
    )

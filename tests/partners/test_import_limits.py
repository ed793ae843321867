"""Admin imports refuse, before parsing, files too big, XLSX archives that unpack to too much
(zip bombs) and files of too many rows: a message on the form, nothing imported."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Partner

pytestmark = pytest.mark.django_db

URL = "admin:partners_partner_import"


def post(client, name, content, file_format):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client.post(
        reverse(URL),
        {"format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["slug", "name", "kind", "country"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb():
    """A valid small XLSX whose sheet is padded with 60 MB of spaces: a few tens of KB."""
    small = zipfile.ZipFile(io.BytesIO(xlsx([["lima", "Lima", "city", "PE"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in small.infolist():
            data = small.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (60 * 1024 * 1024))
            bomb.writestr(member.filename, data)
    return out.getvalue()


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_parsing(coordinator_client):
    content = zip_bomb()
    assert len(content) < 1024 * 1024
    response = post(coordinator_client, "cities.xlsx", content, "1")
    assert response.status_code == 200
    assert "This spreadsheet unpacks to" in response.content.decode()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Partner.objects.exists()


def test_a_file_over_the_size_limit_is_refused(coordinator_client, settings):
    settings.IMPORT_MAX_FILE_SIZE = 1000
    content = b"slug,name,kind,country\n" + b"lima,Lima,city,PE\n" * 100
    response = post(coordinator_client, "cities.csv", content, "0")
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert not Partner.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_file_of_too_many_rows_is_refused(coordinator_client, settings, file_format):
    settings.IMPORT_MAX_ROWS = 3
    rows = [[f"city-{n}", f"City {n}", "city", "PE"] for n in range(4)]
    if file_format == "csv":
        text = "slug,name,kind,country\n" + "".join(",".join(row) + "\n" for row in rows)
        response = post(coordinator_client, "cities.csv", text.encode(), "0")
    else:
        response = post(coordinator_client, "cities.xlsx", xlsx(rows), "1")
    assert response.status_code == 200
    assert "This file has more than 3 rows" in response.content.decode()
    assert not Partner.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_file_at_the_row_limit_is_previewed(coordinator_client, settings, file_format):
    settings.IMPORT_MAX_ROWS = 3
    rows = [[f"city-{n}", f"City {n}", "city", "PE"] for n in range(3)]
    if file_format == "csv":
        text = "slug,name,kind,country\n" + "".join(",".join(row) + "\n" for row in rows)
        response = post(coordinator_client, "cities.csv", text.encode(), "0")
    else:
        response = post(coordinator_client, "cities.xlsx", xlsx(rows), "1")
    assert response.status_code == 200
    assert [row.import_type for row in response.context["result"].rows] == ["new"] * 3

"""The admin's spreadsheet imports (django-import-export), with generated files: never a 500;
the preview writes nothing; the confirmed import writes the whole file or nothing."""

import csv
import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import example, response_status, row_counts
from tests.fuzz.strategies import form_data, fuzz_settings, hostile, read_form


def import_targets():
    targets = []
    for model, model_admin in admin.site._registry.items():
        if not getattr(model_admin, "resource_classes", None):
            continue
        opts = model._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
        except NoReverseMatch:
            continue
        headers = [f.column_name for f in model_admin.resource_classes[0]().get_fields()]
        targets.append(pytest.param(url, headers, id=opts.label))
    return sorted(targets, key=lambda p: p.id)


PLAUSIBLE_CELLS = [
    "montevideo",
    "quito",
    "al-las",
    "city",
    "network",
    "institution",
    "partner",
    "member",
    "UY",
    "Uruguay",
    "2020-01-01",
    "2019-12-31",
    "training",
    "published",
    "online",
    "draft",
    "organiser",
    "participant",
    "10",
    "4",
    "1",
    "0",
    "https://example.org",
]


def spreadsheet(headers):
    cell = st.one_of(st.sampled_from(PLAUSIBLE_CELLS), hostile)
    header_row = st.one_of(
        st.just(headers),
        st.lists(st.sampled_from([*headers, "bogus", ""]), max_size=len(headers) + 2),
    )
    rows = st.lists(st.lists(cell, max_size=len(headers) + 1), max_size=4)

    def build(header, body, encoding, name):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(body)
        return SimpleUploadedFile(name, buffer.getvalue().encode(encoding, "replace"))

    text_file = st.builds(
        build,
        header_row,
        rows,
        st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
        st.sampled_from(["data.csv", "data.xlsx", "data.exe", "../data.csv"]),
    )
    raw_file = st.builds(
        lambda content, name: SimpleUploadedFile(name, content),
        st.binary(max_size=2000),
        st.sampled_from(["data.csv", "data.xlsx"]),
    )
    return st.one_of(text_file, text_file, text_file, raw_file)


@pytest.mark.parametrize(("url", "headers"), import_targets())
def test_an_import_never_fails_and_writes_all_rows_or_none(
    coordinator_client, fuzz_world, url, headers
):
    client = coordinator_client
    form = read_form(client.get(url).content.decode())
    target = f"import {url}"

    @fuzz_settings
    @given(data=form_data(form), upload=spreadsheet(headers))
    def run(data, upload):
        data = {**data, "import_file": upload}
        with example(target):
            before = row_counts()
            response = client.post(url, data)
            assert response_status(target, response) in {200, 400}
            assert row_counts() == before, "the preview wrote rows"
            confirm = response.context.get("confirm_form") if response.context else None
            if confirm is None:
                return
            confirm_url = read_form(response.content.decode()).action or url
            response = client.post(confirm_url, confirm.initial)
            status = response_status(target, response)
            if status != 302:
                assert status in {200, 400}
                assert row_counts() == before, "a refused import wrote rows"

    run()


@pytest.mark.parametrize(("url", "headers"), import_targets())
def test_a_forged_import_confirmation_is_refused_without_a_server_error(
    coordinator_client, fuzz_world, url, headers
):
    confirm_url = url.replace("/import/", "/process_import/")
    target = f"import confirm {confirm_url}"
    fields = st.fixed_dictionaries(
        {
            "import_file_name": st.one_of(
                st.sampled_from(["../../etc/passwd", "/etc/passwd", "missing.csv", ""]), hostile
            ),
            "original_file_name": hostile,
            "format": st.one_of(st.sampled_from(["0", "1", "2", "99", "-1", "x"]), hostile),
            "resource": st.one_of(st.sampled_from(["0", "1", "x"]), hostile),
        }
    )

    @fuzz_settings
    @given(data=fields)
    def run(data):
        with example(target):
            before = row_counts()
            response = coordinator_client.post(confirm_url, data)
            assert response_status(target, response) in {200, 400, 404}
            assert row_counts() == before

    run()

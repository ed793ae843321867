"""The bulk downloads (/data/v1/): a CSV per table with the table's header, the partners as
RFC 7946 GeoJSON, only what the public pages show, each file written once per content version
(streamed while it is written the first time, from the file after), ETag and 304, HEAD, gzip,
and query counts that do not grow with the data."""

import csv
import gzip
import io
import json
import os
import time

import pytest
from django.http import FileResponse
from django.test import Client

from activities.models import Activity
from opendata import downloads
from opendata.tables import TABLES
from partners.models import Partner
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db

CSV_URLS = {table.name: f"/data/v1/{table.name}.csv" for table in TABLES}
GEOJSON_URL = "/data/v1/partners.geojson"
URLS = [*CSV_URLS.values(), GEOJSON_URL, "/data/v1/datapackage.json", "/data/v1/catalog.jsonld"]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return body(response)


def csv_rows(client, table_name):
    text = download(client, CSV_URLS[table_name]).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def records(client, table_name):
    header, *rows = csv_rows(client, table_name)
    return [dict(zip(header, row, strict=True)) for row in rows]


def geojson(client):
    return json.loads(download(client, GEOJSON_URL))


def written_files(settings):
    root = settings.OPEN_DATA_ROOT
    return (
        sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
        if root.exists()
        else []
    )


@pytest.fixture
def site():
    """The public site's records, plus private ones linked to public ones in every way a file
    could name them: their names and slugs all hold "hidden"."""
    site = populate(3)
    hidden = site.hidden
    hidden["network"] = factories.make_network(
        name="Hidden Network", slug="hidden-network", is_public=False
    )
    factories.make_membership(member=site.partners[0], network=hidden["network"])
    hidden["submitted"] = factories.make_activity(
        title="Hidden submitted activity",
        slug="hidden-submitted",
        status=Activity.Status.SUBMITTED,
        partners=[site.partners[0]],
    )
    factories.make_activity(
        title="Public activity with private links",
        slug="public-activity-linked",
        venue_type=Activity.VenueType.CITY,
        venue_partner=hidden["partner"],
        agreement=hidden["agreement"],
        partners=[site.partners[1], hidden["partner"]],
    )
    resource = factories.make_resource(title="Public guide with private links", slug="linked-guide")
    resource.activities.set([hidden["activity"], hidden["submitted"], site.activities[0]])
    resource.partners.set([hidden["partner"], site.partners[0]])
    return site


# The files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_each_csv_parses_and_starts_with_the_header_of_its_table(client, site, table):
    response = client.get(CSV_URLS[table.name])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{table.name}.csv"'
    header, *rows = list(csv.reader(io.StringIO(body(response).decode(), newline="")))
    assert header == table.flat_header()
    assert rows and all(len(row) == len(header) for row in rows)


def test_the_csv_files_hold_the_public_rows(client, site):
    partners = records(client, "partners")
    assert [p["slug"] for p in partners] == ["al-las", "city-000", "city-001", "city-002"]
    assert partners[1]["url"] == "http://127.0.0.1:8000/en/partners/city-000/"
    assert (partners[1]["latitude"], partners[1]["longitude"]) == ("-34.9", "-56.19")
    activities = {a["slug"]: a for a in records(client, "activities")}
    assert set(activities) == {
        "activity-000",
        "activity-001",
        "activity-002",
        "public-activity-linked",
    }
    assert activities["activity-000"]["themes"] == "training"
    resource = next(r for r in records(client, "resources") if r["slug"] == "linked-guide")
    assert (resource["activities"], resource["publishers"]) == ("activity-000", "city-000")
    # Agreements with their parties and public lifecycle steps.
    assert {p["agreement"] for p in records(client, "agreement_parties")} == {
        "agreement-000",
        "agreement-001",
        "agreement-002",
    }
    assert {s["to_status"] for s in records(client, "agreement_steps")} >= {"proposed", "in_force"}


def test_the_csv_files_follow_rfc_4180_in_utf_8(client):
    factories.make_partner(name='Ville "Nord", Sud\nEst', slug="quoted", locality="Bogotá")

    raw = download(client, CSV_URLS["partners"])

    assert raw.count(b"\r\n") == 2  # header and row (the newline inside is quoted)
    assert b'"Ville ""Nord"", Sud\nEst"' in raw
    [row] = records(client, "partners")
    assert row["name"] == 'Ville "Nord", Sud\nEst' and row["locality"] == "Bogotá"


def test_no_file_names_a_record_that_is_not_public(client, site):
    hidden_slugs = {record.slug for record in site.hidden.values()}
    hidden_names = {"Hidden City", "Hidden Network", "Hidden draft activity", "Hidden agreement"}
    hidden_names |= {"Hidden resource", "Hidden submitted activity", "Hidden internal note"}

    texts = {url: download(client, url).decode() for url in URLS}

    for url, text in texts.items():
        for probe in hidden_slugs | hidden_names:
            assert probe not in text, (url, probe)
        assert "hidden" not in text.lower(), url
    # The public records linked to them are there (or the test could pass on empty files).
    assert "public-activity-linked" in texts[CSV_URLS["activities"]]
    assert "linked-guide" in texts[CSV_URLS["resources"]]
    assert "city-000" in texts[GEOJSON_URL]


def test_the_geojson_follows_rfc_7946(client, site):
    factories.make_partner(name="Nowhere", slug="no-location")  # public, not on the map

    response = client.get(GEOJSON_URL)
    data = json.loads(body(response))

    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection" and "crs" not in data
    located = Partner.objects.public().located()
    assert [f["id"] for f in data["features"]] == sorted(p.slug for p in located)
    for feature in data["features"]:
        partner = located.get(slug=feature["id"])
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert all(isinstance(n, int | float) for n in (longitude, latitude))
        assert (longitude, latitude) == (float(partner.longitude), float(partner.latitude))
        assert set(feature["properties"]) == {
            "slug",
            "url",
            "name",
            "short_name",
            "official_name_es",
            "official_name_pt",
            "official_name_fr",
            "official_name_en",
            "kind",
            "country",
            "locality",
            "wikidata_id",
        }


# Written once per content version -------------------------------------------------------------


def test_a_file_is_written_once_per_content_version_and_again_after_an_edit(
    client, site, settings, django_assert_num_queries
):
    first = client.get(CSV_URLS["partners"])
    assert not isinstance(first, FileResponse)  # streamed while it is written
    first_bytes = body(first)
    [key] = {name.split("/")[0] for name in written_files(settings)}
    assert written_files(settings) == [f"{key}/partners.csv", f"{key}/partners.csv.gz"]

    with django_assert_num_queries(0):
        second = client.get(CSV_URLS["partners"])
        assert isinstance(second, FileResponse)
        assert body(second) == first_bytes
    assert second["ETag"] == first["ETag"]

    partner = site.partners[0]
    partner.name = "Montevideo Renamed"
    partner.save()
    third = client.get(CSV_URLS["partners"])
    assert not isinstance(third, FileResponse)
    assert "Montevideo Renamed" in body(third).decode()
    assert third["ETag"] != first["ETag"]
    assert len({name.split("/")[0] for name in written_files(settings)}) == 2


def test_the_folders_of_older_versions_are_removed_once_stale(client, site, settings):
    download(client, CSV_URLS["themes"])
    [old] = list(settings.OPEN_DATA_ROOT.iterdir())
    unrelated = settings.OPEN_DATA_ROOT / "keep-me"
    unrelated.mkdir()
    site.themes[0].save()  # a new content version
    download(client, CSV_URLS["themes"])
    assert old.exists()  # a download may still be writing there

    site.themes[0].save()
    stale = time.time() - downloads.STALE_SECONDS - 1
    os.utime(old, (stale, stale))
    download(client, CSV_URLS["themes"])

    assert not old.exists()
    assert unrelated.exists()  # only folders named like a key are removed


def test_the_first_bytes_leave_before_the_file_is_complete(client, site, settings, monkeypatch):
    monkeypatch.setattr(downloads, "ROWS_PER_BATCH", 1)
    monkeypatch.setattr(downloads, "PIECE_CHARACTERS", 1)

    pieces = iter(client.get(CSV_URLS["partners"]).streaming_content)
    first = next(pieces)

    assert first.startswith(b"slug,url,")
    assert not any(name.endswith("partners.csv") for name in written_files(settings))
    rest = b"".join(pieces)
    assert (first + rest).count(b"\r\n") == 5  # header, network and three cities
    [path] = list(settings.OPEN_DATA_ROOT.rglob("partners.csv"))
    assert path.read_bytes() == first + rest


def test_a_download_left_early_leaves_no_file(client, site, settings, monkeypatch):
    monkeypatch.setattr(downloads, "ROWS_PER_BATCH", 1)
    monkeypatch.setattr(downloads, "PIECE_CHARACTERS", 1)

    response = client.get(CSV_URLS["partners"])
    next(iter(response.streaming_content))
    response.close()  # what the server does when the client leaves

    assert written_files(settings) == []  # neither the file nor its temporary copies


def test_a_folder_that_cannot_be_written_still_gives_the_download(client, site, settings):
    settings.OPEN_DATA_ROOT = settings.OPEN_DATA_ROOT.parent / "a-file"
    settings.OPEN_DATA_ROOT.write_text("not a folder")

    assert b"city-000" in download(client, CSV_URLS["partners"])


# HTTP -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        (CSV_URLS["partners"], "text/csv; charset=utf-8"),
        (GEOJSON_URL, "application/geo+json"),
        ("/data/v1/datapackage.json", "application/json"),
        ("/data/v1/catalog.jsonld", "application/ld+json"),
    ],
)
def test_each_file_has_its_type_caching_and_cors_headers(client, site, url, content_type):
    for _written_then_from_the_file in range(2):
        response = client.get(url, headers={"origin": "https://portal.example.eu"})
        body(response)
        assert response["Content-Type"] == content_type
        assert response["Cache-Control"] == "public, max-age=300"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Accept-Encoding" in response["Vary"]


def test_the_map_address_with_the_current_key_may_be_kept_for_a_year(client, site):
    key = downloads.files_key()

    current = client.get(f"{GEOJSON_URL}?v={key}")
    outdated = client.get(f"{GEOJSON_URL}?v=0123456789abcdef0123")

    assert current["Cache-Control"] == "public, max-age=31536000, immutable"
    assert outdated["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("url", URLS)
def test_a_client_with_the_current_file_gets_a_304(client, site, url):
    response = client.get(url)
    body(response)
    etag = response["ETag"]

    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag and not again.content
    compressed = client.get(url, headers={"accept-encoding": "gzip"})
    assert client.get(url, headers={"if-none-match": compressed["ETag"]}).status_code == 304

    site.partners[0].save()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_head_gives_the_headers_and_length_of_the_file(client, site):
    response = client.head(CSV_URLS["participations"])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body(response) == b""
    full = download(client, CSV_URLS["participations"])
    assert int(response["Content-Length"]) == len(full)


@pytest.mark.parametrize("url", [CSV_URLS["activities"], GEOJSON_URL])
def test_clients_that_accept_gzip_get_the_file_compressed(client, site, settings, url):
    streamed = client.get(url, headers={"accept-encoding": "gzip, br"})  # while it is written
    packed = body(streamed)
    from_the_file = client.get(url, headers={"accept-encoding": "gzip"})

    for response in (streamed, from_the_file):
        assert response["Content-Encoding"] == "gzip"
        assert response["Content-Type"] == client.get(url)["Content-Type"]
        assert "Accept-Encoding" in response["Vary"]
    assert isinstance(from_the_file, FileResponse) and body(from_the_file) == packed
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert gzip.decompress(packed) == body(plain)
    assert plain["ETag"] != streamed["ETag"] == from_the_file["ETag"]


def test_an_unknown_table_is_a_404(client):
    assert client.get("/data/v1/users.csv").status_code == 404
    assert client.get("/data/v1/partners.xml").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_downloads_only_read(method):
    client = Client(enforce_csrf_checks=True)  # as a browser: no CSRF 403 before the 405

    for url in [CSV_URLS["partners"], GEOJSON_URL, "/data/v1/datapackage.json"]:
        assert getattr(client, method)(url).status_code == 405, url


# Query counts ---------------------------------------------------------------------------------

# One query per file, plus one per list column (themes, activities, publishers) for each chunk
# of rows; the descriptions read nothing.
QUERIES = {
    **dict.fromkeys(CSV_URLS.values(), 1),
    CSV_URLS["agreements"]: 2,
    CSV_URLS["activities"]: 2,
    CSV_URLS["resources"]: 4,
    GEOJSON_URL: 1,
    "/data/v1/datapackage.json": 0,
    "/data/v1/catalog.jsonld": 0,
}


@pytest.mark.parametrize("rows", [3, 40])
def test_each_file_takes_the_same_number_of_queries_for_few_and_many_rows(
    client, django_assert_num_queries, rows
):
    """Prevents N+1: rows come in chunks, each list column in one query per chunk."""
    populate(rows)
    for url, count in QUERIES.items():
        with django_assert_num_queries(count):
            download(client, url)
        with django_assert_num_queries(0):
            download(client, url)  # from the file

"""The descriptions of the downloads: the Frictionless Data Package, validated by the
frictionless library against the files as a user downloads them, and the DCAT-AP catalogue."""

import json

import pytest
from django.utils import translation
from frictionless import Package, validate

from allas.translation import LANGUAGE_CODES
from opendata.tables import LICENCE, TABLES
from tests.opendata.test_downloads import body
from tests.public_site import populate

pytestmark = pytest.mark.django_db

SITE_URL = "https://allas.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(body(response))


@pytest.fixture
def downloaded(client, tmp_path):
    """datapackage.json and every file it lists, downloaded into a folder."""
    populate(4)
    folder = tmp_path / "downloaded"
    folder.mkdir()
    descriptor = body(client.get("/data/v1/datapackage.json"))
    (folder / "datapackage.json").write_bytes(descriptor)
    for resource in json.loads(descriptor)["resources"]:
        response = client.get(f"/data/v1/{resource['path']}")
        assert response.status_code == 200, resource["path"]
        (folder / resource["path"]).write_bytes(body(response))
    return folder


def validation(folder):
    report = validate(str(folder / "datapackage.json"))
    summary = report.to_summary() if not report.valid else ""
    print(summary)  # shown by pytest on failure
    return report


def test_the_data_package_validates_against_the_downloaded_files(downloaded):
    report = validation(downloaded)

    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    checked = {task.name: task.stats.get("rows") for task in report.tasks}
    assert set(checked) == {table.name for table in TABLES} | {"partners-map"}
    assert checked["partners"] == 5 and checked["activities"] == 4


def test_the_validation_checks_the_foreign_keys(downloaded):
    """Or the test above could pass on a package whose keys are never compared."""
    memberships = downloaded / "memberships.csv"
    memberships.write_bytes(memberships.read_bytes() + b"999,nobody,al-las,partner,2020-01-01,\r\n")

    report = validation(downloaded)

    assert not report.valid
    assert {error.type for task in report.tasks for error in task.errors} == {"foreign-key"}


def test_the_data_package_describes_every_table_with_its_keys_and_licence(client):
    package = get_json(client, "/data/v1/datapackage.json")

    assert package["licenses"] == [LICENCE]
    assert LICENCE["name"] == "CC-BY-4.0"
    descriptor_report = Package.validate_descriptor(package)
    assert descriptor_report.valid, descriptor_report.to_summary()
    resources = {resource["name"]: resource for resource in package["resources"]}
    for table in TABLES:
        resource = resources[table.name]
        assert resource["path"] == f"{table.name}.csv"  # relative: valid on a downloaded copy
        assert (resource["format"], resource["mediatype"]) == ("csv", "text/csv")
        assert resource["encoding"] == "utf-8"
        schema = resource["schema"]
        assert [field["name"] for field in schema["fields"]] == table.flat_header()
        assert all(field["description"] for field in schema["fields"])
        assert schema["primaryKey"] == table.primary_key
        assert [
            (key["fields"], key["reference"]["resource"], key["reference"]["fields"])
            for key in schema.get("foreignKeys", [])
        ] == table.foreign_keys
    slug = resources["partners"]["schema"]["fields"][0]
    assert slug["constraints"] == {"required": True, "unique": True}
    kind = next(f for f in resources["partners"]["schema"]["fields"] if f["name"] == "kind")
    assert kind["constraints"]["enum"] == ["city", "network", "institution"]
    assert resources["partners-map"]["mediatype"] == "application/geo+json"


def test_the_catalogue_lists_each_table_with_its_downloads_and_licence(client):
    catalogue = get_json(client, "/data/v1/catalog.jsonld")
    licence = {"@id": "https://creativecommons.org/licenses/by/4.0/"}

    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalogue["dct:license"] == licence
    # Texts in English and in each language they are translated into, tagged.
    assert catalogue["dct:publisher"]["foaf:name"] == [
        {"@language": "es", "@value": "Red AL-LAs"},
        {"@language": "pt", "@value": "Rede AL-LAs"},
        {"@language": "fr", "@value": "Réseau AL-LAs"},
        {"@language": "en", "@value": "AL-LAs Network"},
    ]
    for text in (catalogue["dct:title"], catalogue["dct:description"]):
        assert {"@language": "en", "@value": text[-1]["@value"]} in text
        assert {value["@language"] for value in text} <= set(LANGUAGE_CODES)
    datasets = {dataset["dct:identifier"]: dataset for dataset in catalogue["dcat:dataset"]}
    assert list(datasets) == [table.name for table in TABLES]
    for table in TABLES:
        dataset = datasets[table.name]
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dct:license"] == licence
        with translation.override("en"):
            assert {"@language": "en", "@value": str(table.title)} in dataset["dct:title"]
        csv_file = dataset["dcat:distribution"][0]
        assert csv_file["@type"] == "dcat:Distribution"
        assert csv_file["dcat:downloadURL"] == {"@id": f"{SITE_URL}/data/v1/{table.name}.csv"}
        assert csv_file["dcat:mediaType"]["@id"].endswith("/text/csv")
        assert csv_file["dct:license"] == licence
        assert (
            client.get(csv_file["dcat:downloadURL"]["@id"].removeprefix(SITE_URL)).status_code
            == 200
        )
    [_csv, geojson] = datasets["partners"]["dcat:distribution"]
    assert geojson["dcat:downloadURL"] == {"@id": f"{SITE_URL}/data/v1/partners.geojson"}
    assert geojson["dcat:mediaType"]["@id"].endswith("/application/geo+json")
    [api] = catalogue["dcat:service"]
    assert api["@type"] == "dcat:DataService"
    assert api["dcat:endpointURL"] == {"@id": f"{SITE_URL}/api/v1/"}
    assert api["dcat:endpointDescription"] == {"@id": f"{SITE_URL}/api/v1/schema/"}
    assert len(api["dcat:servesDataset"]) == len(TABLES)

"""The home page and the layout every public page shares."""

import json

import pytest
from django.urls import reverse

from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [3, 60])
def test_the_home_page_takes_the_same_number_of_queries_for_few_and_many_rows(
    client, django_assert_num_queries, rows
):
    """Prevents N+1: two aggregates for the figures (then cached), one query per short list
    and one for the activities running today; the map's markers come from the partners'
    GeoJSON of the downloads, in one query."""
    populate(rows)
    with django_assert_num_queries(6):
        response = client.get("/es/")
    assert response.status_code == 200
    with django_assert_num_queries(4):
        assert client.get("/es/").status_code == 200  # the figures come from the cache
    with django_assert_num_queries(1):
        response = client.get(reverse("data:partners-geojson"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)  # written while it is sent


def test_the_key_figures_count_public_records_only(client):
    site = populate(3)
    factories.make_activity(kind="training", hours=100, status="draft")
    figures = client.get("/en/").context["figures"]
    assert figures == {
        "partners": 4,  # 3 cities and the network; the hidden city is left out
        "countries": 4,  # UY, EC, AR and MX
        "networks": 1,
        "activities": 3,
        "training_hours": 8,  # activities 000 and 002 are 4-hour trainings
        "on_map": 4,
    }
    assert len(site.partners) == 3


def test_the_home_page_shows_the_map_upcoming_and_latest_activities_and_resources(client):
    populate(5)  # activities from 60 days ago to 60 days ahead
    response = client.get("/en/")
    content = response.content.decode()
    assert [a.slug for a in response.context["upcoming"]] == [
        "activity-002",
        "activity-003",
        "activity-004",
    ]
    assert [a.slug for a in response.context["latest"]] == ["activity-001", "activity-000"]
    assert [r.slug for r in response.context["resources"]][:2] == ["guide-004", "guide-003"]
    assert "Guide 004" in content
    assert '<script id="map-config" type="application/json">' in content
    assert 'data-markers-url="/data/v1/partners.geojson?v=' in content
    assert "The map shows 6 partners" in content  # network and 5 cities
    assert "Hidden" not in content


def test_the_map_markers_come_from_the_partners_geojson_of_the_downloads(client):
    populate(5)
    home = client.get("/en/")
    content = home.content.decode()
    assert '<script id="map-markers"' not in content  # not inside the page
    # The GeoJSON is the same in every language: the page gives the profile address in its own.
    assert home.context["map_config"]["profileUrl"] == "/en/partners/--slug--/"
    url = content.split('data-markers-url="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "immutable" in response["Cache-Control"]  # the address changes with the content
    data = json.loads(b"".join(response.streaming_content))
    assert data["type"] == "FeatureCollection"
    slugs = {feature["properties"]["slug"] for feature in data["features"]}
    assert len(slugs) == 6 and "hidden-city" not in slugs
    montevideo = next(f for f in data["features"] if f["properties"]["slug"] == "city-000")
    assert montevideo["geometry"]["coordinates"] == [-56.19, -34.9]  # longitude first
    assert montevideo["properties"]["country"] == "UY"
    again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_the_map_address_changes_when_a_partner_changes(client):
    site = populate(3)
    first = client.get("/en/").content.decode().split('data-markers-url="', 1)[1].split('"')[0]
    site.partners[0].save()
    second = client.get("/en/").content.decode().split('data-markers-url="', 1)[1].split('"')[0]
    assert first != second


def test_the_map_uses_the_tile_server_of_the_settings(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    content = client.get("/en/").content.decode()
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in content


def test_the_language_switcher_keeps_the_current_page_and_its_filters(client):
    populate(3)
    content = client.get("/es/partners/city-000/").content.decode()
    assert 'href="/pt/partners/city-000/" lang="pt"' in content
    assert 'href="/fr/partners/city-000/" lang="fr"' in content
    content = client.get("/es/partners/?country=UY").content.decode()
    assert 'href="/en/partners/?country=UY" lang="en"' in content


def test_every_page_has_hreflang_alternates_for_the_four_languages(client):
    content = client.get("/fr/").content.decode()
    for code in ["es", "pt", "fr", "en"]:
        assert (
            f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/">' in content
        )
    assert 'hreflang="x-default"' in content
    assert '<html lang="fr">' in content


def test_the_layout_has_a_skip_link_navigation_and_no_inline_script_or_style(client):
    populate(3)
    for url in ["/en/", "/en/partners/", "/en/activities/activity-000/"]:
        content = client.get(url).content.decode()
        assert 'href="#content"' in content and 'id="content"' in content
        assert 'aria-label="Main"' in content
        assert "style=" not in content
        assert "<script>" not in content and "onclick" not in content


def test_the_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] in {"/es/", "/pt/", "/fr/", "/en/"}

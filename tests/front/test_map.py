"""The partner map's data (issue 15): its own base layer with no outside host, the slugs of the
partners the directory's filters give (its map follows them), a network's map of its members."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Partner
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db


def map_config(content):
    return json.loads(content.split('id="map-config" type="application/json">', 1)[1].split("<")[0])


def test_the_map_needs_no_outside_host_by_default(client, settings):
    settings.MAP_TILE_URL = ""
    populate(2)
    response = client.get("/en/")
    config = map_config(response.content.decode())
    assert config["tileUrl"] == ""
    assert config["outlines"]["coarse"].endswith("vendor/world-atlas/countries-110m.json")
    assert "Natural Earth" in config["attribution"]
    img_src = response["Content-Security-Policy"].split("img-src", 1)[1].split(";")[0]
    assert img_src.split() == ["'self'", "data:"]


def test_a_tile_server_is_optional_and_credited_with_natural_earth(client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    populate(2)
    config = map_config(client.get("/en/").content.decode())
    assert config["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert "Natural Earth" in config["attribution"]
    assert "Example tiles" in config["attribution"]


def test_the_map_slugs_follow_the_directory_filters(client):
    site = populate(6)
    hidden = factories.make_partner(slug="no-place", country="UY")  # no coordinates
    everyone = client.get("/en/partners/map.json").json()["ids"]
    assert "al-las" in everyone and "city-000" in everyone
    assert hidden.slug not in everyone
    uruguay = {p.slug for p in site.partners if p.country.code == "UY" and p.latitude}
    assert uruguay
    assert set(client.get("/en/partners/map.json?country=UY").json()["ids"]) == uruguay
    # The same filters as the list: its results' located partners.
    listed = client.get("/en/partners/?country=UY").context["paginator"].object_list
    assert set(listed.located().values_list("slug", flat=True)) == uruguay


def test_the_directory_page_gives_its_map_the_address_of_its_filters(client):
    populate(3)
    config = map_config(client.get("/en/partners/?country=UY&page=1&sort=name").content.decode())
    assert config["idsUrl"] == "/en/partners/map.json?country=UY"
    config = map_config(client.get("/en/partners/").content.decode())
    assert "idsUrl" not in config  # every partner of the GeoJSON


def test_a_network_profile_maps_the_network_and_its_current_members(client):
    site = populate(3)
    response = client.get("/en/partners/al-las/")
    content = response.content.decode()
    config = map_config(content)
    assert config["focus"] == "al-las"
    assert config["idsUrl"] == "/en/partners/map.json?network=al-las"
    assert 'data-markers-url="/data/v1/partners.geojson?v=' in content
    current = {m.member.slug for m in response.context["members"]}
    assert len(current) >= 2
    assert set(client.get(config["idsUrl"]).json()["ids"]) == current
    # A city's profile: its own marker.
    content = client.get(f"/en/partners/{site.partners[0].slug}/").content.decode()
    assert 'id="map-markers"' in content and "data-markers-url" not in content


@pytest.mark.parametrize("filters", ["", "?country=UY", "?network=al-las&role=member", "?q=city"])
def test_the_map_slugs_take_the_same_queries_for_any_number_of_partners(client, filters):
    populate(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/en/partners/map.json{filters}").status_code == 200
    network = Partner.objects.get(slug="al-las")
    for i in range(40):
        partner = factories.make_partner(country="UY", latitude=-34.9 + i / 100, longitude=-56.2)
        factories.make_membership(member=partner, network=network)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/en/partners/map.json{filters}")
    assert len(many) == len(few)
    if not filters or filters == "?country=UY":
        assert len(response.json()["ids"]) > 40

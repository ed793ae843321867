"""The partner map in Chromium (issue 15): its own base layer with no request to another host,
clusters, the directory's map following its filters, a network's map of its members, controls
of at least 24 × 24 px, and a Tab order that goes through the map and out again. Screenshots in
test-artifacts/screenshots/map-*.png."""

import re

import pytest

from partners.models import Partner
from tests.browser.public_data import (
    block_external_requests,
    partners_on_map,
    populate_named,
    wait_for_map,
    watch_console,
)

pytestmark = pytest.mark.browser

SMALL_TARGETS = """() => [...document.querySelectorAll(
    '#map .leaflet-control a, #map .leaflet-control button')].filter(element => {
        const box = element.getBoundingClientRect();
        return box.width < 24 || box.height < 24;
    }).map(element => element.outerHTML.slice(0, 80))"""


def test_the_map_draws_its_own_base_layer_follows_the_filters_and_calls_no_other_host(
    transactional_db, live_server, page, screenshot
):
    populate_named()
    outside = block_external_requests(page)
    console_errors = watch_console(page)
    tiles = []
    page.on("request", lambda request: tiles.append(request.url) if "{z}" in request.url else 0)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Home: Natural Earth's outlines (one canvas), every located partner, no tile.
    page.goto(f"{live_server.url}/en/")
    wait_for_map(page)
    assert page.locator("#map canvas").count() == 1
    assert page.locator("#map .leaflet-tile").count() == 0
    located = Partner.objects.public().located().count()
    assert partners_on_map(page) == located
    assert "Natural Earth" in page.locator("#map .leaflet-control-attribution").inner_text()
    assert page.evaluate(SMALL_TARGETS) == []
    page.locator("#map").scroll_into_view_if_needed()
    screenshot("map-01-home")

    # Tab goes into the map's controls and out again: not a trap, no marker stop.
    page.locator("#map-title").click()
    stops = []
    for _ in range(8):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.closest('#map') !== null"))
    assert True in stops and stops[-1] is False

    # The directory filtered by country: its map shows the located partners of the results.
    page.goto(f"{live_server.url}/en/partners/?country=UY")
    wait_for_map(page)
    uruguay = Partner.objects.public().located().filter(country="UY").count()
    assert uruguay and partners_on_map(page) == uruguay < located
    assert "by keyboard" in page.locator("#map-note").inner_text()
    screenshot("map-02-directory-uruguay")

    # A network's profile: the network and its current members.
    page.goto(f"{live_server.url}/en/partners/al-las/")
    wait_for_map(page)
    members = page.locator("#members-title + .table-scroll tbody tr").count()
    assert partners_on_map(page) == members + 1
    page.locator("#map").scroll_into_view_if_needed()
    screenshot("map-03-network-profile")

    # A city's profile: its marker, reachable by Tab, with its popup.
    page.goto(f"{live_server.url}/en/partners/city-001/")
    wait_for_map(page)
    assert partners_on_map(page) == 1
    page.locator("#map img.leaflet-marker-icon").click()
    assert page.get_by_role("link", name=re.compile("Quito")).last.is_visible()

    assert outside == []
    assert tiles == []
    assert console_errors == []

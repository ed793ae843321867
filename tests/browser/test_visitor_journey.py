"""A visitor's journey through the public site in Chromium, with a screenshot of each step in
test-artifacts/screenshots/."""

import re

import pytest
from icalendar import Calendar

from tests.browser.public_data import (
    block_external_requests,
    partners_on_map,
    populate_named,
    wait_for_map,
    watch_console,
)

pytestmark = pytest.mark.browser


def test_a_visitor_finds_a_partner_switches_language_and_downloads_its_calendar(
    transactional_db, live_server, page, screenshot
):
    populate_named()
    outside = block_external_requests(page)
    console_errors = watch_console(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Home page in Spanish, with the map drawn by the vendored Leaflet on its own base layer
    # (Natural Earth's outlines on a canvas): no tile, no request to another host.
    page.goto(f"{live_server.url}/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    wait_for_map(page)
    assert page.locator("#map canvas").count() == 1
    assert partners_on_map(page) == 10  # 9 cities and the network, some in clusters
    assert page.locator("#map .leaflet-tile").count() == 0
    screenshot("journey-01-home-es")

    # The directory, filtered by country.
    page.locator(".site-nav a[href='/es/partners/']").click()
    page.wait_for_url(re.compile(r"/es/partners/$"))
    screenshot("journey-02-directory")
    page.select_option("#filter-country", "EC")
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"country=EC"))
    cards = page.locator(".cards .card-title a")
    assert cards.all_inner_texts() == ["Quito"]
    screenshot("journey-03-directory-ecuador")

    # The partner's profile.
    cards.first.click()
    page.wait_for_url(re.compile(r"/es/partners/city-001/$"))
    assert page.locator("h1").inner_text() == "Quito"
    # Its own marker, with the images at the addresses the server gives (in production the
    # file names carry a hash, which Leaflet's own guess misses), and they load.
    wait_for_map(page)
    assert "/static/vendor/leaflet/images/marker-icon" in page.locator(
        "#map img.leaflet-marker-icon"
    ).first.get_attribute("src")
    # A function, not an expression: Playwright re-checks an expression with eval() inside the
    # page, which the site's CSP (no 'unsafe-eval') refuses whenever the first check fails.
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.leaflet-marker-icon, img.leaflet-marker-shadow')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    screenshot("journey-04-profile-es")

    # Portuguese, staying on the same profile.
    page.locator(".language-switcher a[lang='pt']").click()
    page.wait_for_url(re.compile(r"/pt/partners/city-001/$"))
    assert page.locator("html").get_attribute("lang") == "pt"
    assert page.locator("h1").inner_text() == "Quito"
    assert "Equador" in page.locator(".page-header").inner_text()  # country name in Portuguese
    screenshot("journey-05-profile-pt")

    # One of its activities.
    page.locator("#activities .item-title a").first.click()
    page.wait_for_url(re.compile(r"/pt/activities/activity-\d+/$"))
    assert page.locator("h1").is_visible()
    screenshot("journey-06-activity-pt")

    # Back to the profile and download its calendar feed.
    page.go_back()
    page.wait_for_url(re.compile(r"/pt/partners/city-001/$"))
    with page.expect_download() as download_info:
        page.locator("a[href='/pt/calendar/partners/city-001.ics']").click()
    download = download_info.value
    assert download.suggested_filename == "allas-city-001.ics"
    calendar = Calendar.from_ical(download.path().read_bytes())
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    # joined 000, organised 001; their titles exist only in Spanish, so marked as such
    assert summaries == ["Activity 000 (em espanhol)", "Activity 001 (em espanhol)"]
    screenshot("journey-07-profile-after-download")

    assert [e for e in console_errors if "Content Security Policy" in e] == []
    assert outside == []  # no request to another host, the map included


def test_the_site_is_usable_on_a_narrow_phone_screen(
    transactional_db, live_server, page, screenshot
):
    populate_named()
    outside = block_external_requests(page)
    page.set_viewport_size({"width": 375, "height": 800})
    for name, path in [
        ("mobile-01-home", "/es/"),
        ("mobile-02-directory", "/es/partners/"),
        ("mobile-03-profile", "/es/partners/city-000/"),
        ("mobile-04-activity", "/es/activities/activity-000/"),
    ]:
        page.goto(live_server.url + path)
        # Nothing sticks out sideways: no horizontal scrolling needed.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        screenshot(name)
    assert outside == []

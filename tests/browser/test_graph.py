"""The partnership graph in Chromium, under the site's CSP: drawn by sigma.js with WebGL (the
headless Chromium of these tests has it, through SwiftShader), operated by keyboard, a node's
click opening its profile, and no request to another host."""

import datetime
import re
import time

import pytest

from tests import factories
from tests.browser.public_data import block_external_requests, populate_named, watch_console

pytestmark = pytest.mark.browser

RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def wait_until(page, expression, timeout=15):
    """Polls ``expression`` until true (page.wait_for_function would evaluate a string, which
    the site's CSP refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


def status(page):
    return page.locator("#graph-status").inner_text()


def test_a_visitor_plays_filters_and_searches_the_graph_by_keyboard_and_opens_a_profile(
    transactional_db, live_server, page, screenshot
):
    site = populate_named()
    uclg = factories.make_network(name="United Cities", slug="uclg", country="ES")
    factories.make_membership(
        member=site.network, network=uclg, joined_on=datetime.date(2010, 1, 1)
    )
    outside = block_external_requests(page)
    console_errors = watch_console(page)
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/en/partners/")
    page.get_by_role("link", name=re.compile("partnership graph")).click()
    page.wait_for_selector("#graph[data-ready=true]", timeout=15_000)
    assert page.locator("#graph canvas").count() >= 1  # WebGL: sigma drew it
    # 9 cities and AL-LAs, and UCLG with AL-LAs as a member; the hidden city is left out.
    assert status(page).startswith("Partners shown: 11. Memberships shown: 10.")
    screenshot("graph-01-demo")

    # The time line by keyboard: Home is the first membership (AL-LAs joining UCLG in 2010).
    page.locator("#graph-time").focus()
    page.keyboard.press("Home")
    assert page.locator("#filter-on").input_value() == "2010-01-01"
    assert "Partners shown: 2. Memberships shown: 1. As it stood on 2010-01-01." in status(page)
    page.keyboard.press("End")
    today = page.locator("#filter-on").input_value()
    assert today == datetime.date.today().isoformat()
    # City 2, 5 and 8 left in 2016: today the network has 6 current members, plus UCLG's link.
    assert status(page).startswith("Partners shown: 8. Memberships shown: 7.")

    # Playback runs from the first membership to today, and pauses by keyboard.
    page.locator("#graph-play").focus()
    page.keyboard.press("Enter")
    assert page.locator("#graph-play").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    assert page.locator("#graph-play").get_attribute("aria-pressed") == "false"
    page.locator("#graph-play").press("Enter")
    wait_until(
        page,
        "document.getElementById('graph-play').getAttribute('aria-pressed') === 'false'",
        timeout=30,
    )
    assert page.locator("#filter-on").input_value() == today
    page.locator("#graph-all-time").press("Enter")
    assert page.locator("#filter-on").input_value() == ""

    # The network filter, typed: UCLG shows its one member.
    page.locator("#filter-network").focus()
    page.keyboard.type("uclg")
    page.keyboard.press("Tab")
    assert status(page).startswith("Partners shown: 2. Memberships shown: 1.")
    page.locator("#filter-network").fill("")
    page.locator("#filter-network").press("Tab")
    page.locator("#filter-kind").select_option("network")
    assert status(page).startswith("Partners shown: 2. Memberships shown: 1.")
    page.locator("#filter-kind").select_option("")

    # Zoom by keyboard.
    page.locator("#graph-zoom-in").press("Enter")
    wait_until(page, "window.allasGraph.renderer.getCamera().ratio < 0.9")
    page.locator("#graph-zoom-reset").press("Enter")
    wait_until(page, "window.allasGraph.renderer.getCamera().ratio === 1")

    # Search: the graph focuses the partner and the result links its profile.
    page.locator("#graph-search-input").focus()
    page.keyboard.type("Quito")
    page.keyboard.press("Enter")
    assert page.locator("#graph-found").inner_text().startswith("Quito: City,")
    wait_until(page, "window.allasGraph.renderer.getCamera().ratio < 0.5")
    screenshot("graph-02-found")
    page.locator("#graph-found a").press("Enter")
    page.wait_for_url(re.compile(r"/en/partners/city-001/$"))

    # A click on a node opens its profile.
    page.go_back()
    page.wait_for_selector("#graph[data-ready=true]")
    page.locator("#graph-zoom-reset").click()
    wait_until(page, "window.allasGraph.renderer.getCamera().ratio === 1")
    page.wait_for_timeout(300)
    point = page.evaluate(
        """() => {
            const {renderer, graph} = window.allasGraph;
            const key = graph.findNode((key, attributes) => attributes.label === "Montevideo");
            return renderer.framedGraphToViewport(renderer.getNodeDisplayData(key));
        }"""
    )
    page.locator("#graph").scroll_into_view_if_needed()
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url(re.compile(r"/en/partners/city-000/$"))

    # The table and its form without the script's help: the same filters, by keyboard.
    page.goto(f"{live_server.url}/en/partnership-graph/?network=al-las&on=2020-06-01")
    assert page.locator("#links-title").inner_text() == "6 memberships"

    assert page.evaluate("window.cspViolations") == []
    assert console_errors == []
    assert outside == []


def test_without_webgl_the_page_says_so_and_keeps_the_table(transactional_db, live_server, page):
    populate_named()
    console_errors = watch_console(page)
    page.add_init_script("HTMLCanvasElement.prototype.getContext = function () { return null; };")
    page.goto(f"{live_server.url}/fr/partnership-graph/")
    wait_until(page, "document.getElementById('graph-status').textContent.includes('WebGL')")
    assert page.locator("#graph").is_hidden()
    assert page.locator("table tbody tr").count() == 9  # the hidden city left out
    assert console_errors == []

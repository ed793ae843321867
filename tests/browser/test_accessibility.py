"""axe-core in Chromium: no WCAG 2.1 A or AA violation on any public page type, in four languages
(texts missing in a language are shown in their original one, marked: those pages are checked too).

axe-core is vendored in tests/browser/vendor/axe.min.js (npm package axe-core, MPL-2.0). It is
injected as a script, which the site's Content-Security-Policy forbids, so these pages are opened
in a context that bypasses CSP (the journey test keeps CSP on).
"""

from pathlib import Path

import pytest

from tests.browser.public_data import block_external_requests, populate_named

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGE_TYPES = [
    "/",
    "/partners/",
    "/partners/?country=ZZ&page=abc",  # with the notice about ignored input
    "/partners/city-000/",
    "/partners/al-las/",
    "/agreements/",
    "/agreements/agreement-000/",
    "/activities/",
    "/activities/activity-000/",
    "/resources/",
    "/resources/guide-000/",
]


def violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in result["violations"]
    ]


@pytest.mark.parametrize(("width", "languages"), [(1280, ["es", "en", "fr"]), (375, ["pt"])])
def test_public_pages_have_no_wcag_violations_in_four_languages(
    transactional_db, live_server, new_context, width, languages
):
    populate_named(4)
    context = new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    block_external_requests(page)
    found = {}
    for language in languages:
        for path in PAGE_TYPES:
            url = f"{live_server.url}/{language}{path}"
            page.goto(url)
            if path == "/":
                page.locator(".leaflet-marker-icon").first.wait_for()  # check the drawn map too
            problems = violations(page)
            if problems:
                found[f"/{language}{path}"] = problems
    assert found == {}

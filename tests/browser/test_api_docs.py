"""The API's documentation page (Swagger UI from drf-spectacular-sidecar) works under the
site's Content-Security-Policy with every file served by the project: it draws the operations
from the schema and can run one, and no request leaves the site."""

from urllib.parse import urlsplit

import pytest

from tests import factories

pytestmark = pytest.mark.browser


def test_the_api_documentation_works_under_the_csp_without_outside_requests(
    transactional_db, live_server, page, screenshot
):
    factories.make_partner(name="Montevideo", slug="montevideo", country="UY")
    problems, outside = [], []
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    site = urlsplit(live_server.url).netloc

    def record(request):
        address = urlsplit(request.url)
        if address.scheme in ("http", "https") and address.netloc != site:
            outside.append(request.url)

    page.on("request", record)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator(".opblock-summary-path", has_text="/api/v1/partners/").first.wait_for()
    operation = page.locator(".opblock", has_text="/api/v1/partners/{slug}/").first
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='slug']").fill("montevideo")
    operation.get_by_role("button", name="Execute").click()
    operation.locator(".response-col_status", has_text="200").first.wait_for()
    screenshot("api-docs")
    assert "Montevideo" in operation.locator(".responses-wrapper").inner_text()
    assert problems == []
    assert outside == []

"""The back-office keeps working under the production Content-Security-Policy: a coordinator
logs in, opens the agreement lifecycle, adds an activity with a partner picked through the
autocomplete, and opens the dashboard; the browser reports no CSP violation on the way."""

import re

import pytest

from activities.models import Activity
from tests import factories

pytestmark = pytest.mark.browser


def test_a_coordinator_works_in_the_admin_without_any_csp_violation(
    transactional_db, live_server, page, screenshot
):
    montevideo = factories.make_partner(name="Montevideo", slug="montevideo", country="UY")
    factories.make_agreement(
        title="Founding agreement", parties=[montevideo, factories.make_partner()]
    )
    factories.make_coordinator("coord")
    violations = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and violations.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "coord")
    page.fill("#id_password", factories.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(f"{live_server.url}/admin/partners/agreement/")
    page.get_by_role("link", name="Founding agreement").click()
    page.wait_for_load_state()
    screenshot("admin-01-agreement")
    assert "Negotiation" in page.content()

    page.goto(f"{live_server.url}/admin/activities/activity/add/")
    # The admin speaks the browser's English: a new record's original language is English.
    page.locator("#id_title_en").press_sequentially("Study visit to Montevideo")
    assert page.input_value("#id_slug") == "study-visit-to-montevideo"  # prepopulated by script
    page.select_option("#id_kind", "study_visit")
    page.fill("#id_starts_on", "2026-03-02")
    page.select_option("#id_venue_type", "online")
    # The first participation row: pick the partner through the autocomplete (select2).
    rows = page.locator("tr.dynamic-participations")
    if rows.count() == 0:
        page.locator(".add-row a").first.click()  # "Add another participation", by script
    rows.first.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Montev")
    page.locator(".select2-results__option", has_text="Montevideo").click()
    screenshot("admin-02-activity-add")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/activities/activity/$"))
    activity = Activity.objects.get(slug="study-visit-to-montevideo")
    assert list(activity.participants.all()) == [montevideo]

    page.goto(f"{live_server.url}/admin/dashboard/")
    screenshot("admin-03-dashboard")

    assert violations == []

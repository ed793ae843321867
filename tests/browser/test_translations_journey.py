"""Texts in four languages, as a visitor and a coordinator meet them in Chromium: French texts on
/fr/, a missing French title shown in Spanish and marked as such, Portuguese texts on /pt/, and a
coordinator's French title in the admin on the public page at once. Screenshots in
test-artifacts/screenshots/translations-*.png."""

import re

import pytest

from tests import factories
from tests.browser.public_data import block_external_requests, watch_console

pytestmark = pytest.mark.browser


def test_a_visitor_reads_each_language_and_a_coordinator_fills_a_missing_one(
    transactional_db, live_server, page, screenshot
):
    quito = factories.make_partner(
        name="Quito",
        slug="quito",
        country="EC",
        original_language="es",
        description_es="Capital del Ecuador y ciudad socia de AL-LAs.",
        description_pt="Capital do Equador e cidade parceira da AL-LAs.",
        description_fr="Capitale de l'Équateur et ville partenaire d'AL-LAs.",
        description_en="Capital of Ecuador and partner city of AL-LAs.",
    )
    factories.make_activity(
        original_language="es",
        title_es="Formación en planificación urbana",
        title_pt="Formação em planejamento urbano",
        summary_es="Tres días de trabajo entre técnicos municipales.",
        summary_pt="Três dias de trabalho entre técnicos municipais.",
        slug="formacion-quito",
        venue_partner=quito,
        partners=[quito],
    )
    factories.make_coordinator("coord")
    block_external_requests(page)
    console_errors = watch_console(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # A visitor on /fr/: the partner's French description.
    page.goto(f"{live_server.url}/fr/partners/quito/")
    assert "Capitale de l'Équateur" in page.locator(".profile-main").inner_text()
    screenshot("translations-01-partner-fr")

    # The activity has no French title: the Spanish one, marked as Spanish, with a French note.
    page.goto(f"{live_server.url}/fr/activities/formacion-quito/")
    heading = page.locator("h1")
    assert heading.locator("span[lang=es]").inner_text() == "Formación en planificación urbana"
    assert heading.locator(".lang-note").inner_text() == "(en espagnol)"
    screenshot("translations-02-activity-fr-fallback")

    # Switching to Portuguese shows the Portuguese texts, unmarked.
    page.locator(".language-switcher a[lang='pt']").click()
    page.wait_for_url(re.compile(r"/pt/activities/formacion-quito/$"))
    assert heading.inner_text() == "Formação em planejamento urbano"
    assert page.locator(".lang-note").count() == 0
    assert "Três dias de trabalho" in page.locator(".lead").inner_text()
    screenshot("translations-03-activity-pt")

    # A coordinator adds the French title in the admin.
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "coord")
    page.fill("#id_password", factories.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}/admin/activities/activity/?q=formacion-quito")
    page.locator("#result_list tbody th a").first.click()
    page.wait_for_url(re.compile(r"/change/"))
    page.fill("#id_title_fr", "Formation en planification urbaine")
    screenshot("translations-04-admin-french-title")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/activities/activity/(\?.*)?$"))

    # The public French page shows it at once (the edit moved the content version on).
    page.goto(f"{live_server.url}/fr/activities/formacion-quito/")
    assert heading.inner_text() == "Formation en planification urbaine"
    assert heading.locator(".lang-note").count() == 0
    screenshot("translations-05-activity-fr")
    assert console_errors == []

"""axe-core in Chromium: no WCAG 2.1 A or AA violation on any public page type, in four languages
(texts missing in a language are shown in their original one, marked: those pages are checked too).

axe-core is vendored in tests/browser/vendor/axe.min.js (npm package axe-core, MPL-2.0). It is
injected as a script, which the site's Content-Security-Policy forbids, so these pages are opened
in a context that bypasses CSP (the journey test keeps CSP on).
"""

from pathlib import Path

import pytest

from tests.browser.public_data import block_external_requests, populate_named, wait_for_map
from tests.results.public_plan import populate_results

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
    "/open-data/",
    "/partnership-graph/",
    "/partnership-graph/?network=al-las&on=2020-13-45",  # drawn, with a notice
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
    site = populate_named(4)
    results_paths = populate_results(site).paths()  # the public Results pages (issue 16)
    context = new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    outside = block_external_requests(page)
    found = {}
    for language in languages:
        for path in PAGE_TYPES + results_paths:
            url = f"{live_server.url}/{language}{path}"
            page.goto(url)
            if page.locator("#map").count():
                wait_for_map(page)  # check the drawn map too (home, directory, profiles)
            if page.locator("#graph").count():
                page.locator("#graph[data-ready=true]").wait_for()  # the drawn graph too
            problems = violations(page)
            if problems:
                found[f"/{language}{path}"] = problems
    assert found == {}
    assert outside == []


@pytest.mark.parametrize("language", ["pt", "en"])
def test_the_pages_of_an_application_have_no_wcag_violations(
    transactional_db, live_server, new_context, settings, language
):
    """The form (empty, then refused with errors), the page after sending, the confirmation
    link and the status page with a question and the answer box; screenshots of the refused
    form and the status page for a person to look at."""
    from django.urls import reverse
    from django.utils import translation

    from joining import links, services
    from joining.models import Application
    from tests import factories
    from tests.browser.conftest import SCREENSHOTS

    settings.JOINING_MIN_FILL_SECONDS = 0
    site = populate_named(3)
    coordinator = factories.make_coordinator("coordinator_join_axe")
    application = factories.make_application(
        status=Application.Status.RECEIVED,
        organisation_name="Câmara Municipal de Exemplo",
        proposal=Application.Proposal.ACTIVITY,
        proposal_title="Semana da cooperação descentralizada",
    )
    services.application_ask(
        application=application, by=coordinator, question="Em que ano seria a semana?"
    )
    services.application_answer(application=application, answer="Em 2027, em março.")
    with translation.override(language):
        apply_url = live_server.url + reverse("joining:apply")
        status_url = live_server.url + reverse(
            "joining:status", args=[links.token(application, links.STATUS)]
        )
        confirm_url = live_server.url + reverse(
            "joining:confirm", args=[links.token(factories.make_application(), links.CONFIRM)]
        )
    context = new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    block_external_requests(page)
    found = {}

    def check(name):
        problems = violations(page)
        if problems:
            found[name] = problems

    page.goto(apply_url)
    check("form")
    # Half filled: an institution without its type, an address without its domain.
    page.fill("#id_organisation_name", "Universidade de Exemplo")
    page.check("#id_kind_2")
    page.select_option("#id_country", "PT")
    page.check("#id_proposal_0")
    page.fill("#id_motivation", "Gostaríamos de colaborar.")
    page.fill("#id_contact_email", "rita@")
    page.locator("form.join-form button[type=submit]").click()
    # The script moves focus to the list of errors once the page is parsed (a deferred script:
    # after the summary is in the page, so wait for the focus itself).
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'"
    )
    check("form with errors")
    if language == "pt":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "join-01-form-errors-pt.png"), full_page=True)
    # Corrected: the network and role show only for a membership (apply.js).
    page.check("#id_proposal_0")
    assert page.locator("#id_network").is_visible()
    assert not page.locator("#id_proposal_title").is_visible()
    page.select_option("#id_institution_type", "university")
    page.select_option("#id_network", str(site.network.pk))
    page.select_option("#id_role", "partner")
    page.fill("#id_contact_name", "Rita Exemplo")
    page.fill("#id_contact_role", "Relações internacionais")
    page.fill("#id_contact_email", "rita@exemplo.example.pt")
    page.check("#id_consent")
    page.locator("form.join-form button[type=submit]").click()
    page.wait_for_url("**/join/sent/")
    check("sent")
    page.goto(confirm_url)
    check("confirm")
    page.locator("form.join-form button[type=submit]").click()  # the page's own form passes CSRF
    page.wait_for_url("**/join/application/**")
    check("status after confirming")
    page.goto(status_url)
    check("status")
    if language == "pt":
        page.screenshot(path=str(SCREENSHOTS / "join-02-status-pt.png"), full_page=True)
    page.locator("form.join-form button[type=submit]").click()  # an empty answer
    page.locator(".has-error").wait_for()
    check("status with an error")
    assert found == {}

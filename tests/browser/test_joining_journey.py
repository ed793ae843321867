"""Joining the network in Chromium, end to end: a visitor on /pt/ applies as a new city,
confirms the e-mail address by the mailed link, follows the application's state; a coordinator
finds it on the dashboard, accepts it in the admin as a member of AL-LAs with the partner role,
makes the new city public; the city then appears in the directory with its membership. No
request leaves the site. Screenshots in test-artifacts/screenshots/join-journey-*.png."""

import re

import pytest
from django.core import mail

from joining.models import Application
from partners.models import Membership, Partner
from tests import factories
from tests.browser.public_data import populate_named, watch_console
from tests.browser.test_review_flow import log_in

pytestmark = pytest.mark.browser

CITY = "Rosario"


def record_other_hosts(page, base_url):
    """Every request to another host is refused and remembered."""
    outside = []

    def handle(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return outside


def link_in(message, path):
    match = re.search(rf"https?://\S+{re.escape(path)}\S+/", message.body)
    assert match, message.body
    return match.group(0)


def test_a_city_applies_in_portuguese_and_a_coordinator_makes_it_a_member(
    transactional_db, live_server, new_context, settings
):
    settings.SITE_URL = live_server.url
    settings.JOINING_MIN_FILL_SECONDS = 1
    populate_named(4)
    alliance = Partner.objects.get(slug="al-las")
    factories.make_coordinator("coco")
    context = new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside = record_other_hosts(page, live_server.url)
    console_errors = watch_console(page)

    def shot(name):
        page.screenshot(path=f"test-artifacts/screenshots/join-journey-{name}.png", full_page=True)

    # The visitor finds the form from the home page, in Portuguese.
    page.goto(f"{live_server.url}/pt/")
    page.locator('a[href="/pt/join/"]').first.click()
    page.wait_for_url(re.compile(r"/pt/join/$"))
    # Is it in the directory already? Typing suggests public partners (not this new city).
    page.fill("#id_partner", "Monte")
    page.locator("#join-partner-suggestions option[value='Montevideo']").wait_for(state="attached")
    page.fill("#id_partner", "")
    page.fill("#id_organisation_name", CITY)
    page.check("input[name=kind][value=city]")
    page.fill("#id_official_name", "Municipalidad de Rosario")
    page.select_option("#id_country", "AR")
    page.fill("#id_locality", "Rosario, Santa Fe")
    page.fill("#id_website", "https://www.rosario.example")
    page.check("input[name=proposal][value=membership]")
    page.select_option("#id_network", str(alliance.pk))
    page.select_option("#id_role", "partner")
    page.fill("#id_motivation", "Queremos compartir nuestra experiencia en cooperación.")
    page.fill("#id_contact_name", "Ana Pereyra")
    page.fill("#id_contact_role", "Directora de relaciones internacionales")
    page.fill("#id_contact_email", "ana.pereyra@example.org")
    page.check("#id_consent")
    shot("01-form-pt")
    page.wait_for_timeout(1100)  # a person takes longer than JOINING_MIN_FILL_SECONDS
    page.locator("form.join-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pt/join/sent/$"))
    shot("02-sent-pt")
    application = Application.objects.get()
    assert application.status == Application.Status.UNCONFIRMED
    assert application.language == "pt"

    # The e-mail, in Portuguese, carries the confirmation link; opening it changes nothing
    # until the button is pressed (mail scanners open links).
    (message,) = mail.outbox
    assert message.to == ["ana.pereyra@example.org"]
    assert "Confirme" in message.subject or "confirm" in message.subject.lower()
    page.goto(link_in(message, "/pt/join/confirm/"))
    shot("03-confirm-pt")
    application.refresh_from_db()
    assert application.status == Application.Status.UNCONFIRMED
    page.locator("form.join-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pt/join/application/"))
    shot("04-status-pt")
    assert application.reference in page.content()
    assert "ana.pereyra@example.org" not in page.content()
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED

    # Not public yet: the directory does not list the city.
    page.goto(f"{live_server.url}/pt/partners/")
    assert CITY not in page.content()

    # The coordinator finds it on the dashboard and accepts it as a member of AL-LAs.
    log_in(page, f"{live_server.url}/admin/login/?next=/admin/dashboard/", "coco")
    page.wait_for_url(re.compile(r"/admin/dashboard/$"))
    assert page.get_by_text(re.compile(r"1 application to join awaits review")).is_visible()
    shot("05-dashboard")
    page.locator("a[href$='/admin/joining/application/']").first.click()
    page.wait_for_url(re.compile(r"/admin/joining/application/$"))
    shot("06-queue")
    page.get_by_role("link", name=re.compile(application.reference)).first.click()
    shot("07-application")
    page.locator(f"a[href$='/admin/joining/application/{application.pk}/accept/']").click()
    page.wait_for_url(re.compile(r"/accept/$"))
    shot("08-accept-form")
    page.check("input[name=partner][value=new]")
    page.select_option("#id_role", "partner")
    page.fill("#id_joined_on", "2026-12-01")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/joining/application/\d+/change/$"))
    shot("09-accepted")

    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    city = application.partner
    assert city.name == CITY and not city.is_public
    assert city.official_name_es == "Municipalidad de Rosario"  # Argentina's language
    membership = Membership.objects.get(member=city)
    assert (membership.network, membership.role) == (alliance, Membership.Role.PARTNER)
    assert str(membership.joined_on) == "2026-12-01"
    decision = mail.outbox[-1]
    assert decision.to == ["ana.pereyra@example.org"] and "/pt/join/application/" in decision.body

    # The coordinator makes the city public; the directory lists it with its membership.
    page.goto(f"{live_server.url}/admin/partners/partner/{city.pk}/change/")
    page.check("#id_is_public")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/partners/partner/$"))
    page.goto(f"{live_server.url}/pt/partners/?q={CITY}")
    assert page.get_by_role("link", name=re.compile(CITY)).first.is_visible()
    shot("10-directory-pt")
    page.get_by_role("link", name=re.compile(CITY)).first.click()
    page.wait_for_url(re.compile(rf"/pt/partners/{city.slug}/$"))
    assert page.get_by_role("link", name=re.compile("AL-LAs")).first.is_visible()
    shot("11-profile-pt")

    # The applicant's page shows the decision.
    page.goto(link_in(decision, "/pt/join/application/"))
    shot("12-status-accepted-pt")
    assert "ana.pereyra@example.org" not in page.content()

    # No page of the journey, the map included (its own base layer, issue 15), calls another
    # host.
    assert outside == []
    assert console_errors == []

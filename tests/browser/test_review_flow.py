"""The review of staff edits in Chromium: a staff member changes a published training, the
public page keeps the approved version, a coordinator sees the diff in the admin and rejects it
with a note, the staff member reads the note. Screenshots in test-artifacts/screenshots/;
the staff pages are checked with axe-core as well."""

import re

import pytest

from activities.models import Activity, ProposedChange
from tests import factories
from tests.browser.public_data import block_external_requests
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("[type=submit]").click()


def test_a_staff_edit_waits_for_the_coordinator_who_rejects_it_with_a_note(
    transactional_db, live_server, new_context
):
    montevideo = factories.make_partner(name="Montevideo", slug="montevideo", country="UY")
    quito = factories.make_partner(name="Quito", slug="quito", country="EC")
    factories.make_staff(montevideo, "ana")
    factories.make_coordinator("coco")
    activity = factories.make_activity(
        partners=[montevideo, quito],
        kind=Activity.Kind.TRAINING,
        title="Lobbying for cities",
        slug="lobbying-for-cities",
    )
    context = new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    block_external_requests(page)
    found = {}

    def shot(name):
        page.screenshot(path=f"test-artifacts/screenshots/{name}.png", full_page=True)

    log_in(page, f"{live_server.url}/en/staff/login/", "ana")
    page.wait_for_url(re.compile(r"/en/staff/$"))
    page.goto(f"{live_server.url}/en/staff/activities/{activity.pk}/edit/")
    found["staff form"] = violations(page)
    page.fill("#id_title_es", "Lobbying for cities (unreviewed)")  # its original language
    page.get_by_role("button", name="Send the change for review").click()
    page.wait_for_url(re.compile(r"/en/staff/$"))
    assert page.get_by_text("Change waiting for review").is_visible()
    found["staff list"] = violations(page)
    shot("review-01-staff-list-change-waiting")

    public = context.new_page()
    block_external_requests(public)
    public.goto(f"{live_server.url}/en/activities/lobbying-for-cities/")
    assert "unreviewed" not in public.content()

    page.context.clear_cookies()
    log_in(page, f"{live_server.url}/admin/login/?next=/admin/dashboard/", "coco")
    page.wait_for_url(re.compile(r"/admin/dashboard/$"))
    assert page.get_by_text("1 change by staff to a public record awaits review.").is_visible()
    shot("review-02-dashboard-due")
    page.goto(f"{live_server.url}/admin/activities/proposedchange/")
    shot("review-03-queue")
    page.get_by_role("link", name=re.compile("Lobbying for cities")).first.click()
    shot("review-04-diff")
    assert page.locator("ins", has_text="Lobbying for cities (unreviewed)").is_visible()
    page.get_by_label("Reject: the public page stays as it is").check()
    page.fill("#id_note", "Keep the official title, please.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(r"/admin/activities/proposedchange/$"))
    assert ProposedChange.objects.get().status == ProposedChange.Status.REJECTED

    page.context.clear_cookies()
    log_in(page, f"{live_server.url}/en/staff/login/", "ana")
    page.wait_for_url(re.compile(r"/en/staff/$"))
    assert page.get_by_text("Keep the official title, please.").is_visible()
    found["staff list with a note"] = violations(page)
    shot("review-05-staff-reads-the-note")
    assert {name: problems for name, problems in found.items() if problems} == {}

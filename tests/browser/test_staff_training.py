"""A staff member's journey in Chromium: log in, log a training written in English with its
French title and two partner rows (one added with "Add a row"), find it in the list.
Screenshots in test-artifacts/screenshots/."""

import re

import pytest
from django.utils import timezone

from activities.models import Activity
from tests import factories

pytestmark = pytest.mark.browser


def test_a_staff_member_logs_a_training_with_two_partner_rows(
    transactional_db, live_server, page, screenshot
):
    montevideo = factories.make_partner(name="Montevideo", slug="montevideo", country="UY")
    factories.make_partner(name="Quito", slug="quito", country="EC")
    factories.make_partner(name="Lima", slug="lima", country="PE")
    factories.make_staff(montevideo, "ana")
    errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and errors.append(f"{response.status} {response.url}")
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})

    # Log in: the staff area sends a visitor to its login page.
    page.goto(f"{live_server.url}/en/staff/trainings/new/")
    page.wait_for_url(re.compile(r"/en/staff/login/"))
    screenshot("staff-01-login")
    page.fill("#id_username", "ana")
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/en/staff/trainings/new/$"))

    # The form: the session, then two partner rows, the second in a row added by the script.
    day = timezone.localdate().replace(day=1).isoformat()
    # Written in English (the page's language); the French title in the other languages.
    assert page.locator("#id_original_language").input_value() == "en"
    page.fill("#id_title_en", "Workshop on international strategy")
    assert not page.locator("#id_title_fr").is_visible()
    page.get_by_text("Other languages (optional)").click()
    page.get_by_label("Title (French)").fill("Atelier sur la stratégie internationale")
    page.fill("#id_starts_on", day)
    page.fill("#id_hours", "3.5")
    page.select_option("#id_format", "hybrid")
    page.fill("#id_trainers", "FAMSI team")
    page.check("input[name=venue_type][value=online]")
    page.fill("#id_organiser_attendees", "12")
    rows_before = page.locator("#participation-rows tbody tr").count()
    page.get_by_role("button", name="Add a row").click()
    assert page.locator("#participation-rows tbody tr").count() == rows_before + 1
    # Typing asks the staff search for suggestions: the list narrows to what matches.
    page.fill("#id_rows-0-partner", "Qui")
    page.wait_for_function(
        """() => {
            const box = document.querySelector("#id_rows-0-partner");
            const options = [...document.getElementById(box.getAttribute("list")).options];
            return options.length === 1 && options[0].value === "Quito";
        }"""
    )
    page.fill("#id_rows-0-partner", "Quito")
    page.fill("#id_rows-0-attendees", "7")
    new_row = rows_before  # numbered from 0
    page.fill(f"#id_rows-{new_row}-partner", "Lima")
    page.select_option(f"#id_rows-{new_row}-role", "trainer")
    page.fill(f"#id_rows-{new_row}-attendees", "2")
    screenshot("staff-02-training-form")
    page.get_by_role("button", name="Submit for publication").click()

    # Back on the list: the training, its partners and the year's totals.
    page.wait_for_url(re.compile(r"/en/staff/$"))
    records = page.locator("table.records")
    assert "Workshop on international strategy" in records.inner_text()
    assert "Lima" in records.inner_text()
    assert "Waiting for review" in records.inner_text()
    totals = page.locator("table.totals tbody tr").first.inner_text()
    assert "3.5" in totals and "21" in totals  # 12 + 7 + 2 attendees
    assert "73.5" in totals  # 3.5 hours × 21 attendees
    screenshot("staff-03-list")

    activity = Activity.objects.get()
    assert (activity.original_language, activity.title_fr) == (
        "en",
        "Atelier sur la stratégie internationale",
    )
    assert {(p.partner.name, p.role, p.attendees) for p in activity.participations.all()} == {
        ("Montevideo", "organiser", 12),
        ("Quito", "participant", 7),
        ("Lima", "trainer", 2),
    }
    assert errors == []

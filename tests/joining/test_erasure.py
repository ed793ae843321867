"""Erasure leaves no copy of the applicant's personal data anywhere in the database.

A distinctive e-mail address and name go through the whole life of an application (the public
form, the confirmation link, a question and its answer, acceptance, an edit in the admin), then
the coordinator erases them; every text column of every table is then searched with SQL (the
history tables, the admin's log and the sessions included). Run on SQLite and PostgreSQL.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from joining import abuse, services
from joining.models import Application
from partners.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "ana.erasure-probe@example.org"
NAME = "Anastasia Erasureprobe"
ROLE = "Erasureprobe liaison"
# ASCII only, so no JSON or other encoding can hide a copy from a plain text search.
NEEDLES = [EMAIL, NAME, ROLE]

# Columns that can hold text, as Django's introspection names their types (varchar, char, text,
# json and jsonb; e-mail, slug and URL fields are varchar).
TEXT_TYPES = {"CharField", "TextField", "JSONField"}


def text_columns():
    """(table, column) of every column that can hold text, in every table of the database."""
    introspection = connection.introspection
    columns = []
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            for column in introspection.get_table_description(cursor, table):
                if introspection.get_field_type(column.type_code, column) in TEXT_TYPES:
                    columns.append((table, column.name))
    return columns


def copies(needle):
    """Every "table.column" holding ``needle`` (case-insensitive), in any row."""
    assert not set("%_\\") & set(needle), "the needle must not hold LIKE wildcards"
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(table)} "
                f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                [f"%{needle.lower()}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def session_copies(needle):
    """Sessions are stored encoded (signed, maybe compressed): decode each one."""
    return [
        session.session_key
        for session in Session.objects.all()
        if needle.lower() in repr(SessionStore().decode(session.session_data)).lower()
    ]


def everywhere():
    return {needle: copies(needle) + session_copies(needle) for needle in NEEDLES}


def test_the_scan_reads_every_kind_of_table_it_must():
    # Without these the scan could pass by looking nowhere.
    columns = set(text_columns())
    assert {
        ("joining_application", "contact_email"),
        ("joining_application", "motivation"),
        ("joining_message", "body"),
        ("joining_historicalapplication", "note"),
        ("django_admin_log", "change_message"),
        ("django_admin_log", "object_repr"),
        ("django_session", "session_data"),
        ("partners_partner", "note"),
    } <= columns


def link_in(message):
    """The address on the site of the one link of an e-mail."""
    (url,) = re.findall(r"https?://\S+", message.body)
    return urlsplit(url).path


def form_data(response):
    """What the admin's change page posts back as it was shown: its form and its inlines."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    return {
        field.html_name: field.value()
        for form in forms
        for field in form
        if field.value() is not None
    }


def live_an_application(*, client, coordinator, network, mailoutbox, on_commit):
    """The application's whole life through the site and the admin, the address and name
    typed wherever a person might."""
    admin = Client()
    admin.force_login(coordinator)
    data = {
        "organisation_name": "Município de Sondagem",
        "kind": "city",
        "official_name": "Câmara Municipal de Sondagem",
        "country": "PT",
        "locality": "Sondagem",
        "website": "https://sondagem.example.org/",
        "proposal": Application.Proposal.MEMBERSHIP,
        "network": str(network.pk),
        "role": Membership.Role.PARTNER,
        "motivation": f"Queremos aderir. Escrevam para {EMAIL} ({NAME}).",
        "contact_name": NAME,
        "contact_role": ROLE,
        "contact_email": EMAIL,
        "consent": "on",
        abuse.HONEYPOT: "",
        "started": abuse.form_started_token(),
    }
    with on_commit(execute=True), translation.override("pt"):
        response = client.post(reverse("joining:apply"), data)
    assert response.status_code == 302, response.content.decode()
    application = Application.objects.get(contact_email=EMAIL)

    response = client.post(link_in(mailoutbox[-1]))
    assert response.status_code == 302
    change = reverse("admin:joining_application_change", args=[application.pk])
    with on_commit(execute=True):
        response = admin.post(
            reverse("admin:joining_application_ask", args=[application.pk]),
            {"question": f"Is {EMAIL} the address of {NAME} for the agreement too?"},
        )
    assert response.status_code == 302
    response = client.post(
        link_in(mailoutbox[-1]), {"answer": f"Yes: {EMAIL}, or the office. {NAME}, {ROLE}."}
    )
    assert response.status_code == 302
    with on_commit(execute=True):
        response = admin.post(
            reverse("admin:joining_application_accept", args=[application.pk]),
            {
                "partner": "new",
                "official_name_language": "pt",
                "network": str(network.pk),
                "role": Membership.Role.PARTNER,
                "joined_on": "2026-01-15",
            },
        )
    assert response.status_code == 302, response.content.decode()
    data = form_data(admin.get(change))
    data["note"] = f"Phoned {NAME} on Monday."
    assert admin.post(change, data).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.note == f"Phoned {NAME} on Monday."
    assert [m.to for m in mailoutbox] == [[EMAIL]] * 3  # confirmation, question, decision
    return application, admin


def test_erasure_leaves_no_copy_of_the_address_or_name_in_any_table(
    client, coordinator, network, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.JOINING_MIN_FILL_SECONDS = 0
    application, admin = live_an_application(
        client=client,
        coordinator=coordinator,
        network=network,
        mailoutbox=mailoutbox,
        on_commit=django_capture_on_commit_callbacks,
    )
    # The scan finds the copies the application's life left (or the test could not fail).
    before = everywhere()
    assert "joining_application.contact_email" in before[EMAIL]
    assert "joining_application.contact_name" in before[NAME]
    assert "joining_message.body" in before[EMAIL]
    # Django-simple-history copied the free text on each save.
    assert "joining_historicalapplication.motivation" in before[EMAIL]
    assert "joining_historicalapplication.note" in before[NAME]
    # The coordinator is still logged in: the sessions searched below are not none.
    assert Session.objects.exists()

    response = admin.post(reverse("admin:joining_application_erase", args=[application.pk]))
    assert response.status_code == 302

    assert everywhere() == {needle: [] for needle in NEEDLES}
    # What the organisation is and proposed stays, the name and address cut out of it.
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.membership.member == application.partner
    assert application.motivation == "Queremos aderir. Escrevam para [erased] ([erased])."
    assert application.note == "Phoned [erased] on Monday."
    assert list(application.messages.values_list("direction", "body")) == [
        ("question", "Is [erased] the address of [erased] for the agreement too?"),
        ("answer", ""),
    ]


def test_a_name_is_cut_out_of_free_text_only_as_a_whole_word(coordinator):
    application = factories.make_application(
        status=Application.Status.DECLINED,
        contact_name="Ana",
        contact_email="ana@example.org",
        motivation="Banana growers of Ana's region; ANA presents. Not xana@example.org.",
        decline_reason="Ana, we cannot take part this year.",
    )

    services.application_erase_personal_data(application=application, by=coordinator)

    application.refresh_from_db()
    assert application.motivation == (
        "Banana growers of [erased]'s region; [erased] presents. Not xana@example.org."
    )
    assert application.decline_reason == "[erased], we cannot take part this year."

"""The coordinators' review of applications in the admin: the queue, each application with what
is known of its organisation, the decisions (accept, decline, ask, erase) as forms that call the
services, who may open them, query counts that do not grow, the coordinator-only export, and a
history without personal data."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from joining import services
from joining.models import Application, Message
from partners.models import Agreement, Membership, Partner
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:joining_application_changelist")
D = datetime.date


@pytest.fixture
def admin_client(coordinator_client):
    """The coordinator, reading the admin in English (the source language of messages)."""
    coordinator_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return coordinator_client


@pytest.fixture
def clerk_client(client):
    """A back-office user who is not a coordinator: no permission on applications."""
    client.force_login(factories.make_user("clerk", is_staff=True))
    return client


def received(days_ago=0, **fields):
    return factories.make_application(
        status=Application.Status.RECEIVED,
        confirmed_at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )


def url(name, application):
    return reverse(f"admin:joining_application_{name}", args=[application.pk])


def page(response):
    return response.content.decode()


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The queue -------------------------------------------------------------------------------


def test_the_queue_lists_open_applications_oldest_confirmed_first(admin_client):
    recent = received(days_ago=1, organisation_name="Recent")
    oldest = received(days_ago=9, organisation_name="Oldest")
    middle = factories.make_application(
        status=Application.Status.UNDER_REVIEW,
        confirmed_at=timezone.now() - datetime.timedelta(days=4),
    )
    for status in ["unconfirmed", "declined", "accepted", "abandoned"]:
        fields = {"partner": factories.make_partner()} if status == "accepted" else {}
        factories.make_application(status=status, **fields)

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [oldest, middle, recent]
    assert "Awaiting review" in page(response)


def test_unconfirmed_applications_are_listed_only_under_their_own_status(admin_client):
    unconfirmed = factories.make_application(organisation_name="Not yet")
    received()

    queue = admin_client.get(CHANGELIST)
    own = admin_client.get(CHANGELIST, {"status": "unconfirmed"})

    assert unconfirmed not in queue.context["cl"].result_list
    assert list(own.context["cl"].result_list) == [unconfirmed]


def test_each_status_and_all_are_one_click_away_and_a_bad_one_is_refused(admin_client):
    declined = factories.make_application(status=Application.Status.DECLINED)
    waiting = received()

    assert list(admin_client.get(CHANGELIST, {"status": "declined"}).context["cl"].result_list) == [
        declined
    ]
    every = admin_client.get(CHANGELIST, {"status": "all"}).context["cl"].result_list
    assert set(every) == {declined, waiting}
    bad = admin_client.get(CHANGELIST, {"status": "nonsense"})
    assert bad.status_code == 302 and "e=1" in bad["Location"]


def test_a_search_by_e_mail_finds_the_applicant_whatever_the_status(admin_client):
    declined = factories.make_application(
        status=Application.Status.DECLINED, contact_email="asks.for.erasure@example.org"
    )
    received()

    response = admin_client.get(CHANGELIST, {"q": "asks.for.erasure@example.org"})

    assert list(response.context["cl"].result_list) == [declined]


def test_the_queue_flags_possible_duplicates_and_linked_partners(admin_client, partner_a):
    received(organisation_name="Intendencia de Montevideo", country="UY")
    received(organisation_name="Rosario", country="AR")
    received(organisation_name="Quito", country="EC", partner=factories.make_partner(name="Q"))

    html = page(admin_client.get(CHANGELIST))

    assert "1 possible duplicate" in html
    assert "linked: Q" in html


def test_the_duplicate_column_counts_what_the_change_page_lists(admin_client, coordinator):
    """The column is ``possible_duplicates_of`` counted in a subquery: the same answers."""
    factories.make_partner(name="Montevideo", short_name="IM", country="UY")
    factories.make_partner(name="Intendencia de Montevideo", country="UY")
    factories.make_partner(name="Montevideo Norte", country="UY")
    factories.make_partner(name="Montevideo", country="AR")
    factories.make_partner(name="Ciudad de Rosario", country="AR", official_name_es="Municipio")
    factories.make_partner(
        name="Lima", country="PE", official_name_pt="Cidade de Lima Metropolitana"
    )
    names = [
        ("Montevideo", "UY"),
        ("montevideo", "UY"),
        ("Intendencia de Montevideo", "UY"),
        ("IM", "UY"),
        ("Rosario", "AR"),
        ("municipio", "AR"),
        ("Lima Metropolitana", "PE"),
        ("Li", "PE"),
        ("50%_off", "UY"),
        ("Nowhere", "UY"),
    ]
    for name, country in names:
        received(organisation_name=name, country=country)

    response = admin_client.get(CHANGELIST)

    rows = response.context["cl"].result_list
    assert len(rows) == len(names)
    model_admin = response.context["cl"].model_admin
    for application in rows:
        expected = Application.objects.possible_duplicates_of(application).count()
        shown = model_admin.duplicates(application)
        if expected == 0:
            assert shown == "no match", application.organisation_name
        else:
            assert f">{expected} possible duplicate" in shown, application.organisation_name


def test_the_queue_costs_the_same_queries_for_few_and_many_applications(admin_client, partner_a):
    """Prevents N+1: the duplicate counts are one subquery, the linked partner a join."""

    def populate(n):
        for i in range(n):
            received(days_ago=i, organisation_name=f"Montevideo {i}", country="UY")
            received(partner=factories.make_partner())
            factories.make_application()

    populate(2)
    for query in [{}, {"status": "all"}]:
        admin_client.get(CHANGELIST, query)
        with CaptureQueriesContext(connection) as few:
            assert admin_client.get(CHANGELIST, query).status_code == 200
        populate(15)
        with CaptureQueriesContext(connection) as many:
            assert admin_client.get(CHANGELIST, query).status_code == 200
        assert len(many) == len(few), query


def test_the_dashboard_links_to_the_queue(admin_client):
    received()
    received()
    factories.make_application()

    html = page(admin_client.get(reverse("admin:dashboard")))

    assert "2 applications to join await review." in html
    assert f'href="{CHANGELIST}"' in html


# --- The change page -------------------------------------------------------------------------


def test_the_change_page_shows_possible_duplicates_with_links(admin_client):
    same = factories.make_partner(name="Montevideo", country="UY", is_public=False)
    factories.make_partner(name="Montevideo", country="AR")  # another country
    application = received(organisation_name="Intendencia de Montevideo", country="UY")

    html = page(admin_client.get(url("change", application)))

    assert reverse("admin:partners_partner_change", args=[same.pk]) in html
    assert html.count("possible duplicate</strong>") == 1
    assert "not public" in html


def test_the_change_page_says_when_nothing_is_known_of_the_organisation(admin_client):
    application = received(organisation_name="Nueva Ciudad", country="CL")
    html = page(admin_client.get(url("change", application)))
    assert "accepting creates a new partner record (not public)" in html


def test_the_change_page_shows_the_contact_consent_questions_and_answers(admin_client, coordinator):
    application = received(
        contact_name="Ana Pérez",
        contact_email="ana@example.org",
        consent_text="We keep your address for this application only.",
    )
    services.application_ask(application=application, by=coordinator, question="¿Cuántos?")
    services.application_answer(application=application, answer="Doscientos mil.")

    response = admin_client.get(url("change", application))

    html = page(response)
    assert response.status_code == 200
    assert "Ana Pérez" in html and 'href="mailto:ana@example.org"' in html
    assert "We keep your address for this application only." in html
    assert "¿Cuántos?" in html and "Doscientos mil." in html
    for name in ["accept", "decline", "ask", "erase"]:
        assert url(name, application) in html, name
    # The applicant's facts are read-only: only the partner link and the note are fields.
    form = response.context["adminform"].form
    assert set(form.fields) == {"partner", "note"}


def test_the_change_page_costs_the_same_queries_for_few_and_many_messages_and_partners(
    admin_client, coordinator
):
    """Prevents N+1: the questions and answers come with their senders, the possible
    duplicates in one query (at most DUPLICATES_SHOWN of them)."""
    application = received(organisation_name="Montevideo", country="UY")

    def populate(n):
        for _ in range(n):
            factories.make_partner(name="Montevideo", country="UY")
            services.application_ask(application=application, by=coordinator, question="?")
            services.application_answer(application=application, answer="!")

    populate(1)
    change = url("change", application)
    admin_client.get(change)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(change).status_code == 200
    populate(12)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(change).status_code == 200
    assert len(many) == len(few)


def test_linking_a_partner_and_writing_a_note_puts_the_application_under_review(
    admin_client, partner_a
):
    application = received()

    response = admin_client.post(
        url("change", application),
        {
            "partner": partner_a.pk,
            "note": "Same city as our member.",
            "messages-TOTAL_FORMS": "0",
            "messages-INITIAL_FORMS": "0",
            "messages-MIN_NUM_FORMS": "0",
            "messages-MAX_NUM_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    application.refresh_from_db()
    assert application.partner == partner_a
    assert application.note == "Same city as our member."
    assert application.status == Application.Status.UNDER_REVIEW
    latest = application.history.order_by("-history_id").first()
    assert (latest.status, latest.partner_id, latest.note) == (
        "under_review",
        partner_a.pk,
        "Same city as our member.",
    )


def test_a_decided_application_has_no_decision_buttons_and_keeps_its_partner(admin_client):
    application = factories.make_application(
        status=Application.Status.ACCEPTED, partner=factories.make_partner()
    )

    response = admin_client.get(url("change", application))

    html = page(response)
    for name in ["accept", "decline", "ask", "start_review"]:
        assert url(name, application) not in html, name
    assert url("erase", application) in html
    assert set(response.context["adminform"].form.fields) == {"note"}


def test_start_review_is_a_post_offered_while_the_application_is_received(admin_client):
    application = received()
    assert url("start_review", application) in page(admin_client.get(url("change", application)))
    assert admin_client.get(url("start_review", application)).status_code == 405

    response = admin_client.post(url("start_review", application))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    html = page(admin_client.get(url("change", application)))
    assert url("start_review", application) not in html
    assert url("accept", application) in html


# --- Accept ----------------------------------------------------------------------------------


def test_the_accept_form_offers_the_duplicates_and_a_new_record_and_chooses_none(
    admin_client, network
):
    same = factories.make_partner(name="Montevideo", country="UY")
    application = received(
        organisation_name="Intendencia de Montevideo",
        country="UY",
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.OBSERVER,
    )

    response = admin_client.get(url("accept", application))

    assert response.status_code == 200
    form = response.context["form"]
    assert [key for key, _label in form.fields["partner"].choices] == [str(same.pk), "new"]
    assert form["partner"].value() is None  # a coordinator looks before creating a record
    assert set(form.fields) == {"partner", "network", "role", "joined_on"}
    assert form["network"].value() == network.pk
    assert form["role"].value() == Membership.Role.OBSERVER
    assert form["joined_on"].value() == timezone.localdate()


def test_the_accept_form_guesses_the_language_of_an_official_name_from_the_country(
    admin_client, network
):
    argentine = received(
        organisation_name="Rosario",
        country="AR",
        language="pt",
        official_name="Municipalidad de Rosario",
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.PARTNER,
    )
    without = received(
        organisation_name="Bologna",
        country="IT",
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.PARTNER,
    )

    form = admin_client.get(url("accept", argentine)).context["form"]
    assert form["official_name_language"].value() == "es"
    assert (
        "official_name_language"
        not in admin_client.get(url("accept", without)).context["form"].fields
    )


def test_accepting_a_membership_in_the_admin(
    admin_client, coordinator, network, django_capture_on_commit_callbacks, mailoutbox
):
    application = received(
        organisation_name="Bolonia",
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.PARTNER,
        language="pt",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("accept", application),
            {
                "partner": "new",
                "network": network.pk,
                "role": Membership.Role.ASSOCIATE,
                "joined_on": "2026-02-01",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == url("change", application)
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.decided_by == coordinator
    membership = application.membership
    assert (membership.role, membership.joined_on) == (Membership.Role.ASSOCIATE, D(2026, 2, 1))
    assert application.partner.is_public is False
    success, reminder = texts(response)
    assert reverse("admin:partners_partner_change", args=[application.partner.pk]) in success
    assert reverse("admin:partners_membership_change", args=[membership.pk]) in success
    assert "is not public yet" in reminder
    (mail,) = mailoutbox
    assert "/pt/join/application/" in mail.body


def test_accepting_an_agreement_in_the_admin_defaults_to_the_al_las_network(
    admin_client, network, partner_a
):
    application = received(
        organisation_name="Montevideo", country="UY", proposal_title="Cooperación"
    )

    form = admin_client.get(url("accept", application)).context["form"]
    assert form["counterpart"].value() == network.pk
    assert form["partner"].value() is None  # Montevideo is a possible duplicate

    response = admin_client.post(
        url("accept", application),
        {"partner": partner_a.pk, "agreement_kind": "mou", "counterpart": network.pk},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.partner == partner_a
    assert application.agreement.status == Agreement.Status.PROPOSED
    assert set(application.agreement.parties.all()) == {partner_a, network}
    assert len(texts(response)) == 1  # Montevideo is public already: no reminder


def test_accepting_an_activity_in_the_admin(admin_client):
    application = received(
        proposal=Application.Proposal.ACTIVITY,
        proposal_title="Foro",
        organisation_name="Nueva Ciudad",
        country="CL",
    )

    form = admin_client.get(url("accept", application)).context["form"]
    assert form["partner"].value() == "new"  # nothing alike in the directory
    response = admin_client.post(
        url("accept", application),
        {"partner": "new", "activity_kind": "seminar", "starts_on": "2026-11-02"},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.activity.status == Activity.Status.DRAFT
    assert application.activity.starts_on == D(2026, 11, 2)


def test_a_refused_acceptance_shows_the_services_message_and_writes_nothing(
    admin_client, partner_a, network
):
    factories.make_membership(member=partner_a, network=network, joined_on=D(2020, 1, 1))
    application = received(
        organisation_name="Montevideo",
        country="UY",
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.PARTNER,
    )
    memberships = Membership.objects.count()

    response = admin_client.post(
        url("accept", application),
        {
            "partner": partner_a.pk,
            "network": network.pk,
            "role": "partner",
            "joined_on": "2026-01-01",
        },
    )

    assert response.status_code == 400
    assert "overlaps" in page(response)
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED
    assert Membership.objects.count() == memberships


def test_a_partner_outside_the_choices_is_refused(admin_client, partner_b, network):
    application = received(
        proposal=Application.Proposal.MEMBERSHIP, network=network, role="partner"
    )
    partners = Partner.objects.count()

    response = admin_client.post(
        url("accept", application),
        {"partner": partner_b.pk, "network": network.pk, "role": "partner", "joined_on": "x"},
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"partner", "joined_on"}
    assert Partner.objects.count() == partners


def test_a_linked_partner_is_the_only_choice(admin_client, partner_a, partner_b, network):
    application = received(organisation_name="Montevideo", country="UY", partner=partner_b)

    form = admin_client.get(url("accept", application)).context["form"]

    assert [key for key, _label in form.fields["partner"].choices] == [str(partner_b.pk)]
    assert form["partner"].value() == str(partner_b.pk)


def test_a_decided_application_cannot_be_decided_again(admin_client):
    application = factories.make_application(status=Application.Status.DECLINED)

    for name in ["accept", "decline", "ask"]:
        for method in [admin_client.get, admin_client.post]:
            response = method(url(name, application))
            assert response.status_code == 302, name
            assert response["Location"] == url("change", application)
    assert "there is nothing more to decide" in texts(response)[-1]
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED


# --- Decline, ask, erase ---------------------------------------------------------------------


def test_declining_needs_a_reason_which_the_applicant_gets(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    application = received(language="fr")

    refused = admin_client.post(url("decline", application), {"reason": ""})
    assert refused.status_code == 400
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("decline", application), {"reason": "Pas maintenant."})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert application.decline_reason == "Pas maintenant."
    assert "Pas maintenant." in mailoutbox[0].body


def test_asking_the_applicant_sends_the_question(
    admin_client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    application = received(language="pt")
    assert admin_client.get(url("ask", application)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("ask", application), {"question": "Quando?"})

    assert response.status_code == 302
    (question,) = application.messages.all()
    assert (question.body, question.sent_by) == ("Quando?", coordinator)
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert "/pt/join/application/" in mailoutbox[0].body


def test_erasing_asks_for_confirmation_then_leaves_no_e_mail_on_the_page(admin_client, coordinator):
    application = received(contact_email="erase.me@example.org", contact_name="Eraseme Person")
    services.application_ask(application=application, by=coordinator, question="?")
    services.application_answer(application=application, answer="Eraseme answer")

    confirmation = admin_client.get(url("erase", application))
    assert confirmation.status_code == 200
    application.refresh_from_db()
    assert not application.personal_data_erased  # a GET changes nothing

    response = admin_client.post(url("erase", application))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.personal_data_erased
    html = page(admin_client.get(url("change", application)))
    assert "erase.me@example.org" not in html
    assert "Eraseme" not in html
    assert "Erased on" in html
    assert url("erase", application) not in html and url("ask", application) not in html
    again = admin_client.get(url("erase", application))
    assert again.status_code == 302


def test_a_closed_application_can_be_erased(admin_client):
    application = factories.make_application(status=Application.Status.ABANDONED)
    assert admin_client.post(url("erase", application)).status_code == 302
    application.refresh_from_db()
    assert application.personal_data_erased


# --- Who may --------------------------------------------------------------------------------


def test_visitors_and_partner_staff_are_sent_to_the_admin_login(client, staff_a):
    application = received()
    for persona in [None, staff_a]:
        if persona:
            client.force_login(persona)
        for name in ["accept", "decline", "ask", "erase", "change"]:
            for method in [client.get, client.post]:
                response = method(url(name, application))
                assert response.status_code == 302, name
                assert response["Location"].startswith(reverse("admin:login"))
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED


def test_back_office_users_who_are_not_coordinators_are_refused(clerk_client):
    application = received()

    for name in ["accept", "decline", "ask", "erase", "change"]:
        for method in [clerk_client.get, clerk_client.post]:
            assert method(url(name, application)).status_code == 403, name
    assert clerk_client.post(url("start_review", application)).status_code == 403
    assert clerk_client.get(CHANGELIST).status_code == 403
    assert clerk_client.get(reverse("admin:joining_application_export")).status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED
    assert not application.personal_data_erased


def test_applications_are_neither_added_nor_deleted_in_the_admin(admin_client):
    application = received()
    assert admin_client.get(reverse("admin:joining_application_add")).status_code == 403
    assert admin_client.post(url("delete", application), {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=application.pk).exists()


# --- Export and history ----------------------------------------------------------------------


def test_the_export_holds_the_contact_data_for_coordinators(admin_client):
    received(contact_email="export.probe@example.org", organisation_name="Exported")

    response = admin_client.post(
        reverse("admin:joining_application_export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"applicationresource_{name}": "on"
                for name in ["reference", "organisation_name", "contact_email", "status"]
            },
        },
    )

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["organisation_name"], row["contact_email"]) for row in rows] == [
        ("Exported", "export.probe@example.org")
    ]


def test_the_history_shows_the_steps_and_no_personal_data(admin_client, coordinator):
    application = received(contact_email="history.probe@example.org", contact_name="Histprobe")
    services.application_start_review(application=application, by=coordinator)
    services.application_decline(application=application, by=coordinator, reason="No room.")

    history = admin_client.get(url("history", application))
    version = application.history.order_by("history_id").first()
    version_url = reverse(
        "admin:joining_application_simple_history", args=[application.pk, version.history_id]
    )
    old = admin_client.get(version_url)

    assert history.status_code == 200 and old.status_code == 200
    for response in [history, old]:
        html = page(response)
        assert "history.probe@example.org" not in html
        assert "Histprobe" not in html
    assert "Not kept in the history" not in page(old)  # the contact is left out entirely
    assert 'name="_save"' not in page(old)


def test_an_old_version_cannot_be_reverted(admin_client, coordinator):
    application = received()
    services.application_decline(application=application, by=coordinator, reason="No.")
    version = application.history.order_by("history_id").first()

    response = admin_client.post(
        reverse(
            "admin:joining_application_simple_history",
            args=[application.pk, version.history_id],
        ),
        {"note": "revert"},
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED


def test_messages_are_not_a_list_of_their_own(admin_client):
    """Answers are read on their application; nothing lists them apart."""
    from django.contrib import admin

    assert not admin.site.is_registered(Message)

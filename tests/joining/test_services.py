"""The life of an application through its services (joining/services.py): each step, what it
writes and mails, the steps refused with a message, acceptance all or nothing, the history
without personal data, erasure; and each named rule of the model, in validation and in the
database."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity, Participation
from joining import privacy, services
from joining.models import Application, Message
from partners.models import Agreement, AgreementParty, Membership, Partner
from tests import factories
from tests.db_rules import assert_refused

pytestmark = pytest.mark.django_db

D = datetime.date


def unsaved(**fields):
    """An application as the public form builds it, not yet recorded."""
    values = {
        "language": "es",
        "organisation_name": "Ciudad de Prueba",
        "kind": Partner.Kind.CITY,
        "country": "IT",
        "locality": "Prueba",
        "proposal": Application.Proposal.AGREEMENT,
        "proposal_title": "Cooperación descentralizada",
        "motivation": "Queremos cooperar.",
        "contact_name": "Ana Pérez",
        "contact_role": "Relaciones internacionales",
        "contact_email": "ana@example.org",
        "consent_version": privacy.VERSION,
        "consent_text": "Notice.",
        "consent_given_at": timezone.now(),
        **fields,
    }
    return Application(**values)


def received(**fields):
    return factories.make_application(status=Application.Status.RECEIVED, **fields)


def membership_application(network, **fields):
    return received(
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.ASSOCIATE,
        **fields,
    )


# --- Sent and confirmed ----------------------------------------------------------------------


def test_a_submitted_application_waits_for_its_confirmation_and_mails_the_link(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(application=unsaved(language="fr"))

    application.refresh_from_db()
    assert application.status == Application.Status.UNCONFIRMED
    assert application.confirmed_at is None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana@example.org"]
    assert "/fr/join/confirm/" in mailoutbox[0].body


def test_no_mail_leaves_before_the_application_is_recorded(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.application_submit(application=unsaved())
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_an_invalid_application_is_refused_with_the_rules_message_and_not_recorded():
    with pytest.raises(services.ApplicationError, match="Give the proposed agreement"):
        services.application_submit(application=unsaved(proposal_title=""))
    assert not Application.objects.exists()


def test_confirming_twice_changes_nothing_the_second_time():
    application = factories.make_application()

    assert services.application_confirm(application=application) is True
    application.refresh_from_db()
    first = application.confirmed_at
    assert application.status == Application.Status.RECEIVED
    assert first is not None

    assert services.application_confirm(application=application) is False
    application.refresh_from_db()
    assert application.confirmed_at == first
    assert application.status == Application.Status.RECEIVED


def test_an_abandoned_application_cannot_be_confirmed():
    application = factories.make_application(status=Application.Status.ABANDONED)
    with pytest.raises(services.ApplicationError, match="has expired"):
        services.application_confirm(application=application)


def test_starting_the_review_shows_under_review_and_is_harmless_twice(coordinator):
    application = received()

    services.application_start_review(application=application, by=coordinator)
    services.application_start_review(application=application, by=coordinator)

    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW


# --- Questions and answers -------------------------------------------------------------------


def test_a_question_is_mailed_in_the_applications_language_with_the_link_to_answer(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    application = received(language="pt")

    with django_capture_on_commit_callbacks(execute=True):
        message = services.application_ask(
            application=application, by=coordinator, question="Quantos habitantes?"
        )

    assert message.direction == Message.Direction.QUESTION
    assert message.sent_by == coordinator
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    (mail,) = mailoutbox
    assert mail.to == [application.contact_email]
    assert "Quantos habitantes?" in mail.body
    assert "/pt/join/application/" in mail.body
    assert "/es/" not in mail.body and "/en/" not in mail.body


def test_a_decided_application_gets_no_more_questions(coordinator):
    application = factories.make_application(status=Application.Status.DECLINED)
    with pytest.raises(services.ApplicationError, match="can no longer change"):
        services.application_ask(application=application, by=coordinator, question="?")


def test_there_is_nobody_to_ask_once_the_personal_data_is_erased(coordinator):
    application = received()
    services.application_erase_personal_data(application=application)
    with pytest.raises(services.ApplicationError, match="nobody to ask"):
        services.application_ask(application=application, by=coordinator, question="?")


def test_an_answer_needs_a_question_first():
    with pytest.raises(services.ApplicationError, match="no question to answer"):
        services.application_answer(application=received(), answer="Hola")


def test_answers_stop_at_the_limit(coordinator, settings):
    settings.JOINING_MAX_ANSWERS = 2
    application = received()
    services.application_ask(application=application, by=coordinator, question="?")
    services.application_answer(application=application, answer="one")
    services.application_answer(application=application, answer="two")

    with pytest.raises(services.ApplicationError, match="received 2 answers"):
        services.application_answer(application=application, answer="three")

    bodies = application.messages.filter(direction=Message.Direction.ANSWER)
    assert list(bodies.values_list("body", flat=True)) == ["one", "two"]


# --- Accepted --------------------------------------------------------------------------------


def test_accepting_a_membership_creates_a_partner_not_public_and_its_membership(
    coordinator, network, django_capture_on_commit_callbacks, mailoutbox
):
    application = membership_application(network, organisation_name="Bolonia", language="pt")

    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(
            application=application,
            by=coordinator,
            decision=services.Acceptance(
                network=network, role=Membership.Role.PARTNER, joined_on=D(2026, 3, 1)
            ),
        )

    application.refresh_from_db()
    partner = application.partner
    assert (partner.name, partner.kind, partner.country.code) == ("Bolonia", "city", "IT")
    assert partner.is_public is False
    assert partner.original_language == "pt"
    membership = application.membership
    assert (membership.member, membership.network) == (partner, network)
    assert (membership.role, membership.joined_on, membership.left_on) == (
        Membership.Role.PARTNER,
        D(2026, 3, 1),
        None,
    )
    assert application.status == Application.Status.ACCEPTED
    assert application.closed_at is not None
    assert application.decided_by == coordinator
    (mail,) = mailoutbox
    assert mail.to == [application.contact_email]
    assert "/pt/join/application/" in mail.body


def test_the_official_name_goes_in_the_language_the_coordinator_says(coordinator, network):
    given = membership_application(
        network, language="pt", country="AR", official_name="Municipalidad de Rosario"
    )
    default = membership_application(network, language="fr", official_name="Ville de Lyon")

    services.application_accept(
        application=given,
        by=coordinator,
        decision=services.Acceptance(official_name_language="es"),
    )
    services.application_accept(application=default, by=coordinator, decision=services.Acceptance())

    given.refresh_from_db()
    default.refresh_from_db()
    assert given.partner.official_name_es == "Municipalidad de Rosario"
    assert given.partner.official_name_pt == ""
    assert default.partner.official_name_fr == "Ville de Lyon"  # the application's language


def test_a_membership_takes_the_asked_network_and_role_when_the_coordinator_leaves_them(
    coordinator, network
):
    application = membership_application(network)

    services.application_accept(
        application=application, by=coordinator, decision=services.Acceptance()
    )

    application.refresh_from_db()
    assert application.membership.network == network
    assert application.membership.role == Membership.Role.ASSOCIATE
    assert application.membership.joined_on == timezone.localdate()


def test_accepting_an_agreement_proposes_it_with_both_parties(coordinator, network):
    application = received(proposal_title="Cooperação técnica", language="pt")

    services.application_accept(
        application=application,
        by=coordinator,
        decision=services.Acceptance(
            agreement_kind=Agreement.Kind.COOPERATION, counterpart=network
        ),
    )

    application.refresh_from_db()
    agreement = application.agreement
    assert agreement.status == Agreement.Status.PROPOSED
    assert agreement.kind == Agreement.Kind.COOPERATION
    assert agreement.is_public is False
    assert agreement.original_language == "pt"
    assert agreement.title_pt == "Cooperação técnica"
    parties = AgreementParty.objects.filter(agreement=agreement)
    assert {party.partner for party in parties} == {application.partner, network}
    assert {party.role for party in parties} == {AgreementParty.Role.SIGNATORY}
    (step,) = agreement.status_changes.all()
    assert (step.from_status, step.to_status, step.changed_by) == (
        "",
        Agreement.Status.PROPOSED,
        coordinator,
    )


def test_accepting_an_agreement_needs_the_other_party(coordinator):
    application = received()
    with pytest.raises(services.ApplicationError, match="other party"):
        services.application_accept(
            application=application, by=coordinator, decision=services.Acceptance()
        )
    assert not Partner.objects.exists()


def test_accepting_an_activity_creates_a_draft_organised_by_the_partner(coordinator):
    application = received(
        proposal=Application.Proposal.ACTIVITY, proposal_title="Seminario de movilidad"
    )

    services.application_accept(
        application=application,
        by=coordinator,
        decision=services.Acceptance(
            activity_kind=Activity.Kind.STUDY_VISIT, starts_on=D(2026, 10, 5)
        ),
    )

    application.refresh_from_db()
    activity = application.activity
    assert activity.status == Activity.Status.DRAFT
    assert activity.kind == Activity.Kind.STUDY_VISIT
    assert activity.starts_on == D(2026, 10, 5)
    assert activity.title_es == "Seminario de movilidad"
    organisers = Participation.objects.filter(
        activity=activity, role__in=Participation.ORGANISING_ROLES
    )
    assert [p.partner for p in organisers] == [application.partner]


def test_accepting_with_an_existing_partner_creates_no_partner(coordinator, partner_a, network):
    application = membership_application(network, organisation_name="Intendencia de Montevideo")
    before = Partner.objects.count()

    services.application_accept(
        application=application, by=coordinator, decision=services.Acceptance(partner=partner_a)
    )

    application.refresh_from_db()
    assert Partner.objects.count() == before
    assert application.partner == partner_a
    assert application.membership.member == partner_a
    partner_a.refresh_from_db()
    assert partner_a.is_public is True  # an existing record keeps its state


def test_the_partner_linked_on_review_is_the_one_accepted(coordinator, partner_b, network):
    application = membership_application(network)
    services.application_link_partner(application=application, partner=partner_b, by=coordinator)
    before = Partner.objects.count()

    services.application_accept(
        application=application, by=coordinator, decision=services.Acceptance()
    )

    application.refresh_from_db()
    assert application.partner == partner_b
    assert Partner.objects.count() == before


def test_an_overlapping_membership_refuses_the_acceptance_and_writes_nothing(
    coordinator, partner_a, network
):
    factories.make_membership(member=partner_a, network=network, joined_on=D(2020, 1, 1))
    application = membership_application(network)
    before = (Partner.objects.count(), Membership.objects.count())

    with pytest.raises(services.ApplicationError, match="overlaps"):
        services.application_accept(
            application=application,
            by=coordinator,
            decision=services.Acceptance(partner=partner_a, joined_on=D(2026, 1, 1)),
        )

    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED
    assert application.partner is None and application.membership is None
    assert (Partner.objects.count(), Membership.objects.count()) == before


def test_a_refused_membership_leaves_no_new_partner_behind(coordinator, partner_a, network):
    """The partner is created first; the membership then fails (a city is not a network):
    the partner goes with it."""
    application = membership_application(network, organisation_name="Génova")
    before = Partner.objects.count()

    with pytest.raises(services.ApplicationError, match="network"):
        services.application_accept(
            application=application,
            by=coordinator,
            decision=services.Acceptance(network=partner_a),
        )

    assert Partner.objects.count() == before
    assert not Partner.objects.filter(name="Génova").exists()
    assert not Membership.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED


def test_an_application_is_accepted_once(coordinator, network):
    application = membership_application(network)
    services.application_accept(
        application=application, by=coordinator, decision=services.Acceptance()
    )
    with pytest.raises(services.ApplicationError, match="can no longer change"):
        services.application_accept(
            application=application, by=coordinator, decision=services.Acceptance()
        )
    assert Membership.objects.count() == 1


def test_a_declined_application_cannot_be_accepted(coordinator, network):
    application = membership_application(network)
    services.application_decline(application=application, by=coordinator, reason="Not now.")
    with pytest.raises(services.ApplicationError, match="can no longer change"):
        services.application_accept(
            application=application, by=coordinator, decision=services.Acceptance()
        )
    assert not Membership.objects.exists()


# --- Declined --------------------------------------------------------------------------------


def test_declining_needs_a_reason(coordinator):
    application = received()
    with pytest.raises(services.ApplicationError, match="Say why"):
        services.application_decline(application=application, by=coordinator, reason="   ")
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED


def test_a_declined_application_keeps_its_reason_and_the_applicant_is_told(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    application = received(language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(
            application=application, by=coordinator, reason=" Hors du champ du réseau. "
        )

    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert application.decline_reason == "Hors du champ du réseau."
    assert application.decided_by == coordinator
    (mail,) = mailoutbox
    assert "Hors du champ du réseau." in mail.body
    assert "/fr/join/application/" in mail.body


def test_a_declined_application_cannot_be_declined_again(coordinator):
    application = factories.make_application(status=Application.Status.DECLINED)
    with pytest.raises(services.ApplicationError):
        services.application_decline(application=application, by=coordinator, reason="Again.")


# --- History ---------------------------------------------------------------------------------


def test_the_history_records_each_step_with_its_reason_but_no_personal_data(coordinator, network):
    application = factories.make_application(
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.PARTNER,
        contact_email="history-probe@example.org",
        contact_name="Historia Probe",
    )
    services.application_confirm(application=application)
    services.application_accept(
        application=application, by=coordinator, decision=services.Acceptance()
    )
    application.refresh_from_db()

    reasons = list(
        application.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[-2:] == [
        "E-mail address confirmed",
        f"Application {application.reference} accepted",
    ]
    assert application.partner.history.filter(
        history_change_reason=f"Application {application.reference} accepted"
    ).exists()
    assert application.membership.history.filter(
        history_change_reason=f"Application {application.reference} accepted"
    ).exists()
    history_fields = {field.name for field in Application.history.model._meta.fields}
    assert not {"contact_email", "contact_name", "contact_role"} & history_fields
    for row in Application.history.values():
        assert "history-probe@example.org" not in str(row)
        assert "Historia Probe" not in str(row)
    # Answers are the applicant's own words: their history keeps no text either.
    assert "body" not in {field.name for field in Message.history.model._meta.fields}


# --- Erased ----------------------------------------------------------------------------------


def test_erasure_blanks_the_contact_person_and_the_answers_once(coordinator):
    application = received()
    services.application_ask(application=application, by=coordinator, question="¿Cuándo?")
    services.application_answer(application=application, answer="En marzo, Ana.")

    assert services.application_erase_personal_data(application=application, by=coordinator)
    application.refresh_from_db()
    erased_at = application.personal_data_erased_at
    assert erased_at is not None
    assert (application.contact_name, application.contact_role, application.contact_email) == (
        "",
        "",
        "",
    )
    bodies = dict(application.messages.values_list("direction", "body"))
    assert bodies == {Message.Direction.QUESTION: "¿Cuándo?", Message.Direction.ANSWER: ""}
    assert application.organisation_name and application.motivation  # what they proposed stays

    assert services.application_erase_personal_data(application=application) is False
    application.refresh_from_db()
    assert application.personal_data_erased_at == erased_at


def test_a_decided_application_can_be_erased_and_stays_decided(coordinator, network):
    application = membership_application(network)
    services.application_accept(
        application=application, by=coordinator, decision=services.Acceptance()
    )

    services.application_erase_personal_data(application=application)

    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.personal_data_erased and application.contact_email == ""
    assert application.membership is not None


def test_nothing_is_mailed_to_an_erased_applicant(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    application = received()
    services.application_erase_personal_data(application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decline(application=application, by=coordinator, reason="No.")
    assert mailoutbox == []


# --- The rules of the model, in validation and in the database ------------------------------


def build(**fields):
    """An unsaved application that breaks only what ``fields`` change."""
    return lambda: unsaved(**fields)


def confirmed(status, **fields):
    return build(status=status, confirmed_at=timezone.now(), **fields)


def test_an_institution_gives_its_type_and_only_an_institution_has_one():
    rule = "joining_application_institution_type_only_for_institutions"
    assert_refused(rule, build(kind=Partner.Kind.INSTITUTION))
    assert_refused(rule, build(institution_type=Partner.InstitutionType.NGO))


def test_a_membership_names_its_network_and_role(network):
    rule = "joining_application_membership_names_network_and_role"
    membership = {"proposal": Application.Proposal.MEMBERSHIP, "proposal_title": ""}
    assert_refused(rule, build(**membership, role=Membership.Role.PARTNER))
    assert_refused(rule, build(**membership, network=network))


def test_an_agreement_or_activity_has_a_title():
    rule = "joining_application_collaboration_has_title"
    assert_refused(rule, build(proposal_title=""))
    assert_refused(rule, build(proposal=Application.Proposal.ACTIVITY, proposal_title=""))


def test_an_application_reaches_coordinators_only_once_confirmed():
    assert_refused(
        "joining_application_confirmed_before_review",
        build(status=Application.Status.RECEIVED),
    )


def test_a_closed_application_has_its_closing_date():
    assert_refused(
        "joining_application_closed_has_date",
        confirmed(Application.Status.DECLINED, decline_reason="No."),
    )
    assert_refused("joining_application_closed_has_date", build(status="abandoned"))


def test_a_declined_application_has_a_reason():
    assert_refused(
        "joining_application_declined_has_reason",
        confirmed(Application.Status.DECLINED, closed_at=timezone.now()),
    )


def test_an_accepted_application_has_its_partner():
    assert_refused(
        "joining_application_accepted_has_partner",
        confirmed(Application.Status.ACCEPTED, closed_at=timezone.now()),
    )


def test_the_contact_address_is_there_until_erased_and_erased_data_stays_erased():
    rule = "joining_application_contact_until_erased"
    assert_refused(rule, build(contact_email=""))
    assert_refused(rule, build(personal_data_erased_at=timezone.now()))
    assert_refused(
        rule,
        build(
            personal_data_erased_at=timezone.now(),
            contact_email="",
            contact_role="",
            contact_name="Still here",
        ),
    )

"""Every write that touches several rows is all or nothing: a failure injected half-way leaves
no partial rows (records, their links, nor their history rows)."""

import datetime
from unittest import mock

import pytest
import tablib
from django.apps import apps
from django.db import DatabaseError

from activities.imports import ActivityResource, ParticipationResource
from activities.models import Activity, Participation
from activities.services import ParticipationRow, activity_log, activity_update
from allas.translation import matches_in_any_language
from joining.models import Application
from joining.services import Acceptance, application_accept
from partners.imports import MembershipResource, PartnerResource
from partners.models import Agreement, AgreementStatusChange, Membership, Partner
from partners.services import agreement_change_status
from tests import factories

pytestmark = pytest.mark.django_db


def row_counts():
    """Rows in every table of the project, history tables included."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"partners", "activities", "joining"}
    }


def fail_on_call(number, original):
    """A replacement for ``original`` that works normally, then raises on call ``number``."""
    calls = {"n": 0}

    def replacement(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == number:
            raise DatabaseError("injected failure")
        return original(*args, **kwargs)

    return replacement


@pytest.fixture
def three_partners(partner_a, partner_b):
    return partner_a, partner_b, factories.make_partner(name="Rosario", slug="rosario")


def test_a_training_whose_second_participation_fails_leaves_no_rows(three_partners, staff_a):
    organiser, *others = three_partners
    before = row_counts()

    with (
        mock.patch.object(Participation, "save", fail_on_call(2, Participation.save)),
        pytest.raises(DatabaseError),
    ):
        activity_log(
            by=staff_a,
            organiser=organiser,
            fields={
                "title": "Training on city diplomacy",
                "starts_on": datetime.date(2024, 5, 2),
                "hours": 6,
                "format": Activity.Format.ONLINE,
                "venue_type": Activity.VenueType.ONLINE,
            },
            participations=[
                ParticipationRow(p, Participation.Role.PARTICIPANT, 12) for p in others
            ],
            organiser_attendees=5,
        )

    assert row_counts() == before
    assert not Activity.objects.filter(
        matches_in_any_language(["title"], "Training on city diplomacy")
    ).exists()


def test_an_activity_update_failing_half_way_keeps_the_previous_version(three_partners, staff_a):
    organiser, second, third = three_partners
    activity = factories.make_activity(
        kind=Activity.Kind.TRAINING, status=Activity.Status.DRAFT, partners=[organiser, second]
    )
    before = row_counts()

    with (
        mock.patch.object(Participation, "save", fail_on_call(2, Participation.save)),
        pytest.raises(DatabaseError),
    ):
        activity_update(
            activity=activity,
            by=staff_a,
            fields={"title": "Renamed"},
            participations=[
                ParticipationRow(organiser, Participation.Role.ORGANISER, 40),
                ParticipationRow(second, Participation.Role.PARTICIPANT, 41),
                ParticipationRow(third, Participation.Role.PARTICIPANT, 42),
            ],
        )

    assert row_counts() == before
    activity.refresh_from_db()
    assert activity.title != "Renamed"
    assert sorted(activity.participations.values_list("attendees", flat=True)) == [10, 10]


def test_an_agreement_transition_whose_record_fails_does_not_change_the_status(coordinator):
    agreement = factories.make_agreement()
    before = row_counts()

    with (
        mock.patch.object(
            AgreementStatusChange.objects, "create", side_effect=DatabaseError("injected")
        ),
        pytest.raises(DatabaseError),
    ):
        agreement_change_status(
            agreement=agreement,
            to_status=Agreement.Status.UNDER_EVALUATION,
            on=datetime.date(2024, 2, 1),
            by=coordinator,
        )

    assert row_counts() == before
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PROPOSED


def import_rows(resource, headers, rows):
    """Import as the admin's confirm step does (one transaction, roll back on any error)."""
    return resource.import_data(
        tablib.Dataset(*rows, headers=headers),
        dry_run=False,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )


PARTNER_HEADERS = ["slug", "name", "kind", "country"]
PARTNER_ROWS = [
    ("bogota", "Bogotá", "city", "CO"),
    ("lima", "Lima", "city", "PE"),
    ("santiago", "Santiago", "city", "CL"),
]


def test_an_acceptance_whose_membership_fails_creates_no_partner(coordinator, network):
    application = factories.make_application(
        status=Application.Status.RECEIVED,
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.PARTNER,
    )
    before = row_counts()

    with (
        mock.patch.object(Membership, "save", side_effect=DatabaseError("injected")),
        pytest.raises(DatabaseError),
    ):
        application_accept(application=application, by=coordinator, decision=Acceptance())

    assert row_counts() == before
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED
    assert application.partner is None


def test_a_partner_import_failing_on_the_second_row_writes_nothing(db):
    before = row_counts()

    with mock.patch.object(Partner, "save", fail_on_call(2, Partner.save)):
        result = import_rows(PartnerResource(), PARTNER_HEADERS, PARTNER_ROWS)

    assert result.has_errors()
    assert row_counts() == before


def test_a_partner_import_with_one_invalid_row_writes_none_of_the_valid_ones(db):
    before = row_counts()
    rows = [*PARTNER_ROWS[:2], ("atlantis", "Atlantis", "city", "Atlantis")]

    result = import_rows(PartnerResource(), PARTNER_HEADERS, rows)

    assert result.has_validation_errors()
    assert row_counts() == before


def test_a_membership_import_failing_half_way_writes_nothing(three_partners, network):
    before = row_counts()
    rows = [(p.slug, network.slug, "partner", "2015-01-01", "") for p in three_partners]

    with mock.patch.object(Membership, "save", fail_on_call(2, Membership.save)):
        result = import_rows(
            MembershipResource(), ["member", "network", "role", "joined_on", "left_on"], rows
        )

    assert result.has_errors()
    assert row_counts() == before


def test_activity_and_participation_imports_failing_half_way_write_nothing(three_partners):
    activity = factories.make_activity()
    before = row_counts()
    activity_rows = [
        (f"imported-{n}", f"Imported {n}", "seminar", "published", f"2023-03-0{n}", "online")
        for n in (1, 2, 3)
    ]
    with mock.patch.object(Activity, "save", fail_on_call(2, Activity.save)):
        result = import_rows(
            ActivityResource(),
            ["slug", "title", "kind", "status", "starts_on", "venue_type"],
            activity_rows,
        )
    assert result.has_errors()
    assert row_counts() == before

    participation_rows = [(activity.slug, p.slug, "participant", 7) for p in three_partners]
    with mock.patch.object(Participation, "save", fail_on_call(2, Participation.save)):
        result = import_rows(
            ParticipationResource(),
            ["activity", "partner", "role", "attendees"],
            participation_rows,
        )
    assert result.has_errors()
    assert row_counts() == before

"""Every rule of the data model is enforced by the database (a direct write fails, naming the
rule) and by validation (a person gets the rule's message). These tests run on SQLite and
PostgreSQL alike."""

import datetime

import pytest
from django.db import connection
from django.db.models import ProtectedError

from partners.models import Agreement, AgreementParty, Membership, Partner, PartnerStaff
from tests.db_rules import assert_db_refuses, validation_messages, violation_message
from tests.factories import (
    make_activity,
    make_agreement,
    make_membership,
    make_network,
    make_partner,
    make_user,
)

D = datetime.date

# Written by partners/migrations/0002 (an exclusion constraint or a trigger, by database).
PERIODS_DO_NOT_OVERLAP = "partners_membership_periods_do_not_overlap"
NETWORK_IS_NETWORK = "partners_membership_network_is_network"


# Partner ---------------------------------------------------------------------------------------


def partner(**fields):
    return Partner(**{"kind": "city", "name": "X", "slug": "x", "country": "FR", **fields})


@pytest.mark.django_db
def test_an_institution_without_a_type_is_refused_by_the_database_and_by_validation():
    assert_db_refuses(
        "partners_partner_institution_type_only_for_institutions",
        partner(kind="institution").save,
    )
    assert "Choose the type of institution." in validation_messages(partner(kind="institution"))


@pytest.mark.django_db
def test_a_city_with_an_institution_type_is_refused_by_the_database_and_by_validation():
    assert_db_refuses(
        "partners_partner_institution_type_only_for_institutions",
        partner(institution_type="ngo").save,
    )
    assert "Only institutions have a type; leave it empty." in validation_messages(
        partner(institution_type="ngo")
    )


@pytest.mark.django_db
def test_half_coordinates_are_refused_by_the_database_and_by_validation():
    assert_db_refuses("partners_partner_coordinates_together", partner(latitude=1).save)
    assert "Give both latitude and longitude, or neither." in validation_messages(
        partner(latitude=1)
    )


@pytest.mark.django_db
def test_a_latitude_or_longitude_out_of_range_is_refused_by_the_database_and_by_validation():
    assert_db_refuses("partners_partner_latitude_range", partner(latitude=91, longitude=0).save)
    assert_db_refuses("partners_partner_longitude_range", partner(latitude=0, longitude=-181).save)
    assert "Ensure this value is less than or equal to 90." in validation_messages(
        partner(latitude=91, longitude=0)
    )
    assert "Ensure this value is greater than or equal to -180." in validation_messages(
        partner(latitude=0, longitude=-181)
    )


@pytest.mark.django_db
def test_two_partners_cannot_share_a_slug():
    make_partner(slug="lima")
    assert_db_refuses(Partner._meta.get_field("slug"), lambda: make_partner(slug="lima"))
    assert "Partner with this Slug already exists." in validation_messages(partner(slug="lima"))


@pytest.mark.django_db
def test_region_follows_the_country():
    assert make_partner(country="UY").region == Partner.Region.LATIN_AMERICA
    assert make_partner(country="ES").region == Partner.Region.EUROPE
    assert make_partner(country="JP").region == Partner.Region.OTHER
    partner = make_partner(country="UY")
    partner.country = "FR"
    partner.save(update_fields=["country"])
    partner.refresh_from_db()
    assert partner.region == Partner.Region.EUROPE


# Membership ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_membership_cannot_end_before_it_starts():
    member, network = make_partner(), make_network()

    def membership():
        return Membership(
            member=member, network=network, joined_on=D(2020, 1, 1), left_on=D(2019, 1, 1)
        )

    assert_db_refuses("partners_membership_left_after_joined", membership().save)
    assert "The end date cannot be before the date the partner joined." in validation_messages(
        membership()
    )


@pytest.mark.django_db
def test_a_network_cannot_be_member_of_itself():
    network = make_network()

    def membership():
        return Membership(member=network, network=network, joined_on=D(2020, 1, 1))

    assert_db_refuses("partners_membership_not_member_of_itself", membership().save)
    assert "A network cannot be a member of itself." in validation_messages(membership())


@pytest.mark.django_db
def test_only_a_network_can_have_members():
    city, other_city = make_partner(), make_partner()

    def membership():
        return Membership(member=city, network=other_city, joined_on=D(2020, 1, 1))

    assert_db_refuses(NETWORK_IS_NETWORK, membership().save)
    assert "Only a network of local governments can have members." in validation_messages(
        membership()
    )


@pytest.mark.django_db
def test_a_second_open_membership_of_the_same_network_is_refused():
    membership = make_membership(joined_on=D(2013, 5, 1))
    duplicate = Membership(
        member=membership.member, network=membership.network, joined_on=D(2015, 1, 1)
    )
    # Two open periods also overlap: SQLite's overlap trigger runs before the unique index is
    # checked, while PostgreSQL checks the unique index first (it was created first).
    assert_db_refuses(
        "partners_membership_one_open_period"
        if connection.vendor == "postgresql"
        else PERIODS_DO_NOT_OVERLAP,
        duplicate.save,
    )
    assert violation_message("partners_membership_one_open_period") in validation_messages(
        duplicate
    )


@pytest.mark.django_db
def test_overlapping_periods_are_refused_by_the_database_and_by_validation():
    first = make_membership(joined_on=D(2013, 5, 1), left_on=D(2016, 12, 31))
    overlapping = Membership(
        member=first.member,
        network=first.network,
        joined_on=D(2016, 6, 1),
        left_on=D(2018, 1, 1),
    )
    assert_db_refuses(PERIODS_DO_NOT_OVERLAP, overlapping.save)
    messages = validation_messages(overlapping)
    assert "This period overlaps another membership of the same partner in this network" in (
        " ".join(messages)
    )


@pytest.mark.django_db
def test_an_update_that_creates_an_overlap_is_refused():
    first = make_membership(joined_on=D(2013, 5, 1), left_on=D(2014, 12, 31))
    second = make_membership(member=first.member, network=first.network, joined_on=D(2016, 1, 1))
    second.joined_on = D(2014, 6, 1)
    assert_db_refuses(PERIODS_DO_NOT_OVERLAP, second.save)


@pytest.mark.django_db
def test_successive_periods_are_kept_as_history():
    first = make_membership(joined_on=D(2013, 5, 1), left_on=D(2015, 12, 31))
    second = Membership(
        member=first.member,
        network=first.network,
        joined_on=D(2016, 1, 1),
        role=Membership.Role.OBSERVER,
    )
    second.full_clean()
    second.save()
    assert list(Membership.objects.filter(member=first.member).past()) == [first]
    assert list(Membership.objects.filter(member=first.member).current()) == [second]


# Agreement -------------------------------------------------------------------------------------


def agreement(**fields):
    return Agreement(**{"title": "X", "slug": "x", "kind": "mou", **fields})


@pytest.mark.django_db
@pytest.mark.parametrize("status", Agreement.SIGNED_STATUSES)
def test_a_signed_agreement_without_signature_date_is_refused(status):
    assert_db_refuses("partners_agreement_signed_needs_signed_on", agreement(status=status).save)
    assert violation_message("partners_agreement_signed_needs_signed_on") in validation_messages(
        agreement(status=status)
    )


@pytest.mark.django_db
def test_an_agreement_cannot_end_before_it_starts():
    def backwards():
        return agreement(starts_on=D(2020, 1, 1), ends_on=D(2019, 1, 1))

    assert_db_refuses("partners_agreement_ends_after_start", backwards().save)
    assert "The end date cannot be before the start date." in validation_messages(backwards())


@pytest.mark.django_db
def test_a_partner_is_party_to_an_agreement_only_once():
    partner = make_partner()
    agreement = make_agreement(parties=[partner, make_partner()])

    assert_db_refuses(
        "partners_agreementparty_unique",
        lambda: AgreementParty.objects.create(agreement=agreement, partner=partner),
    )
    assert violation_message("partners_agreementparty_unique") in validation_messages(
        AgreementParty(agreement=agreement, partner=partner)
    )


@pytest.mark.django_db
def test_a_step_of_the_lifecycle_changes_the_status():
    agreement = make_agreement()
    step = agreement.status_changes.get()
    step.pk, step.from_status = None, step.to_status
    assert_db_refuses("partners_agreementstatuschange_changes_status", step.save)


@pytest.mark.django_db
def test_a_user_is_staff_of_a_partner_only_once():
    user, partner = make_user(), make_partner()
    PartnerStaff.objects.create(user=user, partner=partner)
    assert_db_refuses(
        "partners_partnerstaff_unique",
        lambda: PartnerStaff.objects.create(user=user, partner=partner),
    )
    assert violation_message("partners_partnerstaff_unique") in validation_messages(
        PartnerStaff(user=user, partner=partner)
    )


# Nothing cascades away -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["membership", "network", "agreement", "participation"])
def test_deleting_a_referenced_partner_is_refused_and_nothing_is_lost(reference):
    partner = make_partner(kind="network") if reference == "network" else make_partner()
    if reference == "membership":
        make_membership(member=partner)
    elif reference == "network":
        make_membership(network=partner)
    elif reference == "agreement":
        make_agreement(parties=[partner, make_partner()])
    else:
        make_activity(partners=[partner])
    counts = {model: model.objects.count() for model in (Partner, Membership, AgreementParty)}

    with pytest.raises(ProtectedError):
        partner.delete()

    assert Partner.objects.filter(pk=partner.pk).exists()
    assert {model: model.objects.count() for model in counts} == counts

"""Every rule of the data model is enforced by the database (a direct write fails, naming the
rule) and by validation (a person gets the rule's message). These tests run on SQLite and
PostgreSQL alike."""

import datetime

import pytest
from django.db import connection
from django.db.models import ProtectedError

from partners.models import Agreement, AgreementParty, Membership, Partner, PartnerStaff
from tests.db_rules import (
    assert_db_refuses,
    assert_refused,
    validation_messages,
    violation_message,
)
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
ONE_OPEN_PERIOD = "partners_membership_one_open_period"


# Partner ---------------------------------------------------------------------------------------


def partner(**fields):
    return Partner(**{"kind": "city", "name": "X", "slug": "x", "country": "FR", **fields})


@pytest.mark.django_db
def test_an_institution_needs_a_type_and_only_an_institution_has_one():
    rule = "partners_partner_institution_type_only_for_institutions"
    assert_refused(rule, lambda: partner(kind="institution"), "Choose the type of institution.")
    assert_refused(
        rule,
        lambda: partner(institution_type="ngo"),
        "Only institutions have a type; leave it empty.",
    )


@pytest.mark.django_db
def test_half_coordinates_are_refused():
    assert_refused(
        "partners_partner_coordinates_together",
        lambda: partner(latitude=1),
        "Give both latitude and longitude, or neither.",
    )


@pytest.mark.django_db
def test_a_latitude_or_longitude_out_of_range_is_refused():
    assert_refused(
        "partners_partner_latitude_range",
        lambda: partner(latitude=91, longitude=0),
        "Ensure this value is less than or equal to 90.",
    )
    assert_refused(
        "partners_partner_longitude_range",
        lambda: partner(latitude=0, longitude=-181),
        "Ensure this value is greater than or equal to -180.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1489", "q1489", "Q", "Q0", "Q01489", "Q14 89", "P31"])
def test_a_wikidata_identifier_is_q_and_digits(value):
    assert_refused("partners_partner_wikidata_id_format", lambda: partner(wikidata_id=value))


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "Q1489", "Q42800"])
def test_a_wikidata_identifier_may_be_left_empty_or_be_an_item(value):
    partner(wikidata_id=value).full_clean()
    partner(wikidata_id=value, slug=f"x{value}").save()


@pytest.mark.django_db
def test_two_partners_cannot_share_a_slug():
    make_partner(slug="lima")
    assert_refused(
        Partner._meta.get_field("slug"),
        lambda: partner(slug="lima"),
        "Partner with this Slug already exists.",
    )


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
    assert_refused(
        "partners_membership_left_after_joined",
        lambda: Membership(
            member=member, network=network, joined_on=D(2020, 1, 1), left_on=D(2019, 1, 1)
        ),
        "The end date cannot be before the date the partner joined.",
    )


@pytest.mark.django_db
def test_a_network_cannot_be_member_of_itself():
    network = make_network()
    assert_refused(
        "partners_membership_not_member_of_itself",
        lambda: Membership(member=network, network=network, joined_on=D(2020, 1, 1)),
        "A network cannot be a member of itself.",
    )


@pytest.mark.django_db
def test_only_a_network_can_have_members():
    city, other_city = make_partner(), make_partner()
    assert_refused(
        NETWORK_IS_NETWORK,
        lambda: Membership(member=city, network=other_city, joined_on=D(2020, 1, 1)),
        "Only a network of local governments can have members.",
    )


@pytest.mark.django_db
def test_a_second_open_membership_of_the_same_network_is_refused():
    first = make_membership(joined_on=D(2013, 5, 1))
    duplicate = Membership(member=first.member, network=first.network, joined_on=D(2015, 1, 1))
    # Two open periods also overlap: SQLite's overlap trigger runs before the unique index is
    # checked, while PostgreSQL checks the unique index first (it was created first).
    assert_db_refuses(
        ONE_OPEN_PERIOD if connection.vendor == "postgresql" else PERIODS_DO_NOT_OVERLAP,
        duplicate.save,
    )
    assert violation_message(ONE_OPEN_PERIOD) in validation_messages(duplicate)


@pytest.mark.django_db
def test_overlapping_periods_are_refused():
    first = make_membership(joined_on=D(2013, 5, 1), left_on=D(2016, 12, 31))
    assert_refused(
        PERIODS_DO_NOT_OVERLAP,
        lambda: Membership(
            member=first.member,
            network=first.network,
            joined_on=D(2016, 6, 1),
            left_on=D(2018, 1, 1),
        ),
        "This period overlaps another membership of the same partner in this network "
        "(from 2013-05-01 to 2016-12-31).",
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
    assert_refused("partners_agreement_signed_needs_signed_on", lambda: agreement(status=status))


@pytest.mark.django_db
def test_an_agreement_cannot_end_before_it_starts():
    assert_refused(
        "partners_agreement_ends_after_start",
        lambda: agreement(starts_on=D(2020, 1, 1), ends_on=D(2019, 1, 1)),
        "The end date cannot be before the start date.",
    )


@pytest.mark.django_db
def test_a_partner_is_party_to_an_agreement_only_once():
    partner = make_partner()
    agreement = make_agreement(parties=[partner, make_partner()])
    assert_refused(
        "partners_agreementparty_unique",
        lambda: AgreementParty(agreement=agreement, partner=partner),
    )


@pytest.mark.django_db
def test_a_step_of_the_lifecycle_changes_the_status():
    step = make_agreement().status_changes.get()
    step.pk, step.from_status = None, step.to_status
    assert_db_refuses("partners_agreementstatuschange_changes_status", step.save)


@pytest.mark.django_db
def test_a_user_is_staff_of_a_partner_only_once():
    user, partner = make_user(), make_partner()
    PartnerStaff.objects.create(user=user, partner=partner)
    assert_refused("partners_partnerstaff_unique", lambda: PartnerStaff(user=user, partner=partner))


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

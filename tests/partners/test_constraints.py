"""Every rule of the data model is enforced by the database (a direct write fails) and by
validation (a person gets a message). These tests run on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from partners.models import Agreement, AgreementParty, Membership, Partner, PartnerStaff
from tests.factories import (
    make_activity,
    make_agreement,
    make_membership,
    make_network,
    make_partner,
    make_user,
)

D = datetime.date


def assert_db_refuses(write, constraint_name=None):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    if constraint_name:
        # SQLite reports CHECK names; triggers name themselves on both databases.
        message = str(error.value)
        assert constraint_name in message or "constraint" in message.lower()
    return error


# Partner ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_institution_without_a_type_is_refused_by_the_database():
    assert_db_refuses(
        lambda: Partner.objects.create(kind="institution", name="X", slug="x", country="FR")
    )


@pytest.mark.django_db
def test_a_city_with_an_institution_type_is_refused_by_the_database():
    assert_db_refuses(
        lambda: Partner.objects.create(
            kind="city", institution_type="ngo", name="X", slug="x", country="FR"
        )
    )


@pytest.mark.django_db
def test_half_coordinates_are_refused_by_the_database_and_by_validation():
    assert_db_refuses(
        lambda: Partner.objects.create(kind="city", name="X", slug="x", country="FR", latitude=1)
    )
    partner = Partner(kind="city", name="X", slug="x", country="FR", latitude=1)
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "Give both latitude and longitude" in str(error.value)


@pytest.mark.django_db
def test_a_latitude_out_of_range_is_refused_by_the_database():
    assert_db_refuses(
        lambda: Partner.objects.create(
            kind="city", name="X", slug="x", country="FR", latitude=91, longitude=0
        )
    )


@pytest.mark.django_db
def test_two_partners_cannot_share_a_slug():
    make_partner(slug="lima")
    assert_db_refuses(lambda: make_partner(slug="lima"))


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
    assert_db_refuses(
        lambda: Membership.objects.create(
            member=member, network=network, joined_on=D(2020, 1, 1), left_on=D(2019, 1, 1)
        ),
        "partners_membership_left_after_joined",
    )
    membership = Membership(
        member=member, network=network, joined_on=D(2020, 1, 1), left_on=D(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "cannot be before the date the partner joined" in str(error.value)


@pytest.mark.django_db
def test_a_network_cannot_be_member_of_itself():
    network = make_network()
    assert_db_refuses(
        lambda: Membership.objects.create(member=network, network=network, joined_on=D(2020, 1, 1))
    )
    with pytest.raises(ValidationError, match="cannot be a member of itself"):
        Membership(member=network, network=network, joined_on=D(2020, 1, 1)).full_clean()


@pytest.mark.django_db
def test_only_a_network_can_have_members():
    city, other_city = make_partner(), make_partner()
    assert_db_refuses(
        lambda: Membership.objects.create(member=city, network=other_city, joined_on=D(2020, 1, 1)),
        "partners_membership_network_is_network",
    )
    with pytest.raises(ValidationError, match="Only a network"):
        Membership(member=city, network=other_city, joined_on=D(2020, 1, 1)).full_clean()


@pytest.mark.django_db
def test_a_second_open_membership_of_the_same_network_is_refused():
    membership = make_membership(joined_on=D(2013, 5, 1))
    duplicate = Membership(
        member=membership.member, network=membership.network, joined_on=D(2015, 1, 1)
    )
    assert_db_refuses(duplicate.save)
    with pytest.raises(ValidationError):
        duplicate.full_clean()


@pytest.mark.django_db
def test_overlapping_periods_are_refused_by_the_database_and_by_validation():
    first = make_membership(joined_on=D(2013, 5, 1), left_on=D(2016, 12, 31))
    overlapping = Membership(
        member=first.member,
        network=first.network,
        joined_on=D(2016, 6, 1),
        left_on=D(2018, 1, 1),
    )
    assert_db_refuses(overlapping.save, "partners_membership_periods_do_not_overlap")
    with pytest.raises(ValidationError, match="overlaps another membership"):
        overlapping.full_clean()


@pytest.mark.django_db
def test_an_update_that_creates_an_overlap_is_refused():
    first = make_membership(joined_on=D(2013, 5, 1), left_on=D(2014, 12, 31))
    second = make_membership(member=first.member, network=first.network, joined_on=D(2016, 1, 1))
    second.joined_on = D(2014, 6, 1)
    assert_db_refuses(second.save)


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


@pytest.mark.django_db
def test_a_signed_agreement_without_signature_date_is_refused():
    assert_db_refuses(
        lambda: Agreement.objects.create(
            title="X", slug="x", kind="mou", status=Agreement.Status.IN_FORCE
        ),
        "partners_agreement_signed_needs_signed_on",
    )
    agreement = Agreement(title="X", slug="x", kind="mou", status=Agreement.Status.SIGNED)
    with pytest.raises(ValidationError, match="needs its signature date"):
        agreement.full_clean()


@pytest.mark.django_db
def test_an_agreement_cannot_end_before_it_starts():
    assert_db_refuses(
        lambda: Agreement.objects.create(
            title="X", slug="x", kind="mou", starts_on=D(2020, 1, 1), ends_on=D(2019, 1, 1)
        ),
        "partners_agreement_ends_after_start",
    )
    with pytest.raises(ValidationError, match="cannot be before the start date"):
        Agreement(
            title="X", slug="x", kind="mou", starts_on=D(2020, 1, 1), ends_on=D(2019, 1, 1)
        ).full_clean()


@pytest.mark.django_db
def test_a_partner_is_party_to_an_agreement_only_once():
    partner = make_partner()
    agreement = make_agreement(parties=[partner])
    assert_db_refuses(lambda: AgreementParty.objects.create(agreement=agreement, partner=partner))


@pytest.mark.django_db
def test_a_user_is_staff_of_a_partner_only_once():
    user, partner = make_user(), make_partner()
    PartnerStaff.objects.create(user=user, partner=partner)
    assert_db_refuses(lambda: PartnerStaff.objects.create(user=user, partner=partner))


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

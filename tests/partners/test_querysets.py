"""The partners' reads: QuerySet methods that views, filters, the admin and the reminder
command call instead of building their own queries."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from partners.models import Agreement, AgreementParty, Membership, Partner, PartnerStaff
from tests import factories

pytestmark = pytest.mark.django_db


def test_search_finds_a_partner_by_a_word_of_its_name_or_short_name():
    famsi = factories.make_partner(name="Fondo Andaluz de Municipios", short_name="FAMSI")
    factories.make_partner(name="Lima")
    assert list(Partner.objects.search("famsi")) == [famsi]
    assert list(Partner.objects.search("andaluz")) == [famsi]


def test_named_finds_a_partner_by_a_part_of_any_of_its_names_in_any_language():
    uclg = factories.make_network(
        name="United Cities and Local Governments",
        short_name="UCLG",
        official_name_fr="Cités et Gouvernements Locaux Unis",
        official_short_name_es="CGLU",
    )
    factories.make_partner(name="Lima")
    for text in ("united", "uclg", "cités", "cglu"):
        assert list(Partner.objects.named(text)) == [uclg], text


def test_located_leaves_out_partners_without_coordinates():
    placed = factories.make_partner(latitude=-34.9, longitude=-56.2)
    factories.make_partner()
    assert list(Partner.objects.located()) == [placed]


def test_the_current_network_count_counts_only_open_periods():
    member = factories.make_partner()
    factories.make_membership(member=member)
    factories.make_membership(member=member, left_on=datetime.date(2014, 1, 1))
    assert Partner.objects.with_current_network_count().get(pk=member.pk).current_network_count == 1


def test_memberships_in_public_networks_of_public_members():
    public = factories.make_membership()
    factories.make_membership(network=factories.make_network(is_public=False))
    factories.make_membership(member=factories.make_partner(is_public=False))
    assert list(Membership.objects.in_public_networks().of_public_members()) == [public]


def test_overlapping_finds_another_period_sharing_a_day():
    first = factories.make_membership(left_on=datetime.date(2015, 1, 1))
    later = Membership(
        member=first.member, network=first.network, joined_on=datetime.date(2015, 1, 1)
    )
    after = Membership(
        member=first.member, network=first.network, joined_on=datetime.date(2015, 1, 2)
    )
    assert list(Membership.objects.overlapping(later)) == [first]
    assert not Membership.objects.overlapping(after).exists()
    assert not Membership.objects.overlapping(first).exists()


def test_public_parties_leave_out_hidden_partners_and_come_by_name(django_assert_num_queries):
    zeta, alfa = factories.make_partner(name="Zeta"), factories.make_partner(name="Alfa")
    hidden = factories.make_partner(is_public=False)
    agreement = factories.make_agreement(parties=[zeta, alfa, hidden])
    assert [p.partner for p in AgreementParty.objects.public()] == [alfa, zeta]
    assert list(Agreement.objects.with_party(hidden)) == [agreement]
    with django_assert_num_queries(2):
        (loaded,) = Agreement.objects.with_public_parties()
        assert [p.partner.name for p in loaded.public_parties] == ["Alfa", "Zeta"]


def test_kept_by_gives_the_organisations_of_partner_staff(staff_a, partner_a, partner_b):
    assert list(Partner.objects.kept_by(staff_a)) == [partner_a]
    PartnerStaff.objects.create(user=staff_a, partner=partner_b)
    assert set(Partner.objects.kept_by(staff_a)) == {partner_a, partner_b}


def test_kept_by_gives_nothing_for_a_visitor_or_a_deactivated_account(staff_a, partner_a):
    assert not Partner.objects.kept_by(AnonymousUser()).exists()
    staff_a.is_active = False
    staff_a.save()
    assert not Partner.objects.kept_by(staff_a).exists()


def test_members_per_year_count_a_partner_in_two_networks_once():
    city = factories.make_partner(country="UY")
    first, second = factories.make_network(), factories.make_network()
    factories.make_membership(member=city, network=first, joined_on=datetime.date(2014, 3, 1))
    factories.make_membership(
        member=city,
        network=second,
        joined_on=datetime.date(2014, 5, 1),
        left_on=datetime.date(2015, 6, 30),
    )
    leaving = factories.make_partner(country="ES")
    factories.make_membership(
        member=leaving,
        network=first,
        joined_on=datetime.date(2014, 1, 1),
        left_on=datetime.date(2014, 12, 31),  # left on the last day: not counted at the end
    )
    rows = Membership.objects.count_members_per_year_by_region(
        range(2014, 2016), today=datetime.date(2015, 8, 1)
    )
    latin_america = rows[Partner.Region.LATIN_AMERICA]
    assert (latin_america["active_2014"], latin_america["joined_2014"]) == (1, 1)
    assert (latin_america["active_2015"], latin_america["joined_2015"]) == (1, 0)
    europe = rows[Partner.Region.EUROPE]
    assert (europe["active_2014"], europe["joined_2014"]) == (0, 1)
    assert Membership.objects.first_joined_on() == datetime.date(2014, 1, 1)


def test_current_members_by_network_count_open_periods_by_region_and_role():
    network = factories.make_network(name="Red")
    for country in ["UY", "PE"]:
        factories.make_membership(member=factories.make_partner(country=country), network=network)
    factories.make_membership(network=network, left_on=datetime.date(2016, 1, 1))
    (row,) = Membership.objects.filter(network=network).count_current_members_by_network()
    assert (row["network__name"], row["member__region"], row["members"]) == (
        "Red",
        Partner.Region.LATIN_AMERICA,
        2,
    )


def test_agreements_count_by_status_leaves_out_statuses_with_none():
    factories.make_agreement(status=Agreement.Status.PROPOSED)
    factories.make_agreement(status=Agreement.Status.PROPOSED)
    assert Agreement.objects.count_by_status() == {Agreement.Status.PROPOSED: 2}


def test_possibly_named_as_finds_partners_of_the_country_whose_names_overlap(db):
    montevideo = factories.make_partner(name="Montevideo", country="UY")
    intendencia = factories.make_partner(name="Intendencia de Montevideo", country="UY")
    acronym = factories.make_partner(name="Congreso de Intendentes", short_name="CDI", country="UY")
    official = factories.make_partner(
        name="Ciudad Vieja", official_name_es="Municipio B de Montevideo", country="UY"
    )
    factories.make_partner(name="Montevideo", country="AR")  # another country
    factories.make_partner(name="Quito", country="UY")

    found = set(Partner.objects.possibly_named_as("montevideo", country="UY"))
    assert found == {montevideo, intendencia, official}
    # The given name contains theirs; an acronym matches only whole.
    longer = set(Partner.objects.possibly_named_as("Intendencia de Montevideo", country="UY"))
    assert longer == {montevideo, intendencia}
    assert set(Partner.objects.possibly_named_as("cie", country="UY")) == set()
    assert list(Partner.objects.possibly_named_as("cdi", country="UY")) == [acronym]


def test_possibly_named_as_ignores_names_too_short_to_tell(db):
    factories.make_partner(name="Lima", country="PE")
    assert not Partner.objects.possibly_named_as(" L ", country="PE").exists()

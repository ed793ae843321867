"""Membership timelines: a network's members per year, a partner's membership periods."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from partners.timelines import count_members_per_year, network_member_figures
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2024, 6, 15)


def network_with_history():
    """Members of one network over 2020–2024, each showing one case:
    Alba left on 31 December 2021 (a member at that year's end) and rejoined in 2023; Bruma
    changed role (its partner period ended the day before its coordinator period began);
    Cerro joined and left; Duna is not public; Eira joins after today; Fresno leaves after
    today."""
    network = factories.make_network(name="Red", slug="red")

    def member(name, *periods, is_public=True):
        partner = factories.make_partner(name=name, slug=name.lower(), is_public=is_public)
        for role, joined_on, left_on in periods:
            factories.make_membership(
                member=partner, network=network, role=role, joined_on=joined_on, left_on=left_on
            )
        return partner

    member("Alba", ("partner", D(2020, 3, 1), D(2021, 12, 31)), ("partner", D(2023, 2, 1), None))
    member(
        "Bruma",
        ("partner", D(2020, 5, 1), D(2021, 6, 30)),
        ("coordinator", D(2021, 7, 1), None),
    )
    member("Cerro", ("observer", D(2021, 1, 10), D(2022, 3, 3)))
    member("Duna", ("partner", D(2020, 1, 1), None), is_public=False)
    member("Eira", ("partner", D(2024, 9, 1), None))
    member("Fresno", ("associate", D(2022, 1, 1), D(2024, 12, 31)))
    return network


def figures_by_year(figures):
    return {
        f.year: (
            {role: count for role, count in f.members.items() if count},
            f.joined,
            f.left,
            f.role_changes,
        )
        for f in figures
    }


def test_a_networks_members_per_year_count_joins_leaves_role_changes_and_rejoins(
    django_assert_num_queries,
):
    network = network_with_history()
    with django_assert_num_queries(2):
        figures = count_members_per_year(network.member_links.of_public_members(), TODAY)
    # Year: (members at the year's end by role, joined, left, changes of role).
    assert figures_by_year(figures) == {
        2020: ({"partner": 2}, 2, 0, 0),
        2021: ({"coordinator": 1, "partner": 1, "observer": 1}, 1, 0, 1),
        2022: ({"coordinator": 1, "associate": 1}, 1, 2, 0),
        2023: ({"coordinator": 1, "partner": 1, "associate": 1}, 1, 0, 0),
        2024: ({"coordinator": 1, "partner": 1, "associate": 1}, 0, 0, 0),
    }
    assert figures[-1].total == 3


def test_a_network_without_public_members_has_no_timeline(client):
    network = factories.make_network(name="Vacía", slug="vacia")
    factories.make_membership(
        member=factories.make_partner(name="Hidden", is_public=False), network=network
    )
    assert count_members_per_year(network.member_links.of_public_members(), TODAY) == []
    response = client.get("/en/partners/vacia/")
    assert response.context["member_timeline"] is None
    assert 'class="timeline"' not in response.content.decode()


def test_a_networks_figures_are_counted_once_until_the_content_changes(
    django_assert_num_queries,
):
    network = network_with_history()
    first = network_member_figures(network, TODAY)
    with django_assert_num_queries(0):
        assert network_member_figures(network, TODAY) == first
    factories.make_membership(network=network, joined_on=D(2024, 1, 1))
    assert network_member_figures(network, TODAY)[-1].total == first[-1].total + 1


def test_the_network_profile_draws_its_members_with_the_table_behind(client):
    network_with_history()
    html = client.get("/en/partners/red/").content.decode()
    svg = re.search(r'<svg class="timeline"[^>]*>', html).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="member-timeline-title"' in svg
    assert 'viewBox="0 0 640 ' in svg and 'width="100%"' in svg
    assert "<title>Coordinator at the end of 2021: 1</title>" in html
    assert "<title>Left in 2022: 2</title>" in html
    assert "<title>Changes of role in 2021: 1</title>" in html
    table = html[html.index('<details class="timeline-table">') :]
    assert "<caption" in table and '<th scope="row">2022</th>' in table
    # Fresno still counts today (it leaves on 31 December), Duna is not public, Eira not yet in.
    today = timezone.localdate()
    assert f"3 public members on {date_format(today, 'DATE_FORMAT')}" in html


def test_the_timeline_speaks_the_pages_language(client):
    network_with_history()
    with translation.override("fr"):
        today = date_format(timezone.localdate(), "DATE_FORMAT")
    html = client.get("/fr/partners/red/").content.decode()
    assert today in html


def test_a_citys_profile_draws_each_period_in_public_networks_only(client):
    city = factories.make_partner(name="Ciudad", slug="ciudad")
    open_network = factories.make_network(name="Abierta", short_name="ABR", slug="abierta")
    other = factories.make_network(name="Otra", slug="otra")
    hidden = factories.make_network(name="Secreta", slug="secreta", is_public=False)
    factories.make_membership(
        member=city, network=open_network, joined_on=D(2010, 1, 1), left_on=D(2012, 1, 1)
    )
    factories.make_membership(
        member=city, network=open_network, joined_on=D(2015, 1, 1), role="coordinator"
    )
    factories.make_membership(member=city, network=other, joined_on=D(2018, 4, 2), role="observer")
    factories.make_membership(member=city, network=hidden, joined_on=D(2011, 1, 1))

    response = client.get("/en/partners/ciudad/")
    periods = response.context["membership_periods"]
    assert [row["full_label"] for row in periods["rows"]] == ["ABR", "Otra"]
    assert [len(row["bars"]) for row in periods["rows"]] == [2, 1]
    rejoined = periods["rows"][0]["bars"]
    assert rejoined[0]["x"] + rejoined[0]["width"] < rejoined[1]["x"]
    assert rejoined[1]["current"] and not rejoined[0]["current"]
    html = response.content.decode()
    assert "<title>ABR: Partner, from Jan. 1, 2010 to Jan. 1, 2012</title>" in html
    assert "<title>ABR: Coordinator, since Jan. 1, 2015</title>" in html
    assert "Secreta" not in html
    assert "Observer" in periods["legend"][-1]["label"]


def test_a_partner_without_memberships_draws_no_periods(client):
    factories.make_partner(name="Sola", slug="sola")
    response = client.get("/en/partners/sola/")
    assert response.context["membership_periods"] is None
    assert 'class="timeline"' not in response.content.decode()


@pytest.mark.parametrize("members", [3, 60])
def test_the_profiles_take_the_same_number_of_queries_for_few_and_many_memberships(
    client, django_assert_num_queries, monkeypatch, members
):
    """Prevents N+1: the network's timeline is two grouped queries whatever its size, a
    member's periods come from the memberships the profile already reads."""
    from front.views import PartnerDetailView

    # Both sizes beyond the members listed, so both pages count the rest.
    monkeypatch.setattr(PartnerDetailView, "members_shown", 2)
    network = factories.make_network(name="Grande", slug="grande")
    others = [factories.make_network(name=f"Red {i}", slug=f"red-{i}") for i in range(3)]
    city = factories.make_partner(name="Miembro", slug="miembro")
    for i in range(members):
        partner = city if i == 0 else factories.make_partner(name=f"City {i}")
        factories.make_membership(
            member=partner,
            network=network,
            role=["partner", "associate", "observer"][i % 3],
            joined_on=D(1990 + i % 30, 1 + i % 12, 1),
            left_on=D(2024, 1, 1) if i % 4 == 3 else None,
        )
    for i in range(members):
        factories.make_membership(
            member=city,
            network=others[i % 3],
            joined_on=D(1960 + i, 1, 1),
            left_on=D(1960 + i, 6, 1),
        )
    # Partner, memberships, current members and their COUNT, the two grouped queries of the
    # timeline, agreements, COUNT of activities (none: no page), training totals.
    with django_assert_num_queries(9):
        assert client.get("/en/partners/grande/").status_code == 200
    # Partner, memberships, agreements, COUNT of activities (none: no page), training totals.
    with django_assert_num_queries(5):
        assert client.get("/en/partners/miembro/").status_code == 200


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_the_drawings_coordinates_are_not_written_in_the_languages_number_format(client, language):
    """A decimal comma ("69,7") is not an SVG length: the browser drops the shape."""
    network = network_with_history()
    factories.make_membership(
        member=factories.make_partner(name="Gota", slug="gota"), network=network
    )
    for path in ("red", "gota"):
        html = client.get(f"/{language}/partners/{path}/").content.decode()
        svg = html[
            html.index('<svg class="timeline"') : html.index(
                "</svg>", html.index('<svg class="timeline"')
            )
        ]
        attributes = re.findall(r'\b(?:x|y|x1|x2|y1|y2|cx|width|height)="([^"]*)"', svg)
        assert attributes and not [value for value in attributes if "," in value], path

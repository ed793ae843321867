"""The partnership graph: its data (front/graph.py) and the table of the same links."""

import datetime

import pytest

from partners.models import Membership, Partner
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db

PAGE = "/en/partnership-graph/"
DATA = "/en/partnership-graph/data.json"


def graph_json(client, language="en"):
    response = client.get(f"/{language}/partnership-graph/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def edge_slugs(data):
    slugs = [node[0] for node in data["nodes"]]
    return {(slugs[edge[0]], slugs[edge[1]]) for edge in data["edges"]}


@pytest.fixture
def network_of_networks():
    """AL-LAs with three cities (city-002 left in 2016), a hidden city, UCLG with AL-LAs as a
    member, and a hidden network with a public member."""
    site = populate(3)
    uclg = factories.make_network(name="United Cities", slug="uclg", country="ES")
    factories.make_membership(
        member=site.network, network=uclg, joined_on=datetime.date(2010, 1, 1)
    )
    secret = factories.make_network(name="Secret network", slug="secret", is_public=False)
    factories.make_membership(member=site.partners[0], network=secret)
    return site


def test_the_data_holds_public_partners_and_memberships_of_public_networks_only(
    client, network_of_networks
):
    data = graph_json(client)
    slugs = {node[0] for node in data["nodes"]}
    assert slugs == {"al-las", "city-000", "city-001", "city-002", "uclg"}
    assert edge_slugs(data) == {
        ("city-000", "al-las"),
        ("city-001", "al-las"),
        ("city-002", "al-las"),
        ("al-las", "uclg"),  # a network of networks
    }
    assert b"Hidden" not in client.get(DATA).content
    assert b"secret" not in client.get(DATA).content


def test_an_edge_gives_its_role_and_period_and_a_node_its_kind_region_and_position(
    client, network_of_networks
):
    data = graph_json(client)
    nodes = {node[0]: node for node in data["nodes"]}
    allas = nodes["al-las"]
    assert data["kinds"][allas[2]][0] == "network"
    assert data["regions"][allas[3]][0] == "latam"
    assert all(isinstance(value, float) for value in allas[4:6])
    assert allas[6] == 3  # members over time
    slugs = [node[0] for node in data["nodes"]]
    periods = {
        slugs[edge[0]]: (data["roles"][edge[2]][0], edge[3], edge[4]) for edge in data["edges"]
    }
    assert periods["city-000"] == ("coordinator", "2013-05-01", None)
    assert periods["city-002"] == ("partner", "2013-05-01", "2016-01-01")
    assert data["first"] == "2010-01-01"


def test_labels_are_the_official_name_in_the_language_of_the_page(client, network_of_networks):
    Partner.objects.filter(slug="uclg").update(official_name_fr="Cités et Gouvernements Locaux")
    labels = {node[0]: node[1] for node in graph_json(client, "fr")["nodes"]}
    assert labels["uclg"] == "Cités et Gouvernements Locaux"
    labels = {node[0]: node[1] for node in graph_json(client, "en")["nodes"]}
    assert labels["uclg"] == "United Cities"


@pytest.mark.parametrize("rows", [3, 40])
def test_the_data_and_the_page_take_the_same_number_of_queries_for_few_and_many_rows(
    client, django_assert_num_queries, rows
):
    """Prevents N+1: the data is two queries (the layout is computed from them and cached);
    the page one COUNT, one page of links and the networks' suggestions."""
    populate(rows)
    with django_assert_num_queries(2):
        graph_json(client)
    with django_assert_num_queries(3):
        assert client.get(PAGE).status_code == 200


def table_rows(client, query=""):
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200
    return response, [(m.member.slug, m.network.slug) for m in response.context["page_obj"]]


def test_the_table_lists_the_same_links_as_the_graph(client, network_of_networks):
    _response, rows = table_rows(client)
    assert set(rows) == edge_slugs(graph_json(client))


def test_the_table_filters_by_network_region_kind_and_date(client, network_of_networks):
    assert table_rows(client, "network=uclg")[1] == [("al-las", "uclg")]
    assert table_rows(client, "network=United cities")[1] == [("al-las", "uclg")]
    assert table_rows(client, "kind=network")[1] == [("al-las", "uclg")]
    assert table_rows(client, "region=europe")[1] == []  # every member is in Latin America
    assert len(table_rows(client, "region=latam")[1]) == 4
    on_2015 = set(table_rows(client, "on=2015-06-01")[1])
    assert ("city-002", "al-las") in on_2015
    on_2020 = set(table_rows(client, "on=2020-06-01")[1])
    assert ("city-002", "al-las") not in on_2020
    assert ("city-000", "al-las") in on_2020
    # The day a membership ends it still stands (periods are closed intervals).
    assert ("city-002", "al-las") in set(table_rows(client, "on=2016-01-01")[1])
    assert set(table_rows(client, "on=2009-12-31")[1]) == set()


@pytest.mark.parametrize(
    "query",
    [
        "network=no-such-network",
        "network=secret",  # a hidden network is not a choice
        "region=mars",
        "kind=planet",
        "on=2020-13-45",
        "on=0001-01-01",
        "on=99999-01-01",
        "on=yesterday",
        "page=abc",
    ],
)
def test_bad_input_shows_the_page_with_a_message_and_ignores_the_filter(
    client, network_of_networks, query
):
    response, rows = table_rows(client, query)
    assert response.context["notices"]
    assert len(rows) == 4
    assert 'class="notice"' in response.content.decode()


def test_a_page_past_the_end_is_not_found_and_a_non_get_is_refused(client, network_of_networks):
    assert client.get(f"{PAGE}?page=99").status_code == 404
    assert client.post(PAGE).status_code == 405
    assert client.post(DATA).status_code == 405


def test_the_table_is_paginated(client):
    site = populate(3)
    network = site.network
    for i in range(60):
        factories.make_membership(
            member=factories.make_partner(name=f"Town {i:02d}", slug=f"town-{i:02d}"),
            network=network,
            joined_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=i),
        )
    total = Membership.objects.in_public_networks().of_public_members().count()
    first = client.get(PAGE)
    assert first.context["paginator"].count == total == 63
    assert len(first.context["page_obj"]) == 50
    second = client.get(f"{PAGE}?page=2")
    assert len(second.context["page_obj"]) == 13
    assert 'rel="prev"' in second.content.decode()
    # Newest first: the last page ends with the oldest membership.
    assert second.context["page_obj"][12].member.slug == "town-00"


def test_the_page_links_the_data_and_is_linked_from_the_directory_and_a_network_profile(
    client, network_of_networks
):
    content = client.get(PAGE).content.decode()
    assert f'data-url="{DATA}"' in content
    assert 'data-profile-url="/en/partners/__slug__/"' in content
    assert 'src="/static/js/graph.js"' in content or "js/graph." in content
    assert PAGE in client.get("/en/partners/").content.decode()
    profile = client.get("/en/partners/al-las/")
    assert f"{PAGE}?network=al-las" in profile.content.decode()

"""Public partner directory, partner profiles and agreements."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from partners.models import Partner
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db

# Queries per page, the same for 3 and for 60 rows of everything. Each page is asked once: a
# second request would come from the page cache (tests/allas/test_page_cache.py).
# Directory: 5 option counts + the ids for the theme counts + the partners of each theme (themes
# and one EXISTS per theme: only after a change of the content, then cached) + suggested
# networks + themes + COUNT + page.
# With filters: + network and theme lookups for validation (the partners of each theme are
# cached by then).
QUERY_COUNTS = {
    "/es/partners/": 12,
    "/es/partners/?q=City&country=UY&network=al-las&role=coordinator&theme=training"
    "&sort=country": 12,
    # Partner, memberships, agreements, COUNT and page of activities, training totals.
    "/es/partners/city-001/": 6,
    # The same plus its members and the two grouped queries of its members' timeline.
    "/es/partners/al-las/": 9,
    # COUNT, page, parties of the page (the party is typed: no list of parties).
    "/es/agreements/": 3,
    "/es/agreements/?status=in_force&partner=city-000": 4,
    # Agreement, parties, themes, history, activities.
    "/es/agreements/agreement-000/": 5,
}


@pytest.mark.parametrize("rows", [3, 60])
def test_partner_pages_take_the_same_number_of_queries_for_few_and_many_rows(
    client, django_assert_num_queries, rows
):
    """Prevents N+1 on every partner and agreement page."""
    site = populate(rows)
    factories.make_activity(partners=[site.network])  # so the network's activity list has a page
    for url, expected in QUERY_COUNTS.items():
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200, url


def test_every_partner_page_answers_in_each_language(client):
    populate(3)
    for language in ["es", "pt", "fr", "en"]:
        for name, kwargs in [
            ("partners:partner-list", {}),
            ("partners:partner-detail", {"slug": "city-000"}),
            ("partners:agreement-list", {}),
            ("partners:agreement-detail", {"slug": "agreement-000"}),
        ]:
            with translation.override(language):
                url = reverse(name, kwargs=kwargs)
            assert url.startswith(f"/{language}/")
            assert client.get(url).status_code == 200, url


def test_non_public_records_never_show_on_partner_pages(client):
    site = populate(3)
    pages = [
        "/es/partners/",
        "/es/partners/?membership=all",
        "/es/partners/al-las/",
        "/es/partners/city-000/",
        "/es/agreements/",
        "/es/agreements/agreement-000/",
        "/es/agreements/agreement-001/",
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "Hidden" not in content, url
    assert client.get("/es/partners/").context["paginator"].count == len(site.partners) + 1


@pytest.mark.parametrize(
    "url",
    ["/es/partners/hidden-city/", "/es/agreements/hidden-agreement/", "/es/partners/nobody/"],
)
def test_a_direct_url_to_a_hidden_or_missing_record_answers_404(client, url):
    populate(3)
    assert client.get(url).status_code == 404


def results(client, query):
    response = client.get("/en/partners/" + query)
    assert response.status_code == 200
    return [p.slug for p in response.context["page_obj"]]


def test_the_directory_filters_by_country_kind_region_and_search(client):
    populate(9)  # one city per country of the test network
    assert results(client, "?country=UY") == ["city-000"]
    assert results(client, "?kind=network") == ["al-las"]
    assert results(client, "?region=europe") == ["city-007", "city-008"]
    assert results(client, "?q=al-l") == ["al-las"]
    assert results(client, "?q=city 00&country=EC") == ["city-001"]


def test_the_network_filter_counts_current_members_unless_past_ones_are_asked_for(client):
    populate(6)  # cities 002 and 005 left the network in 2016
    current = results(client, "?network=al-las")
    assert "city-002" not in current and "city-000" in current
    assert set(results(client, "?network=al-las&membership=all")) >= {"city-002", "city-005"}
    assert results(client, "?network=al-las&role=coordinator") == ["city-000"]


def test_the_theme_filter_finds_partners_of_visible_activities_only(client):
    site = populate(3)
    lonely = factories.make_partner(name="Lonely", slug="lonely")
    draft = factories.make_activity(status="draft", partners=[lonely])
    draft.themes.set([site.themes[1]])
    assert "lonely" not in results(client, "?theme=lobbying")
    assert "city-001" in results(client, "?theme=lobbying")


def test_each_option_shows_how_many_partners_it_would_give(client):
    populate(9)
    response = client.get("/en/partners/?region=latam")
    options = response.context["options"]
    country = {o["value"]: o["count"] for o in options["country"]}
    assert country["UY"] == 1
    assert "FR" not in country  # not in Latin America: the other filters hold
    region = {o["value"]: o["count"] for o in options["region"]}
    assert region == {"latam": 8, "europe": 2, "other": 0}  # 7 cities + AL-LAs (MX)
    kind = {o["value"]: o["count"] for o in options["kind"]}
    assert kind == {"city": 7, "network": 1, "institution": 0}
    network = {o["value"]: o["count"] for o in options["network"]}
    assert network == {"al-las": 5}  # current members in Latin America (002, 005 left)
    content = response.content.decode()
    assert "Uruguay (1)" in content


def test_the_directory_sorts_by_country_name_in_the_page_language(client):
    factories.make_partner(name="A", slug="a", country="DE")  # Germany / Alemania
    factories.make_partner(name="B", slug="b", country="ES")  # Spain / España
    assert results(client, "?sort=country") == ["a", "b"]  # Germany < Spain
    response = client.get("/es/partners/?sort=country")
    assert [p.slug for p in response.context["page_obj"]] == ["a", "b"]  # Alemania < España
    assert results(client, "?sort=-country") == ["b", "a"]
    assert results(client, "?sort=-name") == ["b", "a"]


def test_sorting_by_country_ignores_accents(client):
    factories.make_partner(name="A", slug="a", country="EG")  # Égypte
    factories.make_partner(name="B", slug="b", country="FR")  # France
    response = client.get("/fr/partners/?sort=country")
    assert [p.slug for p in response.context["page_obj"]] == ["a", "b"]  # Égypte < France


def test_country_labels_follow_the_page_language(client):
    factories.make_partner(name="Berlin", slug="berlin", country="DE")
    assert "Alemania" in client.get("/es/partners/").content.decode()
    assert "Allemagne" in client.get("/fr/partners/berlin/").content.decode()
    assert "Alemanha" in client.get("/pt/partners/").content.decode()


def test_the_directory_is_paginated_and_a_page_past_the_end_is_404(client):
    populate(30)
    first = client.get("/en/partners/")
    assert len(first.context["page_obj"]) == 24
    assert 'rel="next"' in first.content.decode()
    assert len(client.get("/en/partners/?page=2").context["page_obj"]) == 7
    assert client.get("/en/partners/?page=3").status_code == 404
    assert client.get("/en/partners/?page=0").status_code == 404


def test_a_malformed_page_number_gives_the_first_page_with_a_message(client):
    populate(3)
    response = client.get("/en/partners/?page=abc")
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert "is not a page number" in response.content.decode()


def test_an_invalid_filter_is_ignored_with_a_message_naming_it(client):
    populate(3)
    response = client.get("/en/partners/?country=ZZ&kind=city")
    assert response.status_code == 200
    assert "The value given for “Country” is not valid" in response.content.decode()
    assert all(p.kind == "city" for p in response.context["page_obj"])


def test_the_profile_shows_memberships_agreements_activities_and_training_totals(client):
    site = populate(4)
    city = site.partners[0]
    past_network = factories.make_network(name="Old Network", slug="old-network")
    factories.make_membership(
        member=city,
        network=past_network,
        role="observer",
        joined_on=datetime.date(2010, 1, 1),
        left_on=datetime.date(2012, 1, 1),
    )
    response = client.get(city.get_absolute_url().replace("/es/", "/en/"))
    content = response.content.decode()
    assert "Old Network" in content and "Observer" in content and "Coordinator" in content
    assert "Agreement 000" in content and "In force" in content
    assert "Activity 000" in content
    assert 'href="/en/calendar/partners/city-000.ics"' in content
    # City 000 organised activity 000 (training, 4 h) and joined activity 003 (seminar).
    assert response.context["totals"] == {"sessions": 1, "hours": 4, "attendees": 10}
    activities = [a.slug for a in response.context["page_obj"]]
    assert set(activities) == {"activity-000", "activity-003"}


def test_the_profile_lists_upcoming_activities_first_then_past_ones_latest_first(client):
    city = factories.make_partner(slug="c")
    today = datetime.date.today()
    for slug, days in [("past-far", -300), ("past-near", -10), ("soon", 5), ("later", 50)]:
        factories.make_activity(
            slug=slug, starts_on=today + datetime.timedelta(days=days), partners=[city]
        )
    response = client.get("/en/partners/c/")
    assert [a.slug for a in response.context["page_obj"]] == [
        "soon",
        "later",
        "past-near",
        "past-far",
    ]


def test_the_profiles_pages_of_activities_follow_one_order_with_each_role(client):
    """The pages are cut on the activities' keys, then their rows read (KeysFirstPaginator):
    every activity once, in the list's order, with the partner's role in it."""
    city = factories.make_partner(slug="c")
    other = factories.make_partner()
    today = datetime.date.today()
    for days in range(-12, 13):
        factories.make_activity(
            slug=f"a{days + 12:02d}",
            starts_on=today + datetime.timedelta(days=days * 7),
            partners=[city, other] if days % 2 else [other, city],
        )
    pages = [client.get(f"/en/partners/c/?page={n}").context["page_obj"] for n in (1, 2, 3)]
    listed = [(activity.slug, activity.partner_role) for page in pages for activity in page]
    upcoming = [f"a{n:02d}" for n in range(12, 25)]
    past = [f"a{n:02d}" for n in range(11, -1, -1)]
    assert [slug for slug, _role in listed] == upcoming + past
    assert {role for slug, role in listed} == {"organiser", "participant"}
    assert client.get("/en/partners/c/?page=4").status_code == 404


def test_a_network_profile_lists_its_public_current_members(client):
    site = populate(3)  # city 002 left the network
    response = client.get("/en/partners/al-las/")
    members = [m.member.slug for m in response.context["members"]]
    assert members == ["city-000", "city-001"]
    content = response.content.decode()
    assert "Current members" in content
    assert "Hidden City" not in content
    assert 'href="/en/partners/?network=al-las&amp;membership=all"' in content
    assert site.partners[2].slug == "city-002"


def test_a_large_network_profile_shows_the_first_members_and_links_to_the_directory(
    client, monkeypatch
):
    from front.views import PartnerDetailView

    monkeypatch.setattr(PartnerDetailView, "members_shown", 2)
    populate(6)  # 4 current members
    response = client.get("/en/partners/al-las/")
    assert len(response.context["members"]) == 2
    assert response.context["members_total"] == 4
    content = response.content.decode()
    assert "The first 2 members of 4" in content
    assert 'href="/en/partners/?network=al-las"' in content
    assert "See all 4 current members in the directory" in content


def test_the_profile_map_gets_its_marker_through_json_script(client):
    populate(3)
    content = client.get("/en/partners/city-000/").content.decode()
    assert '<script id="map-markers" type="application/json">' in content
    assert "/static/vendor/leaflet/leaflet.js" in content
    assert "style=" not in content  # CSP: no inline styles
    assert "<script>" not in content  # CSP: no inline scripts


def test_a_partner_without_coordinates_has_no_map(client):
    factories.make_partner(slug="nowhere")
    assert "leaflet" not in client.get("/en/partners/nowhere/").content.decode()


def test_the_agreement_page_shows_parties_key_dates_and_the_public_history(client):
    populate(3)
    response = client.get("/en/agreements/agreement-000/")
    content = response.content.decode()
    assert "City 000" in content and "Alianza" in content
    assert "Signed on" in content
    assert [s["to_status"] for s in response.context["history"]] == [
        "proposed",
        "under_evaluation",
        "signed",
        "in_force",
    ]
    assert "Hidden internal note" not in content  # notes are internal


def test_the_agreement_list_filters_by_status_and_party(client):
    populate(4)
    response = client.get("/en/agreements/?status=in_force")
    assert {a.slug for a in response.context["page_obj"]} == {"agreement-000", "agreement-002"}
    response = client.get("/en/agreements/?partner=city-001")
    assert [a.slug for a in response.context["page_obj"]] == ["agreement-001"]


def test_an_agreement_lists_only_its_public_parties(client):
    hidden = factories.make_partner(name="Secret Party", slug="secret", is_public=False)
    visible = factories.make_partner(name="Open Party", slug="open")
    factories.make_agreement(slug="ag", parties=[hidden, visible])
    for url in ["/en/agreements/", "/en/agreements/ag/"]:
        content = client.get(url).content.decode()
        assert "Open Party" in content and "Secret Party" not in content
    assert Partner.objects.count() == 2


def test_the_network_and_party_filters_are_text_boxes_with_few_suggestions(client):
    populate(6)
    content = client.get("/en/partners/?network=al-las").content.decode()
    assert '<input type="text" id="filter-network" name="network"' in content
    assert '<datalist id="filter-network-list"><option value="al-las">' in content
    content = client.get("/en/agreements/?partner=city-000").content.decode()
    assert '<input type="text" id="filter-partner" name="partner"' in content
    assert "<datalist" not in content


def test_the_theme_counts_follow_the_other_filters_and_change_with_the_content(client):
    site = populate(3)
    counts = {
        o["value"]: o["count"]
        for o in client.get("/en/partners/?kind=city").context["options"]["theme"]
    }
    newcomer = factories.make_partner(name="Newcomer", slug="newcomer")
    activity = site.activities[0]
    activity.participations.create(partner=newcomer, role="participant", attendees=1)
    theme = activity.themes.first()
    after = {
        o["value"]: o["count"]
        for o in client.get("/en/partners/?kind=city").context["options"]["theme"]
    }
    assert after[theme.slug] == counts[theme.slug] + 1
    networks_only = client.get("/en/partners/?kind=network").context["options"]["theme"]
    assert {o["value"]: o["count"] for o in networks_only}[theme.slug] <= 1


def test_the_directory_counts_each_combination_of_filters_once_until_the_content_changes(
    client, django_assert_num_queries
):
    """Other pages, sort orders and languages of the same filters reuse the option counts;
    an edit makes them count again."""
    populate(3)

    def counts(response):
        options = response.context["options"]
        return {name: {o["value"]: o["count"] for o in options[name]} for name in options}

    first = client.get("/es/partners/?kind=city")
    with django_assert_num_queries(4):  # suggested networks, themes, COUNT, page
        again = client.get("/en/partners/?kind=city&sort=-name")
    assert counts(again) == counts(first)
    factories.make_partner(kind="city", name="Nueva", slug="nueva", country="UY")
    after = client.get("/en/partners/?kind=city&sort=-name")
    assert counts(after)["kind"]["city"] == counts(first)["kind"]["city"] + 1


def test_a_profile_counts_and_sums_the_partners_activities_once_until_the_content_changes(
    client, django_assert_num_queries
):
    site = populate(3)
    first = client.get("/es/partners/city-001/").context
    with django_assert_num_queries(4):  # partner, memberships, agreements, page
        again = client.get("/en/partners/city-001/?page=1").context
    assert again["totals"] == first["totals"]
    assert again["page_obj"].paginator.count == first["page_obj"].paginator.count
    factories.make_activity(kind="training", hours=3, partners=[site.partners[1]])
    after = client.get("/en/partners/city-001/").context
    assert after["totals"]["sessions"] == first["totals"]["sessions"] + 1
    assert after["page_obj"].paginator.count == first["page_obj"].paginator.count + 1


def test_a_profile_links_to_the_partners_wikidata_item(client):
    factories.make_partner(name="Lima", slug="lima", country="PE", wikidata_id="Q2868")
    factories.make_partner(name="Morón", slug="moron", country="AR")

    html = client.get("/en/partners/lima/").content.decode()
    assert 'href="https://www.wikidata.org/wiki/Q2868"' in html
    assert "wikidata.org" not in client.get("/en/partners/moron/").content.decode()

"""Public activity pages and the knowledge hub."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db

# Queries per page, the same for 3 and for 60 rows of everything.
QUERY_COUNTS = {
    # COUNT, page, themes and organisers of the page; themes, countries, years (the partner is
    # typed: no list of partners).
    "/es/activities/": 7,
    # Plus the theme and partner lookups that validate the filters; countries and years are
    # cached since the first request, until the content changes.
    "/es/activities/?kind=training&theme=training&partner=city-000&when=past": 7,
    # Activity, participations, themes, resources.
    "/es/activities/activity-000/": 4,
    # COUNT, page, themes of the page, themes for the filter.
    "/es/resources/": 4,
    "/es/resources/?theme=training&kind=guide&language=es": 5,
    # Resource, themes, activities, partners.
    "/es/resources/guide-000/": 4,
}


@pytest.mark.parametrize("rows", [3, 60])
def test_activity_and_resource_pages_take_the_same_number_of_queries_for_few_and_many_rows(
    client, django_assert_num_queries, rows
):
    """Prevents N+1 on every activity and knowledge-hub page."""
    site = populate(rows)
    for activity in site.activities[:2]:
        activity.resources.add(*site.resources)
    for url, expected in QUERY_COUNTS.items():
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert response.status_code == 200, url
        assert response.context.get("page_obj") is None or len(response.context["page_obj"])


def test_drafts_and_unpublished_cancelled_activities_never_show(client):
    site = populate(3)
    factories.make_activity(
        title="Hidden cancelled", slug="hidden-cancelled", status="cancelled", published_at=None
    )
    factories.make_activity(title="Hidden submitted", slug="hidden-submitted", status="submitted")
    for url in [
        "/es/activities/",
        "/es/activities/?when=upcoming",
        "/es/activities/activity-000/",
        "/es/resources/",
        "/es/resources/guide-000/",
        "/es/partners/city-000/",
    ]:
        content = client.get(url).content.decode()
        assert "Hidden" not in content, url
    assert client.get("/es/activities/").context["paginator"].count == len(site.activities)
    for slug in ["hidden-draft", "hidden-cancelled", "hidden-submitted"]:
        assert client.get(f"/es/activities/{slug}/").status_code == 404
    assert client.get("/es/resources/hidden-resource/").status_code == 404


def test_a_cancelled_activity_that_was_published_shows_as_cancelled(client):
    factories.make_activity(title="Called off", slug="called-off", status="cancelled")
    response = client.get("/en/activities/called-off/")
    assert response.status_code == 200
    assert "Cancelled" in response.content.decode()


def slugs(client, query, path="/en/activities/"):
    response = client.get(path + query)
    assert response.status_code == 200
    return [a.slug for a in response.context["page_obj"]]


def test_the_activity_list_filters_by_kind_theme_partner_country_year_and_time(client):
    today = timezone.localdate()
    montevideo = factories.make_partner(slug="mvd", country="UY")
    quito = factories.make_partner(slug="uio", country="EC")
    theme = factories.make_theme(slug="comms")
    past = factories.make_activity(
        slug="past",
        kind="training",
        starts_on=datetime.date(2015, 5, 5),
        venue_type="city",
        venue_partner=montevideo,
        partners=[montevideo],
    )
    past.themes.add(theme)
    factories.make_activity(
        slug="soon",
        starts_on=today + datetime.timedelta(days=3),
        venue_type="place",
        venue_name="Lisboa",
        venue_country="PT",
        partners=[quito],
    )
    assert slugs(client, "?kind=training") == ["past"]
    assert slugs(client, "?theme=comms") == ["past"]
    assert slugs(client, "?partner=uio") == ["soon"]
    assert slugs(client, "?country=UY") == ["past"]
    assert slugs(client, "?country=PT") == ["soon"]
    assert slugs(client, "?year=2015") == ["past"]
    assert slugs(client, "?when=upcoming") == ["soon"]
    assert slugs(client, "?when=past") == ["past"]
    assert slugs(client, "?after=2020-01-01") == ["soon"]


def test_the_activity_page_shows_organisers_participants_attendees_themes_resources_and_agreement(
    client,
):
    site = populate(3)
    activity, agreement = site.activities[0], site.agreements[0]
    activity.agreement = agreement
    activity.save(update_fields=["agreement"])
    response = client.get("/en/activities/activity-000/")
    content = response.content.decode()
    assert [p.partner.slug for p in response.context["organisers"]] == ["city-000"]
    assert [p.partner.slug for p in response.context["participants"]] == ["city-001"]
    assert response.context["attendees_total"] == 20  # the hidden partner's 7 are not shown
    assert "Guide 000" in content
    assert "Training" in content and "Formación" not in content  # theme in the page language
    assert response.context["agreement"] == agreement
    # The agreement has only its Spanish title: shown marked as Spanish on the English page.
    assert (
        f'<a href="{agreement.get_absolute_url()}"><span lang="es">Agreement 000</span> '
        '<small class="lang-note">(in Spanish)</small></a>'
    ) in content


def test_the_activity_page_hides_an_agreement_that_is_not_public(client):
    hidden = factories.make_agreement(title="Hidden pact", slug="hp", is_public=False)
    factories.make_activity(slug="a", agreement=hidden)
    assert "Hidden pact" not in client.get("/en/activities/a/").content.decode()


def test_a_host_city_that_is_not_public_is_shown_only_by_its_country(client):
    hidden = factories.make_partner(name="Hidden Town", slug="ht", country="CL", is_public=False)
    factories.make_activity(slug="a", venue_type="city", venue_partner=hidden)
    content = client.get("/en/activities/a/").content.decode()
    assert "Hidden Town" not in content and "Chile" in content


def test_the_knowledge_hub_filters_by_theme_kind_and_language(client):
    populate(4)
    assert set(slugs(client, "?language=en", "/en/resources/")) == {"guide-001", "guide-003"}
    assert set(slugs(client, "?theme=training", "/en/resources/")) == {"guide-000", "guide-002"}
    assert slugs(client, "?kind=video", "/en/resources/") == []
    assert slugs(client, "?q=003", "/en/resources/") == ["guide-003"]


def test_the_resource_page_shows_its_link_activities_and_publishers(client):
    populate(3)
    content = client.get("/en/resources/guide-000/").content.decode()
    assert 'href="https://example.org/' in content
    assert "Activity 000" in content and "City 000" in content


def test_lists_are_paginated(client):
    populate(25)
    assert len(client.get("/en/activities/").context["page_obj"]) == 20
    assert len(client.get("/en/activities/?page=2").context["page_obj"]) == 5
    assert client.get("/en/resources/?page=3").status_code == 404


def test_the_partner_filter_is_a_text_box_taking_a_name_or_a_slug(client):
    site = populate(4)
    by_slug = client.get("/en/activities/?partner=city-000")
    by_name = client.get("/en/activities/", {"partner": site.partners[0].name.upper()})
    slugs = [a.slug for a in by_slug.context["page_obj"]]
    assert slugs and slugs == [a.slug for a in by_name.context["page_obj"]]
    content = by_slug.content.decode()
    assert '<input type="text" id="filter-partner" name="partner" value="city-000"' in content
    assert '<select id="filter-partner"' not in content


def test_an_unknown_partner_gives_the_page_with_a_message(client):
    populate(3)
    response = client.get("/en/activities/?partner=nobody-at-all")
    assert response.status_code == 200
    assert "so that filter was ignored" in response.content.decode()
    assert response.context["paginator"].count == 3


def test_the_country_menu_offers_only_countries_the_filter_can_find(client):
    city = factories.make_partner(name="Lima", slug="lima", country="PE")
    # Online, but with a host partner recorded: Peru must not be offered for it.
    factories.make_activity(venue_type="online", venue_partner=city)
    factories.make_activity(venue_type="place", venue_name="Madrid", venue_country="ES")

    options = client.get("/en/activities/").context["options"]["country"]

    assert [option["value"] for option in options if option["value"]] == ["ES"]

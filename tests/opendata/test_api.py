"""The public API (/api/v1/): only what the public pages show, every language, cursor pages,
the pages' filters, ETag and 304, CORS, throttling, 400 for bad parameters, and query counts
that do not grow with the data."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, Participation
from partners.models import Agreement, AgreementParty, Partner
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/partners/",
    "/api/v1/memberships/",
    "/api/v1/agreements/",
    "/api/v1/activities/",
    "/api/v1/participations/",
    "/api/v1/resources/",
    "/api/v1/themes/",
]


def get_json(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


@pytest.fixture
def world():
    """Public records, and private ones linked to them in every way the API could leak."""
    theme = factories.make_theme(slug="water")
    city = factories.make_partner(name="Ciudad Pública", slug="public-city", wikidata_id="Q1335")
    other = factories.make_partner(name="Otra Ciudad", slug="other-city")
    network = factories.make_network(name="Red Pública", slug="public-network")
    hidden = factories.make_partner(name="Ciudad Oculta", slug="hidden-city", is_public=False)
    hidden_network = factories.make_network(
        name="Red Oculta", slug="hidden-network", is_public=False
    )
    factories.make_membership(member=city, network=network)
    factories.make_membership(member=hidden, network=network)
    factories.make_membership(member=city, network=hidden_network)
    agreement = factories.make_agreement(
        parties=[city, other], slug="public-agreement", themes=[theme]
    )
    AgreementParty.objects.create(agreement=agreement, partner=hidden)
    factories.make_agreement(parties=[city, other], slug="hidden-agreement", is_public=False)
    activity = factories.make_activity(
        slug="public-activity",
        kind=Activity.Kind.TRAINING,
        partners=[city, hidden, other],
        venue_type=Activity.VenueType.CITY,
        venue_partner=hidden,
        agreement=factories.make_agreement(
            parties=[city, other], slug="second-hidden-agreement", is_public=False
        ),
        title_es="Formación pública",
        title_pt="Formação pública",
        original_language="es",
    )
    activity.themes.add(theme)
    factories.make_activity(slug="draft-activity", partners=[city], status=Activity.Status.DRAFT)
    factories.make_activity(
        slug="submitted-activity", partners=[city], status=Activity.Status.SUBMITTED
    )
    resource = factories.make_resource(slug="public-resource")
    resource.partners.add(city, hidden)
    resource.activities.add(activity, Activity.objects.get(slug="draft-activity"))
    factories.make_resource(slug="hidden-resource", is_public=False)
    return {"city": city, "network": network, "activity": activity, "agreement": agreement}


PRIVATE = [
    "hidden-city",
    "Ciudad Oculta",
    "hidden-network",
    "Red Oculta",
    "hidden-agreement",
    "second-hidden-agreement",
    "draft-activity",
    "submitted-activity",
    "hidden-resource",
]


def walk(client):
    """Every page of every list and every detail the lists link to: (url, body) pairs."""
    seen = []
    for start in LISTS:
        url = start + "?page_size=1"
        while url:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content)
            seen.append((url, response.content.decode()))
            data = response.json()
            for row in data["results"]:
                key = row.get("slug") or row.get("id")
                if key is not None:
                    detail = client.get(f"{start}{key}/")
                    assert detail.status_code == 200, (start, key)
                    seen.append((f"{start}{key}/", detail.content.decode()))
            url = data["next"]
    return seen


def test_a_visitor_walking_the_whole_api_finds_nothing_private(client, world):
    pages = walk(client)
    assert len(pages) == 18  # every row of every list, and its detail
    for url, body in pages:
        for private in PRIVATE:
            assert private not in body, (private, url)
    bodies = "".join(body for _url, body in pages)
    for public in ("public-city", "public-network", "public-agreement", "public-activity"):
        assert public in bodies


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partners/hidden-city/",
        "/api/v1/partners/hidden-network/",
        "/api/v1/agreements/hidden-agreement/",
        "/api/v1/activities/draft-activity/",
        "/api/v1/activities/submitted-activity/",
        "/api/v1/resources/hidden-resource/",
    ],
)
def test_a_private_record_is_not_found(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_links_to_private_records_are_left_empty(client, world):
    activity = get_json(client, "/api/v1/activities/public-activity/")
    assert activity["venue_partner"] == ""
    assert activity["agreement"] == ""
    assert [p["partner"] for p in activity["participants"]] == ["public-city", "other-city"]
    resource = get_json(client, "/api/v1/resources/public-resource/")
    assert resource["publishers"] == ["public-city"]
    assert resource["activities"] == ["public-activity"]
    city = get_json(client, "/api/v1/partners/public-city/")
    assert [m["network"] for m in city["memberships"]] == ["public-network"]


def test_a_partner_with_its_memberships_and_wikidata(client, world):
    city = get_json(client, "/api/v1/partners/public-city/")
    assert city["wikidata_id"] == "Q1335"
    assert city["url"].endswith("/es/partners/public-city/")
    assert city["memberships"] == [
        {
            "network": "public-network",
            "network_name": "Red Pública",
            "role": "partner",
            "joined_on": "2013-05-01",
            "left_on": None,
            "current": True,
        }
    ]


def test_an_agreement_with_its_parties_and_lifecycle(client, world):
    agreement = get_json(client, "/api/v1/agreements/public-agreement/")
    assert {p["partner"] for p in agreement["parties"]} == {"public-city", "other-city"}
    assert agreement["steps"][0]["to_status"] == Agreement.Status.PROPOSED
    assert agreement["themes"] == ["water"]
    assert "note" not in json.dumps(agreement["steps"])


def test_texts_in_the_requested_language_with_the_pages_fallback(client, world):
    pt = get_json(client, "/api/v1/activities/public-activity/?lang=pt")
    assert pt["title"] == "Formação pública"
    assert pt["title_translations"] == {
        "es": "Formación pública",
        "pt": "Formação pública",
        "fr": "",
        "en": "",
    }
    assert pt["url"].endswith("/pt/activities/public-activity/")
    # French is missing: the original (Spanish), as the pages show it.
    fr = get_json(client, "/api/v1/activities/public-activity/?lang=fr")
    assert fr["title"] == "Formación pública"
    by_header = client.get("/api/v1/activities/public-activity/", HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert by_header.json()["title"] == "Formação pública"
    assert by_header["Content-Language"] == "pt"
    assert "Accept-Language" in by_header["Vary"]


def test_an_unknown_language_is_a_400_naming_the_parameter(client, world):
    response = client.get("/api/v1/activities/?lang=de")
    assert response.status_code == 400
    assert list(response.json()) == ["lang"]


def test_filters_mean_what_they_mean_on_the_pages(client, world):
    factories.make_activity(slug="a-seminar", partners=[world["city"]])
    trainings = get_json(client, "/api/v1/activities/?kind=training")
    assert [a["slug"] for a in trainings["results"]] == ["public-activity"]
    partner = get_json(client, "/api/v1/activities/?partner=other-city")
    assert [a["slug"] for a in partner["results"]] == ["public-activity"]
    members = get_json(client, "/api/v1/memberships/?network=public-network")
    assert [m["member"] for m in members["results"]] == ["public-city"]
    assert get_json(client, "/api/v1/memberships/?current=false")["results"] == []
    cities = get_json(client, "/api/v1/partners/?kind=network")
    assert [p["slug"] for p in cities["results"]] == ["public-network"]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("/api/v1/activities/?year=abc", "year"),
        ("/api/v1/activities/?kind=party", "kind"),
        ("/api/v1/activities/?partner=hidden-city", "partner"),
        ("/api/v1/activities/?after=2024-02-31", "after"),
        ("/api/v1/partners/?country=XX", "country"),
        ("/api/v1/partners/?network=hidden-network", "network"),
        ("/api/v1/memberships/?current=perhaps", "current"),
        ("/api/v1/participations/?activity=draft-activity", "activity"),
        ("/api/v1/partners/?cursor=not-a-cursor", "cursor"),
        ("/api/v1/partners/?page_size=0", "page_size"),
        ("/api/v1/partners/?page_size=501", "page_size"),
        ("/api/v1/partners/?page_size=ten", "page_size"),
        ("/api/v1/activities/?q=" + "x" * 101, "q"),
        # A NUL reaches the API's own checks (not allas/query_strings.py's HTML page).
        ("/api/v1/activities/?q=a%00b", "q"),
        ("/api/v1/partners/?lang=%00", "lang"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, world, query, parameter):
    response = client.get(query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json()


def test_cursor_pages_cover_every_row_once_without_counting(client, world):
    for number in range(7):
        factories.make_activity(slug=f"more-{number}", partners=[world["city"]])
    slugs, url = [], "/api/v1/activities/?page_size=3"
    with CaptureQueriesContext(connection) as queries:
        while url:
            data = get_json(client, url)
            slugs += [row["slug"] for row in data["results"]]
            url = data["next"]
    assert slugs == sorted(slugs)
    assert len(slugs) == len(set(slugs)) == 8
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_a_response_has_an_etag_and_answers_304_until_the_data_changes(client, world):
    first = client.get("/api/v1/partners/public-city/")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/partners/public-city/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    Partner.objects.filter(slug="public-city").update(locality="Montevideo")
    changed = client.get("/api/v1/partners/public-city/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["locality"] == "Montevideo"


def test_the_page_cache_serves_the_api_until_an_edit(client, world, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    assert get_json(client, "/api/v1/partners/public-city/")["locality"] == ""
    with CaptureQueriesContext(connection) as queries:
        get_json(client, "/api/v1/partners/public-city/")
    assert len(queries) == 0
    city = world["city"]
    city.locality = "Montevideo"
    city.save()
    assert get_json(client, "/api/v1/partners/public-city/")["locality"] == "Montevideo"


def test_cors_is_open_for_reading(client, world):
    response = client.get("/api/v1/partners/", HTTP_ORIGIN="https://researcher.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/partners/",
        HTTP_ORIGIN="https://researcher.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get(
        "/es/partners/", HTTP_ORIGIN="https://researcher.example"
    )


def test_the_api_is_read_only(client, world):
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/v1/partners/public-city/")
        assert response.status_code == 405
    assert client.post("/api/v1/partners/").status_code == 405


def test_too_many_requests_get_a_429_with_retry_after(client, world, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/themes/").status_code == 200
    response = client.get("/api/v1/themes/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "detail" in response.json()
    # Another address has its own allowance.
    assert client.get("/api/v1/themes/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_signed_in_coordinator_sees_what_a_visitor_sees(coordinator_client, world):
    body = coordinator_client.get("/api/v1/partners/?page_size=500").content.decode()
    assert "hidden-city" not in body
    assert coordinator_client.get("/api/v1/activities/draft-activity/").status_code == 404


def grow(world, times):
    city, network = world["city"], world["network"]
    theme = factories.make_theme()
    for _ in range(times):
        partner = factories.make_partner()
        factories.make_membership(member=partner, network=network)
        activity = factories.make_activity(partners=[partner, city])
        activity.themes.add(theme)
        factories.make_agreement(parties=[partner, city], themes=[theme])
        resource = factories.make_resource()
        resource.partners.add(partner)
        resource.themes.add(theme)
        resource.activities.add(activity)


ENDPOINTS = [
    *LISTS,
    "/api/v1/activities/?kind=seminar&partner=public-city&year=2024",
    "/api/v1/partners/?kind=city&network=public-network&country=UY",
    "/api/v1/partners/public-city/",
    "/api/v1/activities/public-activity/",
    "/api/v1/agreements/public-agreement/",
    "/api/v1/resources/public-resource/",
    "/api/v1/themes/water/",
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        get_json(client, url)
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(client, world):
    factories.make_activity(partners=[world["city"]])
    few = {url: count_queries(client, url) for url in ENDPOINTS}
    grow(world, 12)
    many = {url: count_queries(client, url) for url in ENDPOINTS}
    assert many == few
    # The figures quoted in README.md.
    assert few["/api/v1/partners/"] == 2  # the page, the memberships
    assert few["/api/v1/activities/"] == 3  # the page, themes, participants
    assert few["/api/v1/participations/"] == 1


def test_participations_list_every_public_pair(client, world):
    rows = get_json(client, "/api/v1/participations/?activity=public-activity")["results"]
    assert {(r["partner"], r["role"], r["attendees"]) for r in rows} == {
        ("public-city", Participation.Role.ORGANISER, 10),
        ("other-city", Participation.Role.PARTICIPANT, 10),
    }


def test_the_schema_and_its_documentation_are_served_by_the_project(client, world):
    schema = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    document = json.loads(schema.content)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/activities/" in document["paths"]
    activity = document["components"]["schemas"]["Activities"]["properties"]
    assert "title_translations" in activity and "participants" in activity
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    assert "/static/drf_spectacular_sidecar/" in html


def test_memberships_give_periods_with_dates(client, world):
    rows = get_json(client, "/api/v1/memberships/?member=public-city")["results"]
    assert rows == [
        {
            "id": rows[0]["id"],
            "member": "public-city",
            "network": "public-network",
            "role": "partner",
            "joined_on": datetime.date(2013, 5, 1).isoformat(),
            "left_on": None,
        }
    ]

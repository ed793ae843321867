"""The cache of anonymous public pages (allas/cache.py): served without queries, invalidated at
once by an edit, never for signed-in users or POSTs, and with the security headers."""

import gzip

import pytest
from django.core.cache import cache
from django.urls import reverse

from allas import cache as page_cache
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db

PAGES = [
    "/es/",
    "/es/partners/",
    "/es/partners/?kind=city",
    "/es/partners/al-las/",
    "/es/agreements/",
    "/es/activities/",
    "/es/activities/activity-000/",
    "/es/resources/",
    "/es/calendar/activities.ics",
]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


@pytest.mark.parametrize("url", PAGES)
def test_a_cached_page_is_served_without_queries_the_second_time(
    client, django_assert_num_queries, url
):
    populate(3)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content


def test_an_edit_shows_on_the_next_request(client):
    site = populate(3)
    assert "Montevideo Renamed" not in client.get("/en/partners/city-000/").content.decode()
    partner = site.partners[0]
    partner.name = "Montevideo Renamed"
    partner.save()
    assert "Montevideo Renamed" in client.get("/en/partners/city-000/").content.decode()
    assert "Montevideo Renamed" in client.get("/en/partners/").content.decode()


def test_a_new_participation_and_a_theme_link_show_on_the_next_request(client):
    site = populate(3)
    activity = site.activities[0]
    url = f"/en/activities/{activity.slug}/"
    before = client.get(url).content.decode()
    lonely = factories.make_partner(name="Newcomer Town", slug="newcomer")
    assert "Newcomer Town" not in before
    activity.participations.create(partner=lonely, role="participant", attendees=2)
    assert "Newcomer Town" in client.get(url).content.decode()
    activity.themes.add(site.themes[-1])  # m2m_changed bumps the version too
    assert site.themes[-1].name in client.get(url).content.decode()


def test_a_deleted_activity_disappears_at_once(client):
    site = populate(3)
    activity = site.activities[0]
    url = f"/en/activities/{activity.slug}/"
    assert client.get(url).status_code == 200
    activity.participations.all().delete()
    activity.resources.clear()
    activity.delete()
    assert client.get(url).status_code == 404


def test_signed_in_users_are_never_served_or_stored_in_the_cache(
    client, coordinator_client, django_assert_num_queries
):
    populate(3)
    coordinator_client.get("/en/partners/")
    # Nothing stored: the anonymous visitor's first request renders the page.
    response = client.get("/en/partners/")
    assert response.context is not None
    # An anonymous page is stored, but a signed-in user gets a fresh one.
    response = coordinator_client.get("/en/partners/")
    assert response.context is not None


def test_a_visitor_with_a_session_cookie_gets_a_fresh_page(client):
    populate(3)
    client.get("/en/activities/")
    client.cookies["sessionid"] = "whatever"
    response = client.get("/en/activities/")
    assert response.context is not None


def test_posts_are_never_answered_from_the_cache(client):
    populate(3)
    client.get("/en/partners/")
    response = client.post("/en/partners/")
    assert response.status_code == 405  # the view answers, not the cache


def test_languages_and_query_strings_are_different_entries(client):
    populate(3)
    spanish = client.get("/es/activities/")
    english = client.get("/en/activities/")
    assert spanish.content != english.content
    assert client.get("/en/activities/").content == english.content
    filtered = client.get("/en/activities/?kind=training")
    assert filtered.context is not None  # not served from the entry of the unfiltered page
    assert filtered.content != english.content


def test_cached_responses_carry_the_security_headers_and_an_etag(client):
    populate(3)
    first = client.get("/en/partners/")
    second = client.get("/en/partners/")
    assert second.context is None  # from the cache
    for response in (first, second):
        assert "default-src" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["ETag"]
    assert first["ETag"] == second["ETag"]
    assert client.get("/en/partners/", headers={"if-none-match": first["ETag"]}).status_code == 304


def test_a_hit_does_not_hash_the_body_again(client, monkeypatch):
    """The ETag is stored with the page, so ConditionalGetMiddleware has nothing to compute."""
    populate(3)
    first = client.get("/en/partners/")

    def unexpected(response):
        raise AssertionError("ETag computed on a cache hit")

    monkeypatch.setattr("django.middleware.http.set_response_etag", unexpected)
    second = client.get("/en/partners/")
    assert second.context is None  # from the cache
    assert second["ETag"] == first["ETag"]


def test_the_map_data_address_is_the_same_until_the_content_changes(client):
    site = populate(3)
    home = client.get(reverse("home")).content.decode()
    assert home == client.get(reverse("home")).content.decode()
    site.themes[0].save()
    assert client.get(reverse("home")).content.decode() != home


def test_this_process_keeps_a_bounded_copy_of_the_pages(client, monkeypatch):
    populate(3)
    monkeypatch.setattr(page_cache, "LOCAL_BYTES", 1)  # nothing fits
    client.get("/en/partners/")
    assert page_cache.local_pages.size <= 1
    with_cache_only = client.get("/en/partners/")
    assert with_cache_only.context is None  # still served by the shared cache


def test_a_visitor_with_a_pending_message_is_neither_served_nor_stored(client, settings):
    from django.test import RequestFactory

    from allas.cache import is_anonymous_visit

    request = RequestFactory().get("/es/", HTTP_COOKIE="messages=abc")
    request.user = None
    assert not is_anonymous_visit(request)


def test_the_same_path_on_another_host_is_another_entry(settings):
    from django.test import RequestFactory

    from allas.cache import page_key

    factory = RequestFactory()
    one = page_key(factory.get("/es/", HTTP_HOST="127.0.0.1"))
    other = page_key(factory.get("/es/", HTTP_HOST="localhost"))
    assert one != other


@pytest.mark.parametrize("url", ["/es/partners/", "/es/calendar/activities.ics"])
def test_clients_that_accept_gzip_get_the_page_compressed_once_when_stored(client, url):
    populate(3)
    gzip_client = {"accept-encoding": "gzip, deflate, br"}
    first = client.get(url, headers=gzip_client)  # rendered, stored, then sent compressed
    plain = client.get(url)  # from the cache, for a client without gzip
    hit = client.get(url, headers=gzip_client)  # from the cache
    assert plain.context is None and hit.context is None
    assert "Content-Encoding" not in plain
    for response in (first, hit):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        assert response["ETag"] == "W/" + plain["ETag"]
    for response in (first, plain, hit):
        assert "Accept-Encoding" in response["Vary"]
    revalidated = client.get(url, headers={**gzip_client, "if-none-match": hit["ETag"]})
    assert revalidated.status_code == 304


def test_signed_in_users_and_uncached_pages_are_never_compressed(client, staff_a):
    """Their pages may hold a CSRF token: compressing them would expose it (BREACH)."""
    populate(3)
    client.force_login(staff_a)
    for url in ["/es/partners/", reverse("staff:activity-list")]:
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert "Content-Encoding" not in response


def stored_pages():
    return sum(":allas:page3:" in key for key in cache._cache)  # LocMemCache's entries


def test_a_loop_of_unknown_parameters_stores_nothing_and_keeps_the_popular_page(
    client, django_assert_num_queries
):
    """?junk=N is a new query string each time: stored, the entries would push the popular
    pages out of the cache (LocMemCache keeps 300)."""
    populate(3)
    assert client.get("/es/partners/").status_code == 200  # the popular page, stored
    entries = len(cache._cache)
    for n in range(400):
        response = client.get(f"/es/partners/?junk={n}")
        assert response.status_code == 200
    assert len(cache._cache) == entries
    assert client.get("/es/partners/?junk=1").context is not None  # rendered, never stored
    with django_assert_num_queries(0):
        assert client.get("/es/partners/").status_code == 200


def test_reordered_known_parameters_are_served_from_the_same_entry(client):
    populate(3)
    first = client.get("/es/partners/?kind=city&region=europe")
    assert first.context is not None
    second = client.get("/es/partners/?region=europe&kind=city")
    assert second.context is None  # from the cache
    assert second.content == first.content


def test_one_path_stores_a_bounded_number_of_query_strings(client, monkeypatch):
    """Known parameters take any value (?q=junk1, ?q=junk2...): beyond the cap the path is
    served uncached, and the pages already stored stay."""
    populate(3)
    monkeypatch.setattr(page_cache, "MAX_VARIANTS_PER_PATH", 5)
    client.get("/es/partners/")
    for n in range(30):
        assert client.get(f"/es/partners/?q=junk{n}").status_code == 200
    assert stored_pages() == 1 + 5
    assert client.get("/es/partners/?q=junk0").context is None  # stored before the cap
    assert client.get("/es/partners/?q=junk29").context is not None  # beyond it
    assert client.get("/es/partners/").context is None


def test_pages_without_parameters_store_no_query_string(client):
    populate(3)
    client.get("/es/activities/activity-000/?page=2")
    assert client.get("/es/activities/activity-000/?page=2").context is not None
    client.get("/es/calendar/activities.ics?x=1")
    assert client.get("/es/calendar/activities.ics?x=1").status_code == 200


@pytest.mark.parametrize(
    ("accept_encoding", "compressed"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("GZIP", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000, deflate", False),
        ("identity", False),
        ("identity, *;q=0", False),
        ("*;q=0", False),
        ("deflate, br", False),
        ("", False),
        ("gzip;q=oops", False),
    ],
)
def test_gzip_is_sent_only_to_clients_whose_accept_encoding_admits_it(
    client, accept_encoding, compressed
):
    populate(3)
    client.get("/es/partners/")
    response = client.get("/es/partners/", headers={"accept-encoding": accept_encoding})
    assert response.context is None  # from the cache
    assert (response.get("Content-Encoding") == "gzip") is compressed


def test_directory_searches_do_not_store_filter_counts_per_search(client, monkeypatch, db):
    """A loop of ?q=<new text> must not fill the cache with one counts entry per text."""
    import partners.filters

    stored = []
    real = partners.filters.versioned
    monkeypatch.setattr(
        partners.filters,
        "versioned",
        lambda name, compute, *args: stored.append(name) or real(name, compute, *args),
    )
    for n in range(5):
        assert client.get(f"/en/partners/?q=junk{n}").status_code == 200
    client.get("/en/partners/?country=UY")

    # One entry: the country filter's. None for the five searches.
    assert len([name for name in stored if name.startswith("directory-counts")]) == 1

"""The sitemap and robots.txt: every public page in four languages with its alternates, nothing
that is not public, the same number of queries for few and many records."""

import xml.etree.ElementTree as ET

import pytest

from activities.models import Activity
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def addresses(client, path):
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall(".//s:url/s:loc", NS)], root


def test_the_index_lists_a_sitemap_per_kind_of_page(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    sitemaps = [loc.text for loc in root.findall(".//s:sitemap/s:loc", NS)]
    for section in ("pages", "partners", "agreements", "activities", "resources"):
        assert any(url.endswith(f"/sitemap-{section}.xml") for url in sitemaps), sitemaps


def test_each_public_record_is_listed_in_four_languages_with_its_alternates(client):
    lima = factories.make_partner(name="Lima", slug="lima", country="PE")

    urls, root = addresses(client, "/sitemap-partners.xml")

    assert sorted(u.split("/", 3)[3] for u in urls if u.endswith("/partners/lima/")) == [
        f"{language}/partners/lima/" for language in ("en", "es", "fr", "pt")
    ]
    entry = next(u for u in root.findall(".//s:url", NS) if u.find("s:loc", NS).text == urls[0])
    languages = {link.get("hreflang") for link in entry.findall("x:link", NS)}
    assert languages == {"es", "pt", "fr", "en", "x-default"}
    assert lima.updated_at.date().isoformat() in ET.tostring(entry).decode()


def test_nothing_that_is_not_public_is_listed(client):
    factories.make_partner(name="Hidden", slug="hidden-city", is_public=False)
    partner = factories.make_partner(name="Shown", slug="shown-city")
    factories.make_activity(partners=[partner], slug="draft-one", status=Activity.Status.DRAFT)
    factories.make_agreement(parties=[partner, factories.make_partner()], is_public=False)
    factories.make_resource(slug="hidden-guide", is_public=False)

    everything = " ".join(
        " ".join(addresses(client, f"/sitemap-{section}.xml")[0])
        for section in ("partners", "agreements", "activities", "resources")
    )
    assert "/partners/shown-city/" in everything
    for hidden in ("hidden-city", "draft-one", "hidden-guide", "/agreements/agreement"):
        assert hidden not in everything


@pytest.mark.parametrize("rows", [1, 8])
@pytest.mark.parametrize("section", ["pages", "partners", "agreements", "activities", "resources"])
def test_a_sitemap_takes_one_query_for_few_or_many_records(
    client, django_assert_num_queries, section, rows
):
    """Prevents N+1: the addresses come from one query of slugs and dates."""
    populate(rows)
    with django_assert_num_queries(0 if section == "pages" else 1):
        assert client.get(f"/sitemap-{section}.xml").status_code == 200


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_areas(client, settings):
    settings.SITE_URL = "https://allas.example.org"
    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: https://allas.example.org/sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /pt/staff/" in text and "Disallow: /fr/join/application/" in text

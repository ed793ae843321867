"""What search engines read besides the text: schema.org JSON-LD on profiles (Organization,
GovernmentOrganization), activities (Event) and resources (CreativeWork), a page-specific meta
description in the page's language, the favicon and the web manifest. Only public records are
ever named."""

import datetime
import json
from html.parser import HTMLParser

import pytest

from activities.models import Activity, Participation
from partners.models import Partner
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org"
LANGUAGES = ("es", "pt", "fr", "en")
GENERIC_DESCRIPTION = (
    "The Euro-Latin-American Alliance of Cooperation among Cities: its partners, agreements, "
    "activities and knowledge hub."
)
PUBLIC_PAGES = [
    "/",
    "/partners/",
    "/partners/city-000/",
    "/partners/city-001/",
    "/partners/al-las/",
    "/agreements/",
    "/agreements/agreement-000/",
    "/activities/",
    "/activities/activity-000/",
    "/activities/activity-001/",
    "/resources/",
    "/resources/guide-000/",
]


class Head(HTMLParser):
    """The JSON-LD blocks, the meta description and the links of a page."""

    def __init__(self):
        super().__init__()
        self.blocks, self.description, self.links, self._in_json_ld = [], None, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.blocks.append("")
        elif tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.blocks[-1] += data


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    head = Head()
    head.feed(response.content.decode())
    return head


def json_ld(client, url):
    """The page's JSON-LD objects, parsed as a search engine would (json)."""
    return [json.loads(block) for block in read(client, url).blocks]


def the_item(client, url):
    [item] = json_ld(client, url)
    assert item["@context"] == SCHEMA
    return item


def test_an_activity_is_an_event_with_the_properties_search_engines_require(client):
    populate(3)

    event = the_item(client, "/es/activities/activity-000/")

    assert event["@type"] == "Event"
    assert event["name"] == "Activity 000"
    start = datetime.date.fromisoformat(event["startDate"])  # ISO 8601
    assert datetime.date.fromisoformat(event["endDate"]) == start + datetime.timedelta(days=1)
    assert event["eventStatus"] == f"{SCHEMA}/EventScheduled"
    assert event["eventAttendanceMode"] == f"{SCHEMA}/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["name"] == "City 000"
    assert event["location"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "UY",
        "addressLocality": "Town 0",
    }
    assert event["organizer"] == [
        {
            "@type": "GovernmentOrganization",
            "name": "City 000",
            "url": "http://testserver/es/partners/city-000/",
        }
    ]
    assert event["url"] == "http://testserver/es/activities/activity-000/"
    assert event["description"] == "What activity 0 is about."
    assert event["inLanguage"] == "es"
    assert "image" not in event  # activities have no picture: none is made up


def test_an_online_activity_is_held_at_a_virtual_location(client, partner_a):
    factories.make_activity(slug="webinar", partners=[partner_a])  # online by default

    event = the_item(client, "/en/activities/webinar/")

    assert event["eventAttendanceMode"] == f"{SCHEMA}/OnlineEventAttendanceMode"
    assert event["location"] == {
        "@type": "VirtualLocation",
        "url": "http://testserver/en/activities/webinar/",
    }


def test_a_hybrid_training_is_held_at_a_place_and_online(client, partner_a):
    factories.make_activity(
        slug="hybrid",
        kind=Activity.Kind.TRAINING,
        format=Activity.Format.HYBRID,
        venue_type=Activity.VenueType.PLACE,
        venue_name="Palacio Legislativo",
        venue_country="UY",
        partners=[partner_a],
    )

    event = the_item(client, "/es/activities/hybrid/")

    assert event["eventAttendanceMode"] == f"{SCHEMA}/MixedEventAttendanceMode"
    place, virtual = event["location"]
    assert place == {
        "@type": "Place",
        "name": "Palacio Legislativo",
        "address": {"@type": "PostalAddress", "addressCountry": "UY"},
    }
    assert virtual["@type"] == "VirtualLocation"


def test_a_cancelled_activity_is_a_cancelled_event(client, partner_a):
    factories.make_activity(
        slug="called-off", status=Activity.Status.CANCELLED, partners=[partner_a]
    )

    event = the_item(client, "/fr/activities/called-off/")

    assert event["eventStatus"] == f"{SCHEMA}/EventCancelled"


def test_a_city_is_a_government_organization_with_its_wikidata_item_address_and_networks(client):
    network = factories.make_network(name="Mercociudades", slug="mercociudades", country="UY")
    former = factories.make_network(name="Former network", slug="former", country="ES")
    lima = factories.make_partner(
        name="Municipalidad Metropolitana de Lima",
        short_name="MML",
        slug="lima",
        country="PE",
        locality="Lima",
        latitude=-12.04637,
        longitude=-77.04279,
        website="https://www.munlima.gob.pe/",
        wikidata_id="Q2868",
        description_es="Capital del Perú.",
    )
    factories.make_membership(member=lima, network=network)
    factories.make_membership(
        member=lima,
        network=former,
        joined_on=datetime.date(2010, 1, 1),
        left_on=datetime.date(2012, 1, 1),
    )

    city = the_item(client, "/es/partners/lima/")

    assert city["@type"] == "GovernmentOrganization"
    assert city["name"] == "Municipalidad Metropolitana de Lima"
    assert city["alternateName"] == ["MML"]
    assert city["url"] == "http://testserver/es/partners/lima/"
    assert city["sameAs"] == ["https://www.wikidata.org/wiki/Q2868", "https://www.munlima.gob.pe/"]
    assert city["description"] == "Capital del Perú."
    assert city["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "PE",
        "addressLocality": "Lima",
    }
    assert city["geo"] == {"@type": "GeoCoordinates", "latitude": -12.04637, "longitude": -77.04279}
    # Current memberships only: the network it left is history, not membership.
    assert city["memberOf"] == [
        {
            "@type": "Organization",
            "name": "Mercociudades",
            "url": "http://testserver/es/partners/mercociudades/",
        }
    ]
    assert "logo" not in city


def test_a_partner_without_wikidata_item_or_website_has_no_same_as(client, partner_a):
    assert "sameAs" not in the_item(client, "/es/partners/montevideo/")


def test_an_institution_has_the_schema_org_type_of_its_kind(client):
    factories.make_partner(
        kind=Partner.Kind.INSTITUTION,
        institution_type=Partner.InstitutionType.NGO,
        name="Cities Alliance",
        slug="cities-alliance",
    )

    assert the_item(client, "/en/partners/cities-alliance/")["@type"] == "NGO"


def test_a_network_is_an_organization_listing_its_current_public_members(client):
    populate(3)  # City 002 left the network; Hidden City is a member and not public

    network = the_item(client, "/es/partners/al-las/")

    assert network["@type"] == "Organization"
    assert network["alternateName"] == ["AL-LAs"]
    assert [member["name"] for member in network["member"]] == ["City 000", "City 001"]
    assert network["member"][0] == {
        "@type": "GovernmentOrganization",
        "name": "City 000",
        "url": "http://testserver/es/partners/city-000/",
    }


def test_a_large_network_lists_the_members_its_page_shows(client):
    network = factories.make_network(name="Big network", slug="big")
    for i in range(55):
        factories.make_membership(
            member=factories.make_partner(name=f"Member {i:02d}"), network=network
        )

    members = the_item(client, "/es/partners/big/")["member"]

    assert [m["name"] for m in members] == [f"Member {i:02d}" for i in range(50)]


def test_a_resource_is_a_creative_work_with_its_language_publishers_and_themes(client):
    site = populate(3)
    site.resources[0].description = "Cómo planificar la acción internacional."
    site.resources[0].save()

    work = the_item(client, "/en/resources/guide-000/")

    assert work["@type"] == "CreativeWork"
    assert work["name"] == "Guide 000"
    assert work["description"] == "Cómo planificar la acción internacional."
    assert work["inLanguage"] == "es"
    assert work["datePublished"] == "2024-01-01"
    assert work["url"] == "http://testserver/en/resources/guide-000/"
    assert work["publisher"] == [
        {
            "@type": "GovernmentOrganization",
            "name": "City 000",
            "url": "http://testserver/en/partners/city-000/",
        }
    ]
    assert work["about"] == [{"@type": "Thing", "name": "Training"}]
    assert work["sameAs"] == site.resources[0].url


def test_a_resource_in_another_language_has_no_language_code(client):
    factories.make_resource(slug="quechua", language="other")

    assert "inLanguage" not in the_item(client, "/es/resources/quechua/")


def test_an_uploaded_file_is_the_creative_works_media(client):
    from django.core.files.base import ContentFile

    factories.make_resource(
        slug="toolkit", url="", file=ContentFile(b"%PDF-1.4\n", name="toolkit.pdf")
    )

    media = the_item(client, "/es/resources/toolkit/")["associatedMedia"]

    assert media["@type"] == "MediaObject"
    assert media["contentUrl"].startswith("http://testserver/media/")
    assert media["encodingFormat"] == "application/pdf"


def test_a_partner_that_is_not_public_never_appears_in_any_json_ld(client):
    """As a network's member, an activity's organiser, participant or host, a resource's
    publisher and a network of a public member."""
    site = populate(3)
    hidden = site.hidden["partner"]
    hidden_network = factories.make_network(
        name="Hidden network", slug="hidden-network", is_public=False
    )
    factories.make_membership(member=site.partners[0], network=hidden_network)
    activity = factories.make_activity(
        title="Hosted", slug="hosted", venue_partner=hidden, partners=[hidden, site.partners[1]]
    )
    Participation.objects.filter(activity=activity, partner=site.partners[1]).update(
        role=Participation.Role.CO_ORGANISER
    )
    site.resources[1].partners.add(hidden)

    pages = [*PUBLIC_PAGES, "/activities/hosted/"]
    items = [
        item for language in LANGUAGES for p in pages for item in json_ld(client, f"/{language}{p}")
    ]

    text = json.dumps(items)
    assert "Hidden" not in text and "hidden" not in text
    hosted = the_item(client, "/es/activities/hosted/")
    assert [o["name"] for o in hosted["organizer"]] == ["City 001"]
    assert hosted["location"] == {
        "@type": "Place",
        "name": "Chile",
        "address": {"@type": "PostalAddress", "addressCountry": "CL"},
    }


def test_json_ld_keeps_markup_in_a_name_inside_the_data(client):
    factories.make_partner(name="</script><script>alert(1)</script> & Co", slug="tricky")

    response = client.get("/es/partners/tricky/")

    assert b"</script><script>alert(1)" not in response.content
    assert the_item(client, "/es/partners/tricky/")["name"] == (
        "</script><script>alert(1)</script> & Co"
    )


def test_every_public_page_has_a_meta_description_of_its_own_in_its_language(client):
    populate(3)
    for language in LANGUAGES:
        descriptions = {url: read(client, f"/{language}{url}").description for url in PUBLIC_PAGES}
        assert all(descriptions.values()), descriptions
        # Page-specific: no two pages share one (city-001 and activity-001 have texts of their
        # own or a description naming them).
        assert len(set(descriptions.values())) == len(PUBLIC_PAGES), descriptions
        if language == "en":
            assert GENERIC_DESCRIPTION not in descriptions.values()


def test_a_description_in_another_language_says_so(client):
    populate(3)

    assert read(client, "/es/activities/activity-000/").description == "What activity 0 is about."
    assert read(client, "/en/activities/activity-000/").description == (
        "What activity 0 is about. (in Spanish)"
    )


def test_a_record_without_text_gets_a_description_naming_it(client):
    factories.make_partner(name="Morón", slug="moron", country="AR")
    factories.make_activity(
        title="Encuentro", slug="encuentro", starts_on=datetime.date(2024, 3, 1)
    )
    factories.make_resource(title="Guía", slug="guia")

    assert read(client, "/en/partners/moron/").description == (
        "Morón: City, Argentina. Its memberships, agreements and activities in the AL-LAs network."
    )
    assert read(client, "/en/activities/encuentro/").description.startswith(
        "Encuentro (in Spanish): Seminar or workshop of partners of the AL-LAs network, March 1, "
    )
    assert read(client, "/en/resources/guia/").description == (
        "Guía (in Spanish): Guide in the knowledge hub of the AL-LAs network."
    )


def test_the_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in response["Cache-Control"]


def test_the_web_manifest_names_the_site_and_its_icons_in_the_visitors_language(client):
    from django.contrib.staticfiles import finders

    response = client.get("/site.webmanifest", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "AL-LAs"
    assert manifest["start_url"] == "/fr/"
    assert manifest["display"] and manifest["theme_color"] == "#12355b"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_every_page_links_its_icons_and_manifest(client):
    links = read(client, "/es/").links

    rels = {link["rel"]: link["href"] for link in links if link["rel"] != "alternate"}
    assert rels["manifest"] == "/site.webmanifest"
    assert rels["apple-touch-icon"].endswith(".png")
    icons = [link for link in links if link["rel"] == "icon"]
    assert {link.get("type") for link in icons} >= {"image/svg+xml"}

"""Applicants' contact data never reaches a public page, feed, the map or the partner search,
whatever the state of their application; and a partner created from an application stays out
of public view until a coordinator makes it public."""

import datetime
import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from joining import links, services
from joining.models import Application
from opendata.tables import TABLES
from partners.models import Membership, Partner
from tests import factories

pytestmark = pytest.mark.django_db

Status = Application.Status
LANGUAGES = ["es", "pt", "fr", "en"]
# In every contact e-mail address and name below, in any case.
PROBES = ["public-probe", "publicprobe"]


def contact(n):
    return {
        "contact_name": f"Publicprobe Person{n}",
        "contact_role": f"Publicprobe officer {n}",
        "contact_email": f"person{n}.public-probe@example.org",
    }


@pytest.fixture
def applications(network, partner_a, coordinator):
    """One application of each state; the accepted ones went through the service, so their
    partner, membership, agreement and activity draft exist."""
    membership = factories.make_application(
        status=Status.RECEIVED,
        organisation_name="Câmara Municipal de Sondagem",
        official_name="Município de Sondagem",
        kind="city",
        country="PT",
        locality="Sondagem",
        language="pt",
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.PARTNER,
        **contact(1),
    )
    services.application_ask(application=membership, by=coordinator, question="Since when?")
    # Not the address: the applicant's page shows them their own answers.
    services.application_answer(application=membership, answer="Since 2020.")
    services.application_accept(
        application=membership, by=coordinator, decision=services.Acceptance()
    )
    agreement = factories.make_application(
        status=Status.UNDER_REVIEW,
        organisation_name="Rete di Sondaggio",
        kind="network",
        country="IT",
        proposal=Application.Proposal.AGREEMENT,
        proposal_title="Sondaggio agreement",
        **contact(2),
    )
    services.application_accept(
        application=agreement, by=coordinator, decision=services.Acceptance(counterpart=network)
    )
    activity = factories.make_application(
        status=Status.RECEIVED,
        organisation_name="Université de Sondage",
        kind="institution",
        institution_type="university",
        country="FR",
        locality="Sondage",
        language="fr",
        proposal=Application.Proposal.ACTIVITY,
        proposal_title="Séminaire de sondage",
        partner=partner_a,
        **contact(3),
    )
    services.application_accept(
        application=activity,
        by=coordinator,
        decision=services.Acceptance(starts_on=datetime.date.today() + datetime.timedelta(30)),
    )
    others = [
        factories.make_application(status=status, **contact(n))
        for n, status in enumerate(
            [Status.UNCONFIRMED, Status.RECEIVED, Status.UNDER_REVIEW, Status.DECLINED], start=4
        )
    ]
    return {
        "membership": Application.objects.get(pk=membership.pk),
        "agreement": Application.objects.get(pk=agreement.pk),
        "activity": Application.objects.get(pk=activity.pk),
        "others": others,
    }


def new_partner_urls(partner, language):
    """The pages of the partner created on acceptance: 404 until it is public."""
    with translation.override(language):
        return [
            reverse("partners:partner-detail", args=[partner.slug]),
            reverse("activities:feed-partner", args=[partner.slug]),
        ]


def public_urls(applications, language):
    """Every kind of public page, feed and data address, in ``language``."""
    with translation.override(language):
        urls = [
            reverse("home"),
            reverse("partners:partner-list"),
            reverse("partners:partner-list") + "?q=Sondagem",
            reverse("partners:partner-list") + "?network=al-las&role=partner",
            reverse("partners:agreement-list"),
            reverse("activities:activity-list"),
            reverse("activities:resource-list"),
            reverse("activities:feed-all"),
            reverse("partners:partner-detail", args=["al-las"]),
            reverse("partners:partner-detail", args=["montevideo"]),
            reverse("activities:feed-partner", args=["montevideo"]),
            reverse("joining:apply"),
            reverse("joining:sent"),
            reverse("joining:partner-search") + "?q=Sondagem",
            reverse("joining:partner-search") + "?q=Montevideo",
        ]
        # The downloads (the same in every language).
        urls += [reverse("data:table-csv", args=[table.name]) for table in TABLES]
        urls += [
            reverse(f"data:{name}") for name in ("partners-geojson", "datapackage", "catalogue")
        ]
        # Each applicant's own page, behind its signed link.
        urls += [urlsplit(links.status_url(a)).path for a in Application.objects.all()]
    return urls


def leaks(client, urls, *, status=200):
    """(url, probe) for every probe found in the response of every url, each of which must
    answer ``status`` (a page that fails shows nothing and proves nothing)."""
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == status, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode().lower()
        found += [(url, probe) for probe in PROBES if probe in text]
    return found


def test_the_search_finds_a_probe_on_a_page(client, applications):
    # Or the tests below could pass by looking at nothing.
    Partner.objects.filter(slug="montevideo").update(
        description_en="Write to person1.public-probe@example.org."
    )

    assert leaks(client, ["/en/partners/montevideo/"]) == [
        ("/en/partners/montevideo/", "public-probe")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_shows_an_applicants_contact_data(client, applications, language):
    partner = applications["membership"].partner

    assert leaks(client, public_urls(applications, language)) == []
    assert leaks(client, new_partner_urls(partner, language), status=404) == []


def test_no_public_page_shows_it_once_the_new_partner_and_its_records_are_public(
    client, applications
):
    partner = applications["membership"].partner
    partner.is_public = True
    partner.latitude, partner.longitude = 40.2, -8.4
    partner.save()
    agreement = applications["agreement"].agreement
    agreement.is_public = True
    agreement.save()

    for language in LANGUAGES:
        assert leaks(client, public_urls(applications, language)) == []
        assert leaks(client, new_partner_urls(partner, language)) == []
    assert leaks(client, [agreement.get_absolute_url()]) == []


def directory_slugs(client):
    response = client.get(reverse("partners:partner-list"))
    return {partner.slug for partner in response.context["page_obj"]}


def map_slugs(client):
    response = client.get(reverse("data:partners-geojson"))
    features = json.loads(b"".join(response.streaming_content))["features"]
    return {feature["properties"]["slug"] for feature in features}


def test_a_partner_created_from_an_application_is_public_only_once_a_coordinator_says_so(
    client, applications, network
):
    partner = applications["membership"].partner
    assert partner.is_public is False
    assert partner.name == "Câmara Municipal de Sondagem"
    assert Membership.objects.get(member=partner, network=network).role == "partner"
    # As a coordinator would, before making it public: where it is.
    partner.latitude, partner.longitude = 40.2, -8.4
    partner.save()
    public_before = Partner.objects.public().count()

    assert partner.slug not in directory_slugs(client)
    assert partner.slug not in map_slugs(client)
    assert client.get("/en/").context["figures"]["partners"] == public_before
    assert client.get(partner.get_absolute_url()).status_code == 404
    assert "Sondagem" not in client.get(network.get_absolute_url()).content.decode()

    partner.is_public = True
    partner.save()

    assert partner.slug in directory_slugs(client)
    assert partner.slug in map_slugs(client)
    assert client.get("/en/").context["figures"]["partners"] == public_before + 1
    profile = client.get(partner.get_absolute_url())
    assert profile.status_code == 200
    assert [m.network for m in profile.context["memberships"]] == [network]
    # And the network's page lists it among its members.
    assert "Câmara Municipal de Sondagem" in client.get(network.get_absolute_url()).content.decode()

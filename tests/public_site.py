"""A small network for the public-site tests: ``populate(n)`` makes n public partners, n
activities, n agreements and n resources, plus one hidden record of each kind that must never
show (their names all contain "Hidden")."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from activities.models import Activity, Participation
from partners.models import Agreement, Partner
from tests import factories

COUNTRIES = ["UY", "EC", "AR", "BR", "CO", "PE", "MX", "FR", "ES"]
COORDINATES = {
    "UY": (-34.90, -56.19),
    "EC": (-0.18, -78.47),
    "AR": (-34.65, -58.62),
    "BR": (-19.92, -43.94),
    "CO": (6.24, -75.58),
    "PE": (-12.05, -77.04),
    "MX": (19.43, -99.13),
    "FR": (48.86, 2.35),
    "ES": (37.39, -5.98),
}


@dataclass
class Site:
    network: Partner
    partners: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    agreements: list = field(default_factory=list)
    resources: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    hidden: dict = field(default_factory=dict)


def populate(n=3, *, today=None):
    today = today or timezone.localdate()
    themes = [
        factories.make_theme(
            slug="training",
            name_es="Formación",
            name_pt="Formação",
            name_fr="Formation",
            name_en="Training",
        ),
        factories.make_theme(
            slug="lobbying",
            name_es="Incidencia",
            name_pt="Incidência",
            name_fr="Plaidoyer",
            name_en="Lobbying",
        ),
    ]
    network = factories.make_network(
        name="Alianza Euro-Latinoamericana de Cooperación entre Ciudades",
        short_name="AL-LAs",
        slug="al-las",
        country="MX",
        latitude=19.43,
        longitude=-99.13,
    )
    site = Site(network=network, themes=themes)
    for i in range(n):
        country = COUNTRIES[i % len(COUNTRIES)]
        lat, lng = COORDINATES[country]
        partner = factories.make_partner(
            name=f"City {i:03d}",
            slug=f"city-{i:03d}",
            country=country,
            locality=f"Town {i}",
            latitude=lat + i * 0.01,
            longitude=lng,
        )
        site.partners.append(partner)
        factories.make_membership(
            member=partner,
            network=network,
            role="coordinator" if i == 0 else "partner",
            joined_on=datetime.date(2013, 5, 1),
            left_on=datetime.date(2016, 1, 1) if i % 3 == 2 else None,
        )
    hidden_partner = factories.make_partner(
        name="Hidden City", slug="hidden-city", country="CL", is_public=False
    )
    factories.make_membership(member=hidden_partner, network=network)
    site.hidden["partner"] = hidden_partner

    for i in range(n):
        organiser = site.partners[i % n]
        guest = site.partners[(i + 1) % n]
        kind = Activity.Kind.TRAINING if i % 2 == 0 else Activity.Kind.SEMINAR
        starts_on = today + datetime.timedelta(days=30 * (i - n // 2))
        activity = factories.make_activity(
            title=f"Activity {i:03d}",
            slug=f"activity-{i:03d}",
            kind=kind,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=1),
            venue_type=Activity.VenueType.CITY,
            venue_partner=organiser,
            summary=f"What activity {i} is about.",
            partners=[organiser, guest] if guest != organiser else [organiser],
        )
        activity.themes.set([themes[i % 2]])
        site.activities.append(activity)
    draft = factories.make_activity(
        title="Hidden draft activity",
        slug="hidden-draft",
        status=Activity.Status.DRAFT,
        partners=[site.partners[0]],
    )
    draft.themes.set(themes)
    Participation.objects.create(activity=site.activities[0], partner=hidden_partner, attendees=7)
    site.hidden["activity"] = draft

    for i in range(n):
        agreement = factories.make_agreement(
            title=f"Agreement {i:03d}",
            slug=f"agreement-{i:03d}",
            parties=[site.partners[i % n], network],
            proposed_on=datetime.date(2013, 6, 1),
            status=Agreement.Status.IN_FORCE if i % 2 == 0 else Agreement.Status.PROPOSED,
            signed_on=datetime.date(2014, 1, 1) if i % 2 == 0 else None,
            step_note="Hidden internal note",
        )
        site.agreements.append(agreement)
    site.hidden["agreement"] = factories.make_agreement(
        title="Hidden agreement",
        slug="hidden-agreement",
        parties=[site.partners[0], network],
        is_public=False,
    )

    for i in range(n):
        resource = factories.make_resource(
            title=f"Guide {i:03d}",
            slug=f"guide-{i:03d}",
            language="es" if i % 2 == 0 else "en",
        )
        resource.themes.set([themes[i % 2]])
        resource.activities.set([site.activities[i]])
        resource.partners.set([site.partners[i]])
        site.resources.append(resource)
    site.hidden["resource"] = factories.make_resource(
        title="Hidden resource", slug="hidden-resource", is_public=False
    )
    return site

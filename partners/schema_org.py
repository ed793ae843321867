"""schema.org descriptions of partners, for search engines and other readers of linked data
(JSON-LD in the profile's head, rendered by ``allas.templatetags.structured_data``).

Built from what the page already holds: a partner, its memberships and a network's shown
members, fetched by the view. No function here runs a query, so the JSON-LD costs no more
queries than the page, whatever the network's size. Only public records are given: the callers
pass memberships of public networks and members that are public, as the page shows them.

``absolute`` turns a path into an absolute address (``request.build_absolute_uri``): schema.org
readers take the JSON-LD out of its page, so relative addresses would lose their site.
"""

from allas.translation import columns
from partners.models import Partner

SCHEMA_ORG = "https://schema.org"

# The most precise schema.org type of each kind of organisation, all of them Organization.
INSTITUTION_TYPES = {
    Partner.InstitutionType.UNIVERSITY: "CollegeOrUniversity",
    Partner.InstitutionType.THINK_TANK: "ResearchOrganization",
    Partner.InstitutionType.NGO: "NGO",
}


def organization_type(partner):
    """GovernmentOrganization for a city (a local government), a subtype of Organization for
    some institutions, Organization otherwise."""
    if partner.kind == Partner.Kind.CITY:
        return "GovernmentOrganization"
    if partner.kind == Partner.Kind.INSTITUTION:
        return INSTITUTION_TYPES.get(partner.institution_type, "Organization")
    return "Organization"


def organization_reference(partner, absolute):
    """A partner named inside another item (a network's member, an event's organiser): its
    type, name and the address of its profile."""
    return {
        "@type": organization_type(partner),
        "name": partner.local_name,
        "url": absolute(partner.get_absolute_url()),
    }


def alternate_names(partner):
    """The partner's other names: its own name and acronym and its official names and acronyms
    in each language, without the one given as ``name`` and without repeats (from its columns,
    no query)."""
    main = partner.local_name
    names = [partner.name, partner.short_name]
    for field in ("official_name", "official_short_name"):
        names += [getattr(partner, column) for column in columns(field)]
    seen = {main}
    others = []
    for name in names:
        if name and name not in seen:
            seen.add(name)
            others.append(name)
    return others


def partner_json_ld(partner, *, absolute, memberships=(), members=()):
    """The profile of ``partner`` as a schema.org Organization (GovernmentOrganization for a
    city). ``memberships``: the partner's memberships of public networks (current and past:
    only the current ones become ``memberOf``); ``members``: the memberships of the public
    members the page shows, for a network (``member``)."""
    data = {
        "@context": SCHEMA_ORG,
        "@type": organization_type(partner),
        "name": partner.local_name,
        "url": absolute(partner.get_absolute_url()),
    }
    alternates = alternate_names(partner)
    if alternates:
        data["alternateName"] = alternates
    if partner.description:
        # The page's language, else the original one (the page says which; here a note would
        # only be noise in the text).
        data["description"] = str(partner.description)
    if partner.logo:
        data["logo"] = absolute(partner.logo.url)
    same_as = [url for url in (partner.wikidata_url, partner.website) if url]
    if same_as:
        data["sameAs"] = same_as
    address = {"@type": "PostalAddress", "addressCountry": partner.country.code}
    if partner.locality:
        address["addressLocality"] = partner.locality
    data["address"] = address
    if partner.latitude is not None and partner.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(partner.latitude),
            "longitude": float(partner.longitude),
        }
    networks = [
        organization_reference(membership.network, absolute)
        for membership in memberships
        if membership.is_current and membership.network.is_public
    ]
    if networks:
        data["memberOf"] = networks
    if partner.kind == Partner.Kind.NETWORK:
        shown = [
            organization_reference(membership.member, absolute)
            for membership in members
            if membership.member.is_public
        ]
        if shown:
            data["member"] = shown
    return data

"""schema.org descriptions of activities (Event) and of the knowledge hub's resources
(CreativeWork), as JSON-LD in the head of their pages (``allas.templatetags.structured_data``).

Built from what the detail views already fetched (the activity with its venue, the public
organisers, the public publishers, the themes): no function here runs a query. Only what the
page shows: a partner that is not public is never named, not even as a venue.

``absolute`` turns a path into an absolute address (``request.build_absolute_uri``).
"""

import mimetypes

from activities.models import Activity, Resource
from partners.schema_org import SCHEMA_ORG, organization_reference

EVENT_STATUS = {
    Activity.Status.PUBLISHED: f"{SCHEMA_ORG}/EventScheduled",
    Activity.Status.CANCELLED: f"{SCHEMA_ORG}/EventCancelled",
}
OFFLINE = f"{SCHEMA_ORG}/OfflineEventAttendanceMode"
ONLINE = f"{SCHEMA_ORG}/OnlineEventAttendanceMode"
MIXED = f"{SCHEMA_ORG}/MixedEventAttendanceMode"


def attendance_mode(activity):
    """Online for an activity held online; mixed for a hybrid training held at a place;
    offline otherwise."""
    if activity.venue_type == Activity.VenueType.ONLINE:
        return ONLINE
    if activity.format == Activity.Format.HYBRID:
        return MIXED
    return OFFLINE


def place(activity):
    """The Place where the activity is held, with the address the page gives: a public host
    city by name, a host city that is not public by its country only, another place by its
    name and country."""
    city = activity.venue_partner if activity.venue_type == Activity.VenueType.CITY else None
    if city is not None:
        address = {"@type": "PostalAddress", "addressCountry": city.country.code}
        if not city.is_public:
            return {"@type": "Place", "name": city.country.name, "address": address}
        address["addressLocality"] = city.locality or city.local_name
        data = {"@type": "Place", "name": city.local_name, "address": address}
        if city.latitude is not None and city.longitude is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(city.latitude),
                "longitude": float(city.longitude),
            }
        return data
    name = str(activity.venue_name)
    country = activity.venue_country
    data = {"@type": "Place", "name": name or (country.name if country else "")}
    if country:
        data["address"] = {"@type": "PostalAddress", "addressCountry": country.code}
    elif name:
        data["address"] = name  # schema.org takes an address as text too
    return data


def event_json_ld(activity, *, absolute, organisers=()):
    """``activity`` as a schema.org Event. ``organisers``: its participations with a public
    partner in an organising role (the page's ``organisers``).

    An online activity has no joining address in our records, so its VirtualLocation is the
    activity's page, where the organisers' details are."""
    url = absolute(activity.get_absolute_url())
    data = {
        "@context": SCHEMA_ORG,
        "@type": "Event",
        "name": str(activity.title),
        "url": url,
        "startDate": activity.starts_on.isoformat(),
        "endDate": (activity.ends_on or activity.starts_on).isoformat(),
        "eventStatus": EVENT_STATUS.get(activity.status, EVENT_STATUS[Activity.Status.PUBLISHED]),
        "eventAttendanceMode": attendance_mode(activity),
        "inLanguage": activity.original_language,
    }
    text = activity.summary or activity.description
    if text:
        data["description"] = str(text)
    virtual = {"@type": "VirtualLocation", "url": url}
    mode = data["eventAttendanceMode"]
    if mode == ONLINE:
        data["location"] = virtual
    elif mode == MIXED:
        data["location"] = [place(activity), virtual]
    else:
        data["location"] = place(activity)
    public = [link.partner for link in organisers if link.partner.is_public]
    if public:
        data["organizer"] = [organization_reference(partner, absolute) for partner in public]
    return data


def creative_work_json_ld(resource, *, absolute, publishers=(), themes=()):
    """``resource`` as a schema.org CreativeWork. ``publishers``: its public partners;
    ``themes``: its themes (``about``).

    ``url`` is the resource's page on this site; an uploaded file is its ``associatedMedia``
    (with the file's ``contentUrl``), and a link to the work elsewhere its ``sameAs``."""
    data = {
        "@context": SCHEMA_ORG,
        "@type": "CreativeWork",
        "name": str(resource.title),
        "url": absolute(resource.get_absolute_url()),
    }
    if resource.description:
        data["description"] = str(resource.description)
    if resource.language and resource.language != Resource.Language.OTHER:
        data["inLanguage"] = resource.language
    if resource.published_on:
        data["datePublished"] = resource.published_on.isoformat()
    public = [partner for partner in publishers if partner.is_public]
    if public:
        data["publisher"] = [organization_reference(partner, absolute) for partner in public]
    if themes:
        data["about"] = [{"@type": "Thing", "name": str(theme.name)} for theme in themes]
    if resource.file:
        media = {"@type": "MediaObject", "contentUrl": absolute(resource.file.url)}
        encoding, _compression = mimetypes.guess_type(resource.file.name)
        if encoding:
            media["encodingFormat"] = encoding
        data["associatedMedia"] = media
    if resource.url:
        data["sameAs"] = resource.url
    return data

"""iCalendar feeds (RFC 5545) of visible activities: all, per partner and per theme.

Each event's UID is ``activity-<pk>@<host of SITE_URL>``, the same in every language and on every
download, so calendar clients update events instead of duplicating them. Cancelled activities
that had been published stay in the feed with STATUS:CANCELLED so clients remove them.
"""

import datetime
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from activities import ical
from activities.models import Activity
from allas.cache import cache_public_page, versioned
from allas.translation import with_language_note
from partners.models import Partner, Theme

FEED_MAX_EVENTS = 500
FEED_PAST_DAYS = 365


def uid_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def venue_text(activity):
    """The place of an activity as plain text, naming a host city only when it is public."""
    if activity.venue_type == Activity.VenueType.ONLINE:
        return _("Online")
    if activity.venue_type == Activity.VenueType.CITY and activity.venue_partner_id:
        city = activity.venue_partner
        if city.is_public:
            return f"{city.local_name}, {city.country.name}"
        return city.country.name
    return ", ".join(x for x in [activity.venue_name, activity.venue_country.name] if x)


def activity_event(activity, host, url_pattern):
    """One VEVENT, as bytes. ``url_pattern``: an activity's address with ``--slug--`` for its
    slug (reversed once per feed rather than once per event)."""
    url = url_pattern.replace("--slug--", activity.slug)
    cancelled = activity.status == Activity.Status.CANCELLED
    # All-day events end on the day after the last day (DTEND is exclusive).
    last_day = activity.ends_on or activity.starts_on
    # Each text in the page's language or, where missing, in the original one: RFC 5545's
    # LANGUAGE parameter says which, and a note in the text says it to the reader.
    title, summary = activity.title, activity.summary
    return ical.component(
        "VEVENT",
        [
            ("UID", ical.text(f"activity-{activity.pk}@{host}")),
            ("DTSTAMP", ical.utc_datetime(activity.updated_at)),
            ("LAST-MODIFIED", ical.utc_datetime(activity.updated_at)),
            ("DTSTART;VALUE=DATE", ical.date(activity.starts_on)),
            ("DTEND;VALUE=DATE", ical.date(last_day + datetime.timedelta(days=1))),
            (f"SUMMARY;LANGUAGE={title.language}", ical.text(with_language_note(title))),
            (
                f"DESCRIPTION;LANGUAGE={summary.language}",
                ical.text("\n\n".join(x for x in [with_language_note(summary), url] if x)),
            ),
            ("LOCATION", ical.text(venue_text(activity))),
            ("URL", url),
            ("CATEGORIES", ical.text(activity.get_kind_display())),
            ("STATUS", "CANCELLED" if cancelled else "CONFIRMED"),
            ("TRANSP", "TRANSPARENT"),
        ],
    )


def calendar_body(activities, *, name, url_pattern):
    """The whole calendar as bytes, in the active language."""
    description = _(
        "Upcoming activities and those of the last 12 months (at most %(n)s events). "
        "Older activities are on the website."
    ) % {"n": FEED_MAX_EVENTS}
    header = [
        ("PRODID", "-//AL-LAs Network//Activities//EN"),
        ("VERSION", "2.0"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", ical.text(name)),
        ("X-WR-CALDESC", ical.text(description)),
        ("X-WR-TIMEZONE", ical.text(timezone.get_default_timezone_name())),
    ]
    host = uid_host()
    window = activities.calendar_window(FEED_MAX_EVENTS, FEED_PAST_DAYS)
    events = (activity_event(a, host, url_pattern) for a in window)
    return ical.component("VCALENDAR", header, events)


def calendar_response(request, activities, *, name, filename):
    """The calendar, written once per language, day and address of the site until an edit
    touches what it read (``versioned``): with or without the page cache, a feed's events are
    read and written once, however many clients poll it."""
    url_pattern = request.build_absolute_uri(
        reverse("activities:activity-detail", kwargs={"slug": "--slug--"})
    )
    address = hashlib.sha256(url_pattern.encode()).hexdigest()[:16]
    window = f"{FEED_MAX_EVENTS}-{FEED_PAST_DAYS}"  # a new release may change them
    key = f"calendar:{filename}:{get_language()}:{timezone.localdate()}:{window}:{address}"
    body = versioned(
        key, lambda: calendar_body(activities, name=str(name), url_pattern=url_pattern)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


def feed_activities():
    return Activity.objects.visible().for_calendar()


@require_safe
@cache_public_page
def feed_all(request):
    return calendar_response(
        request,
        feed_activities(),
        name=_("AL-LAs Network: activities"),
        filename="allas-activities",
    )


@require_safe
@cache_public_page
def feed_partner(request, slug):
    partner = get_object_or_404(Partner.objects.public(), slug=slug)
    return calendar_response(
        request,
        feed_activities().for_partner(partner),
        name=_("AL-LAs Network: activities of %(partner)s") % {"partner": partner.display_name},
        filename=f"allas-{partner.slug}",
    )


@require_safe
@cache_public_page
def feed_theme(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    return calendar_response(
        request,
        feed_activities().with_theme(theme),
        name=_("AL-LAs Network: %(theme)s") % {"theme": theme.name},
        filename=f"allas-theme-{theme.slug}",
    )

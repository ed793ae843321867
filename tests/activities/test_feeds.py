"""iCalendar feeds, parsed back with the icalendar library."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from activities import feeds
from tests import factories
from tests.public_site import populate

pytestmark = pytest.mark.django_db


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_of_all_activities_has_each_visible_activity_once(client, settings):
    settings.SITE_URL = "https://allas.example.org"
    site = populate(3)
    events = parse(client.get("/es/calendar/activities.ics"))
    assert set(events) == {f"activity-{a.pk}@allas.example.org" for a in site.activities}


def test_an_event_has_dates_location_summary_description_and_a_link_back(client, settings):
    settings.SITE_URL = "https://allas.example.org"
    city = factories.make_partner(name="Montevideo", slug="mvd", country="UY")
    activity = factories.make_activity(
        original_language="en",
        title="Strategy seminar",
        summary="How cities plan their international action.",
        starts_on=days_from_today(-40),
        ends_on=days_from_today(-38),
        venue_type="city",
        venue_partner=city,
        partners=[city],
    )
    event = parse(client.get("/en/calendar/activities.ics"))[
        f"activity-{activity.pk}@allas.example.org"
    ]
    assert event.decoded("DTSTART") == days_from_today(-40)
    assert event.decoded("DTEND") == days_from_today(-37)  # exclusive end
    assert str(event["SUMMARY"]) == "Strategy seminar"
    assert str(event["LOCATION"]) == "Montevideo, Uruguay"
    assert str(event["URL"]) == f"http://testserver/en/activities/{activity.slug}/"
    assert "How cities plan" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.get("DTSTAMP")


def test_a_one_day_activity_ends_the_next_day(client):
    activity = factories.make_activity(starts_on=days_from_today(10))
    event = next(iter(parse(client.get("/en/calendar/activities.ics")).values()))
    assert event.decoded("DTEND") == days_from_today(11)
    assert activity.ends_on is None


def test_the_uid_is_the_same_in_every_language_and_on_every_download(client):
    populate(3)
    es = set(parse(client.get("/es/calendar/activities.ics")))
    pt = set(parse(client.get("/pt/calendar/activities.ics")))
    assert es == pt == set(parse(client.get("/es/calendar/activities.ics")))


def test_the_partner_feed_has_only_the_partners_activities(client):
    site = populate(4)
    events = parse(client.get("/es/calendar/partners/city-000.ics"))
    # City 000 organised activity 000 and joined activity 003.
    expected = {site.activities[0].pk, site.activities[3].pk}
    assert {int(uid.split("@")[0].split("-")[1]) for uid in events} == expected


def test_the_theme_feed_has_only_the_themes_activities(client):
    site = populate(4)
    events = parse(client.get("/es/calendar/themes/lobbying.ics"))
    expected = {a.pk for a in site.activities if a.themes.filter(slug="lobbying").exists()}
    assert {int(uid.split("@")[0].split("-")[1]) for uid in events} == expected


def test_drafts_never_reach_a_feed_and_a_cancelled_activity_is_marked_cancelled(client):
    site = populate(3)
    cancelled = factories.make_activity(
        title="Called off", status="cancelled", starts_on=days_from_today(5)
    )
    cancelled.themes.add(site.themes[0])
    for url in [
        "/es/calendar/activities.ics",
        "/es/calendar/partners/city-000.ics",
        "/es/calendar/themes/training.ics",
        "/es/calendar/themes/lobbying.ics",
    ]:
        response = client.get(url)
        assert b"Hidden" not in response.content, url
    events = parse(client.get("/es/calendar/activities.ics"))
    assert (
        str(events[next(u for u in events if u.startswith(f"activity-{cancelled.pk}@"))]["STATUS"])
        == "CANCELLED"
    )


def test_the_feed_of_a_hidden_partner_or_unknown_theme_is_404(client):
    populate(3)
    assert client.get("/es/calendar/partners/hidden-city.ics").status_code == 404
    assert client.get("/es/calendar/themes/unknown.ics").status_code == 404


@pytest.mark.parametrize("rows", [3, 60])
def test_feeds_take_the_same_number_of_queries_for_few_and_many_activities(
    client, django_assert_num_queries, rows
):
    """Prevents N+1: three queries for the events, starting, running and recent (plus one for
    the partner or theme)."""
    populate(rows)
    for url, expected in [
        ("/es/calendar/activities.ics", 3),
        ("/es/calendar/partners/city-001.ics", 4),
        ("/es/calendar/themes/training.ics", 4),
    ]:
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_a_feed_holds_upcoming_activities_and_those_of_the_last_twelve_months_only(client):
    old = factories.make_activity(title="Old", slug="old", starts_on=days_from_today(-400))
    recent = factories.make_activity(title="Recent", slug="recent", starts_on=days_from_today(-300))
    ongoing = factories.make_activity(
        title="Ongoing", slug="ongoing", starts_on=days_from_today(-2), ends_on=days_from_today(2)
    )
    future = factories.make_activity(title="Future", slug="future", starts_on=days_from_today(500))
    response = client.get("/en/calendar/activities.ics")
    events = parse(response)
    assert {int(uid.split("@")[0].split("-")[1]) for uid in events} == {
        recent.pk,
        ongoing.pk,
        future.pk,
    }
    assert old.pk
    calendar = Calendar.from_ical(response.content)
    assert "last 12 months" in str(calendar["X-WR-CALDESC"])


def test_a_feed_keeps_the_soonest_upcoming_activities_when_there_are_too_many(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_MAX_EVENTS", 3)
    past = factories.make_activity(title="Past", slug="past", starts_on=days_from_today(-3))
    soon = [
        factories.make_activity(title=f"Soon {i}", slug=f"soon-{i}", starts_on=days_from_today(i))
        for i in range(1, 5)
    ]
    events = parse(client.get("/en/calendar/activities.ics"))
    assert {int(uid.split("@")[0].split("-")[1]) for uid in events} == {a.pk for a in soon[:3]}
    assert past.pk
    monkeypatch.setattr(feeds, "FEED_MAX_EVENTS", 5)
    events = parse(client.get("/en/calendar/activities.ics"))
    assert len(events) == 5  # room left for the recent past one


def test_soonest_puts_activities_running_today_first_and_keeps_the_limit():
    from activities.models import Activity

    running = factories.make_activity(
        title="Running", starts_on=days_from_today(-30), ends_on=days_from_today(30)
    )
    today = factories.make_activity(title="Today", starts_on=days_from_today(0))
    later = [factories.make_activity(starts_on=days_from_today(i)) for i in range(1, 4)]
    factories.make_activity(
        title="Over", starts_on=days_from_today(-5), ends_on=days_from_today(-1)
    )
    factories.make_activity(title="Draft", status="draft", starts_on=days_from_today(1))
    visible = Activity.objects.visible()
    assert visible.soonest(3) == [running, today, later[0]]
    assert visible.soonest(10) == [running, today, *later]
    assert set(visible.past()) == set(visible) - set(visible.soonest(10))


def test_a_feed_is_written_once_until_a_record_changes(client, django_assert_num_queries):
    """Without the page cache too (the tests run with it off): the calendar's events are read
    and written once per content version, language and day; an edit shows at once."""
    activity = factories.make_activity(title="Seminar", starts_on=days_from_today(3))
    first = client.get("/en/calendar/activities.ics")
    with django_assert_num_queries(0):
        again = client.get("/en/calendar/activities.ics")
    assert again.content == first.content
    assert len(parse(client.get("/es/calendar/activities.ics"))) == 1  # its own language

    activity.title_en = "Renamed seminar"
    activity.save()
    [event] = parse(client.get("/en/calendar/activities.ics")).values()
    assert "Renamed seminar" in str(event["SUMMARY"])

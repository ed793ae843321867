"""The rules of activities, participations and resources, at the database (a direct write
fails, naming the rule) and in validation (the rule's message)."""

import datetime

import pytest

from activities.models import Activity, Participation, Resource
from tests.db_rules import assert_db_refuses, assert_refused
from tests.factories import make_activity, make_partner

D = datetime.date


def activity(**fields):
    values = {
        "title": "X",
        "slug": "x",
        "kind": Activity.Kind.SEMINAR,
        "starts_on": D(2024, 1, 10),
        "venue_type": Activity.VenueType.ONLINE,
    }
    values.update(fields)
    return Activity(**values)


@pytest.mark.django_db
def test_an_activity_cannot_end_before_it_starts():
    assert_refused(
        "activities_activity_ends_after_start",
        lambda: activity(ends_on=D(2024, 1, 9)),
        "The end date cannot be before the start date.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hours, message",
    [
        (0, "Ensure this value is greater than or equal to 0.5."),
        (-2, "Ensure this value is greater than or equal to 0.5."),
        (501, "Ensure this value is less than or equal to 500."),
    ],
)
def test_training_hours_out_of_range_are_refused(hours, message):
    assert_refused(
        "activities_activity_hours_range",
        lambda: activity(kind=Activity.Kind.TRAINING, hours=hours, format="online"),
        message,
    )


@pytest.mark.django_db
def test_only_trainings_carry_hours_and_format():
    rule = "activities_activity_training_fields_only_for_trainings"
    assert_refused(rule, lambda: activity(hours=3), "Only trainings have hours; leave it empty.")
    assert_refused(
        rule, lambda: activity(format="online"), "Only trainings have a format; leave it empty."
    )


@pytest.mark.django_db
def test_a_city_venue_needs_the_city_and_a_place_needs_its_name():
    assert_refused(
        "activities_activity_city_venue_has_city",
        lambda: activity(venue_type=Activity.VenueType.CITY),
        "Choose the partner city that hosts the activity.",
    )
    assert_refused(
        "activities_activity_place_venue_has_name",
        lambda: activity(venue_type=Activity.VenueType.PLACE),
        "Name the place where the activity happens.",
    )


@pytest.mark.django_db
def test_a_published_activity_has_its_publication_date_in_the_database():
    item = activity(status=Activity.Status.PUBLISHED)
    item.save()
    assert_db_refuses(
        "activities_activity_published_has_date",
        lambda: Activity.objects.filter(pk=item.pk).update(published_at=None),
    )


@pytest.mark.django_db
def test_publishing_records_the_date_and_cancelling_keeps_it_visible():
    item = activity(status=Activity.Status.PUBLISHED)
    item.full_clean()
    item.save()
    assert item.published_at is not None
    item.status = Activity.Status.CANCELLED
    item.save()
    assert Activity.objects.visible().filter(pk=item.pk).exists()

    never_published = activity(slug="draft-then-cancelled", status=Activity.Status.CANCELLED)
    never_published.save()
    assert not Activity.objects.visible().filter(pk=never_published.pk).exists()


@pytest.mark.django_db
def test_a_partner_appears_once_per_activity():
    partner = make_partner()
    item = make_activity(partners=[partner])
    assert_refused(
        "activities_participation_unique", lambda: Participation(activity=item, partner=partner)
    )


@pytest.mark.django_db
def test_attendee_counts_have_a_ceiling():
    item = make_activity()
    assert_refused(
        "activities_participation_attendees_range",
        lambda: Participation(activity=item, partner=make_partner(), attendees=1_000_000),
        "Ensure this value is less than or equal to 100000.",
    )


@pytest.mark.django_db
def test_a_resource_needs_a_file_or_a_link():
    assert_refused(
        "activities_resource_file_or_link", lambda: Resource(title="X", slug="x", kind="guide")
    )

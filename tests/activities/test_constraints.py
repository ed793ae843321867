import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import Activity, Participation, Resource
from tests.factories import make_activity, make_partner

D = datetime.date


def assert_db_refuses(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


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
    assert_db_refuses(activity(ends_on=D(2024, 1, 9)).save)
    with pytest.raises(ValidationError, match="cannot be before the start date"):
        activity(ends_on=D(2024, 1, 9)).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("hours", [0, -2, 501])
def test_training_hours_out_of_range_are_refused(hours):
    training = activity(kind=Activity.Kind.TRAINING, hours=hours, format="online")
    assert_db_refuses(training.save)
    with pytest.raises(ValidationError):
        activity(kind=Activity.Kind.TRAINING, hours=hours, format="online").full_clean()


@pytest.mark.django_db
def test_only_trainings_carry_hours_and_format():
    assert_db_refuses(activity(hours=3).save)
    with pytest.raises(ValidationError, match="Only trainings have hours"):
        activity(hours=3).full_clean()


@pytest.mark.django_db
def test_a_city_venue_needs_the_city_and_a_place_needs_its_name():
    assert_db_refuses(activity(venue_type=Activity.VenueType.CITY).save)
    assert_db_refuses(activity(slug="y", venue_type=Activity.VenueType.PLACE).save)
    with pytest.raises(ValidationError, match="partner city"):
        activity(venue_type=Activity.VenueType.CITY).full_clean()
    with pytest.raises(ValidationError, match="Name the place"):
        activity(venue_type=Activity.VenueType.PLACE).full_clean()


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
    assert_db_refuses(lambda: Participation.objects.create(activity=item, partner=partner))


@pytest.mark.django_db
def test_attendee_counts_have_a_ceiling():
    item = make_activity()
    assert_db_refuses(
        lambda: Participation.objects.create(
            activity=item, partner=make_partner(), attendees=1_000_000
        )
    )


@pytest.mark.django_db
def test_a_resource_needs_a_file_or_a_link():
    assert_db_refuses(lambda: Resource.objects.create(title="X", slug="x", kind="guide"))
    with pytest.raises(ValidationError, match="Upload a file or give a link"):
        Resource(title="X", slug="x", kind="guide").full_clean()

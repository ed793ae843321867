"""The daily retention command: unconfirmed applications expire, closed ones lose their contact
person's data after JOINING_RETENTION_DAYS, and a second run finds nothing to do."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from joining.models import Application, Message
from joining.services import abandon_unconfirmed, erase_expired
from partners.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

Status = Application.Status


def retention(*args):
    out = io.StringIO()
    call_command("joining_retention", *args, stdout=out)
    return out.getvalue().strip()


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def closed(status, *, days_ago, **fields):
    """An application closed ``days_ago`` days ago."""
    return factories.make_application(status=status, closed_at=ago(days=days_ago), **fields)


def unconfirmed(*, hours_ago):
    application = factories.make_application()
    Application.objects.filter(pk=application.pk).update(submitted_at=ago(hours=hours_ago))
    return application


def erased(application):
    application.refresh_from_db()
    return application.personal_data_erased


def test_the_command_abandons_expired_unconfirmed_applications_and_erases_old_closed_ones():
    expired = [unconfirmed(hours_ago=73), unconfirmed(hours_ago=100)]
    fresh = unconfirmed(hours_ago=71)
    old = [closed(status, days_ago=200) for status in (Status.DECLINED, Status.ABANDONED)]
    old.append(closed(Status.ACCEPTED, days_ago=181, partner=factories.make_partner()))

    assert retention() == (
        "2 unconfirmed applications abandoned; 3 applications' personal data erased."
    )

    for application in expired:
        application.refresh_from_db()
        assert application.status == Status.ABANDONED
        assert application.closed_at is not None
        # Just abandoned: its retention period starts now.
        assert not application.personal_data_erased
    fresh.refresh_from_db()
    assert fresh.status == Status.UNCONFIRMED
    assert all(erased(application) for application in old)


def test_a_second_run_does_nothing():
    unconfirmed(hours_ago=80)
    closed(Status.DECLINED, days_ago=190)
    retention()

    assert retention() == (
        "0 unconfirmed applications abandoned; 0 applications' personal data erased."
    )


def test_one_of_each_is_said_in_the_singular():
    unconfirmed(hours_ago=80)
    closed(Status.DECLINED, days_ago=190)

    assert (
        retention() == "1 unconfirmed application abandoned; 1 application's personal data erased."
    )


def test_a_dry_run_counts_and_changes_nothing():
    application = unconfirmed(hours_ago=80)
    declined = closed(Status.DECLINED, days_ago=190)

    assert retention("--dry-run") == (
        "Dry run: 1 unconfirmed application would be abandoned; "
        "1 application's personal data would be erased."
    )
    application.refresh_from_db()
    assert application.status == Status.UNCONFIRMED
    assert not erased(declined)


def test_an_application_closed_179_days_ago_keeps_its_data_and_one_closed_181_days_ago_loses_it():
    kept = closed(Status.DECLINED, days_ago=179)
    gone = closed(Status.DECLINED, days_ago=181)

    retention()

    assert not erased(kept)
    assert kept.contact_email
    assert erased(gone)


def test_the_retention_period_is_a_setting(settings):
    settings.JOINING_RETENTION_DAYS = 30
    settings.JOINING_CONFIRMATION_HOURS = 1
    application = unconfirmed(hours_ago=2)
    declined = closed(Status.DECLINED, days_ago=31)

    retention()

    application.refresh_from_db()
    assert application.status == Status.ABANDONED
    assert erased(declined)


def test_open_applications_are_never_erased_however_old():
    old = ago(days=1000)
    received = factories.make_application(status=Status.RECEIVED, confirmed_at=old)
    under_review = factories.make_application(status=Status.UNDER_REVIEW, confirmed_at=old)
    Application.objects.update(submitted_at=old)

    assert erase_expired(now=timezone.now() + datetime.timedelta(days=1000)) == 0
    retention()

    assert not erased(received)
    assert not erased(under_review)


def test_the_services_take_the_moment_to_judge_from():
    application = factories.make_application()
    later = timezone.now() + datetime.timedelta(hours=73)

    assert abandon_unconfirmed(now=later) == 1
    # Abandoned "later", so still within its retention period until later + 180 days.
    assert erase_expired(now=later + datetime.timedelta(days=179)) == 0
    assert erase_expired(now=later + datetime.timedelta(days=181)) == 1
    assert erased(application)


def test_erasure_keeps_the_organisation_the_proposal_and_the_reference(network, coordinator):
    partner = factories.make_partner(name="Comune di Prova", slug="comune-di-prova")
    membership = factories.make_membership(member=partner, network=network)
    application = closed(
        Status.ACCEPTED,
        days_ago=181,
        organisation_name="Comune di Prova",
        official_name="Comune di Prova (ente locale)",
        kind="city",
        country="IT",
        locality="Prova",
        website="https://prova.example.org/",
        proposal=Application.Proposal.MEMBERSHIP,
        network=network,
        role=Membership.Role.PARTNER,
        motivation="We share the network's aims.",
        partner=partner,
        membership=membership,
        decided_by=coordinator,
        note="Called them in March.",
    )
    question = Message.objects.create(
        application=application, direction=Message.Direction.QUESTION, body="Which office?"
    )
    answer = Message.objects.create(
        application=application,
        direction=Message.Direction.ANSWER,
        body="The international relations office, write to me at maria@prova.example.org.",
    )
    before = Application.objects.values().get(pk=application.pk)

    retention()

    after = Application.objects.values().get(pk=application.pk)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"contact_name", "contact_role", "contact_email", "personal_data_erased_at"}
    assert after["contact_name"] == after["contact_role"] == after["contact_email"] == ""
    assert after["reference"] == application.reference
    # The applicant's own words are blanked; the network's question stays.
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.body == ""
    assert question.body == "Which office?"
    # The partner record and what acceptance created stand as they were.
    assert Membership.objects.filter(pk=membership.pk, member=partner).exists()

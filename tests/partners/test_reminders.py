"""send_agreement_reminders: coordinators hear once about each agreement needing action."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from partners.models import Agreement, AgreementReminder
from partners.services import agreement_change_status, agreement_create
from tests import factories

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def run(*args):
    out = StringIO()
    call_command("send_agreement_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def in_force(title, ends_on):
    agreement = factories.make_agreement(
        title=title,
        status=Agreement.Status.IN_FORCE,
        signed_on=days(-400),
        starts_on=days(-400),
        ends_on=ends_on,
    )
    return agreement


def waiting(title, since):
    agreement = agreement_create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        kind="mou",
        on=since - datetime.timedelta(days=5),
        parties=[(factories.make_partner(), "signatory"), (factories.make_partner(), "signatory")],
    )
    agreement_change_status(agreement=agreement, to_status="under_evaluation", on=since)
    return agreement


@pytest.fixture
def coordinators(coordinator):
    no_email = factories.make_coordinator("no_email")
    no_email.email = ""
    no_email.save()
    retired = factories.make_coordinator("retired")
    retired.is_active = False
    retired.save()
    factories.make_user("not_a_coordinator", is_staff=True)
    return [coordinator]


def test_it_emails_coordinators_about_agreements_ending_soon(coordinators, settings):
    settings.AGREEMENT_REMINDER_DAYS_BEFORE_END = 30
    in_force("Ends soon", days(20))
    in_force("Ends later", days(45))
    in_force("Already over", days(-1))

    output = run()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinator@example.org"]
    assert "Ends soon" in message.body
    assert "Ends later" not in message.body
    assert "Already over" not in message.body
    assert "Ends soon" in output


def test_it_emails_about_agreements_waiting_too_long(coordinators):
    waiting("Stuck one", days(-100))
    waiting("Fresh one", days(-10))

    run("--stuck-after-days", "90")

    assert len(mail.outbox) == 1
    assert "Stuck one" in mail.outbox[0].body
    assert "Fresh one" not in mail.outbox[0].body


def test_the_waiting_time_counts_from_the_last_change_into_the_status(coordinators):
    agreement = waiting("Back and forth", days(-200))
    agreement_change_status(agreement=agreement, to_status="negotiation", on=days(-150))
    agreement_change_status(agreement=agreement, to_status="under_evaluation", on=days(-20))

    run("--stuck-after-days", "90")

    assert mail.outbox == []


def test_it_sends_nothing_twice(coordinators):
    in_force("Ends soon", days(10))
    waiting("Stuck one", days(-100))

    run("--days-before-end", "30", "--stuck-after-days", "90")
    output = run("--days-before-end", "30", "--stuck-after-days", "90")

    assert len(mail.outbox) == 1
    assert AgreementReminder.objects.count() == 2
    assert "No new reminders" in output


def test_a_new_end_date_gives_a_new_reminder(coordinators):
    agreement = in_force("Extended", days(10))
    run("--days-before-end", "30")

    agreement.ends_on = days(25)
    agreement.save()
    run("--days-before-end", "30")

    assert len(mail.outbox) == 2
    assert set(AgreementReminder.objects.values_list("event_date", flat=True)) == {
        days(10),
        days(25),
    }


def test_a_dry_run_prints_and_sends_nothing(coordinators):
    in_force("Ends soon", days(10))

    output = run("--days-before-end", "30", "--dry-run")

    assert mail.outbox == []
    assert not AgreementReminder.objects.exists()
    assert "Ends soon" in output
    assert "coordinator@example.org" in output


def test_without_a_coordinator_to_write_to_nothing_is_recorded(db):
    in_force("Ends soon", days(10))

    run("--days-before-end", "30")

    assert mail.outbox == []
    assert not AgreementReminder.objects.exists()


def test_negative_options_are_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--days-before-end", "-1")


def test_a_failed_send_records_nothing_so_the_next_run_tries_again(coordinators, monkeypatch):
    in_force("Ends soon", days(20))

    def fail(self, *args, **kwargs):
        raise ConnectionError("SMTP server unreachable")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", fail)
        with pytest.raises(ConnectionError):
            run()
    assert not AgreementReminder.objects.exists()

    run()
    assert len(mail.outbox) == 1
    assert AgreementReminder.objects.count() == 1


def test_a_reminder_claimed_by_an_overlapping_run_is_not_sent_again(coordinators, monkeypatch):
    """Another run records the reminder between this run's check and its claim."""
    agreement = in_force("Ends soon", days(20))
    from partners.management.commands import send_agreement_reminders as command

    claim = command.Command._claim

    def claimed_meanwhile(self, agreement_, reason, date, **kwargs):
        AgreementReminder.objects.get_or_create(
            agreement=agreement_, reason=reason, event_date=date
        )
        return claim(self, agreement_, reason, date, **kwargs)

    monkeypatch.setattr(command.Command, "_claim", claimed_meanwhile)

    assert "No new reminders" in run()
    assert mail.outbox == []
    assert AgreementReminder.objects.filter(agreement=agreement).count() == 1

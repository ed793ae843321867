"""E-mail the coordinators about agreements that need action; meant for a daily scheduler.

    python manage.py send_agreement_reminders [--days-before-end N] [--stuck-after-days M]
                                              [--dry-run]

Each reminder is recorded in AgreementReminder (agreement, reason, event date), so running the
command again the same day, or every day, sends nothing twice; a new end date or a new status
makes a new event and a new reminder.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from allas.roles import coordinators
from allas.translation import with_language_note
from partners.models import Agreement, AgreementReminder


class Command(BaseCommand):
    help = "E-mail coordinators about agreements ending soon or waiting too long (once each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before-end",
            type=int,
            default=settings.AGREEMENT_REMINDER_DAYS_BEFORE_END,
            help="Remind about agreements ending within this many days (default: %(default)s).",
        )
        parser.add_argument(
            "--stuck-after-days",
            type=int,
            default=settings.AGREEMENT_STUCK_AFTER_DAYS,
            help="Remind about agreements under evaluation or in negotiation for longer than "
            "this many days (default: %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send nothing."
        )

    def handle(self, *args, days_before_end, stuck_after_days, dry_run, **options):
        if days_before_end < 0 or stuck_after_days < 0:
            raise CommandError("--days-before-end and --stuck-after-days must be 0 or more.")
        with translation.override(settings.LANGUAGE_CODE):
            return self._run(days_before_end, stuck_after_days, dry_run)

    def _run(self, days_before_end, stuck_after_days, dry_run):
        today = timezone.localdate()
        due = [
            (agreement, AgreementReminder.Reason.ENDING, agreement.ends_on)
            for agreement in Agreement.objects.ending_soon(within_days=days_before_end, today=today)
        ] + [
            (agreement, AgreementReminder.Reason.STUCK, agreement.entered_on)
            for agreement in Agreement.objects.stuck(after_days=stuck_after_days, today=today)
        ]
        already = set(
            AgreementReminder.objects.filter(
                agreement__in=[agreement for agreement, _reason, _date in due]
            ).values_list("agreement_id", "reason", "event_date")
        )
        new = [item for item in due if (item[0].pk, item[1], item[2]) not in already]
        if not new:
            self.stdout.write("No new reminders.")
            return

        recipients = list(
            coordinators()
            .exclude(email="")
            .order_by("email")
            .values_list("email", flat=True)
            .distinct()
        )
        lines = [self._line(agreement, reason, date, today) for agreement, reason, date in new]
        if dry_run:
            self.stdout.write(f"Dry run: would e-mail {', '.join(recipients) or 'nobody'}:")
            for line in lines:
                self.stdout.write(f"  {line}")
            return
        if not recipients:
            self.stderr.write(
                "No active coordinator has an e-mail address; nothing sent. "
                "Add one in the admin (Users, group Coordinators)."
            )
            return

        # Claim each reminder (its unique row) and send in the same transaction: a run that
        # overlaps this one waits on the claimed rows and skips them, so no reminder goes out
        # twice; if sending fails, the claims roll back and tomorrow's run tries again.
        with transaction.atomic():
            new = [item for item in new if self._claim(*item, recipients=recipients)]
            if not new:
                self.stdout.write("No new reminders.")
                return
            lines = [self._line(agreement, reason, date, today) for agreement, reason, date in new]
            subject = _("AL-LAs agreements: %(count)s need attention") % {"count": len(new)}
            body = "\n".join(
                [_("These partnership agreements need a coordinator's attention:"), ""]
                + [f"- {line}" for line in lines]
                + ["", _("You receive this as a coordinator of the AL-LAs Network.")]
            )
            EmailMessage(subject, body, to=recipients).send()
        self.stdout.write(f"Sent 1 e-mail to {', '.join(recipients)} about {len(new)} agreements:")
        for line in lines:
            self.stdout.write(f"  {line}")

    def _claim(self, agreement, reason, date, *, recipients):
        """Record the reminder; False when another run recorded it first."""
        try:
            with transaction.atomic():
                AgreementReminder.objects.create(
                    agreement=agreement,
                    reason=reason,
                    event_date=date,
                    recipients=", ".join(recipients),
                )
        except IntegrityError:
            return False
        return True

    def _line(self, agreement, reason, date, today):
        if reason == AgreementReminder.Reason.ENDING:
            text = _("“%(title)s” (%(status)s) ends on %(date)s, in %(days)s days.") % {
                "title": with_language_note(agreement.title),
                "status": agreement.get_status_display(),
                "date": date.isoformat(),
                "days": (date - today).days,
            }
        else:
            text = _("“%(title)s” has been “%(status)s” since %(date)s (%(days)s days).") % {
                "title": with_language_note(agreement.title),
                "status": agreement.get_status_display(),
                "date": date.isoformat(),
                "days": (today - date).days,
            }
        link = _admin_link(agreement)
        return f"{text} {link}" if link else text


def _admin_link(agreement):
    try:
        path = reverse("admin:partners_agreement_change", args=[agreement.pk])
    except NoReverseMatch:
        return ""
    return f"{settings.SITE_URL}{path}"

"""Apply the retention rules of applications; meant for a daily scheduler.

    python manage.py joining_retention [--dry-run]

Unconfirmed applications whose link expired (JOINING_CONFIRMATION_HOURS) become abandoned, and
the contact person's data of applications closed more than JOINING_RETENTION_DAYS ago is
erased (joining.services.abandon_unconfirmed and erase_expired). Running it again the same day
finds nothing left to do.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from joining import services
from joining.models import Application


class Command(BaseCommand):
    help = (
        "Abandon applications never confirmed and erase the personal data of applications "
        "closed longer than the retention period. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print how many would change; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        if dry_run:
            abandoned, erased = self._due(now)
            self.stdout.write(
                f"Dry run: {_applications(abandoned, 'unconfirmed')} would be abandoned; "
                f"{_personal_data(erased)} would be erased."
            )
            return
        abandoned = services.abandon_unconfirmed(now=now)
        erased = services.erase_expired(now=now)
        self.stdout.write(
            f"{_applications(abandoned, 'unconfirmed')} abandoned; {_personal_data(erased)} erased."
        )

    def _due(self, now):
        """What a real run would count: the same QuerySets as the services. An application
        abandoned now is closed now, so a real run would not erase it the same day."""
        expired = now - datetime.timedelta(hours=settings.JOINING_CONFIRMATION_HOURS)
        retained = now - datetime.timedelta(days=settings.JOINING_RETENTION_DAYS)
        return (
            Application.objects.unconfirmed_since(expired).count(),
            Application.objects.closed_before(retained).count(),
        )


def _applications(n, adjective):
    return f"{n} {adjective} application{'' if n == 1 else 's'}"


def _personal_data(n):
    return f"{n} application's personal data" if n == 1 else f"{n} applications' personal data"

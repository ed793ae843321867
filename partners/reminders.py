"""Agreements that need a coordinator's action: ending soon, or waiting too long.

Used by the daily ``send_agreement_reminders`` command and the coordinator dashboard.
"""

import datetime

from django.conf import settings
from django.db.models import DateField, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from partners.models import Agreement, AgreementStatusChange

ENDING_STATUSES = [Agreement.Status.SIGNED, Agreement.Status.IN_FORCE]
WAITING_STATUSES = [Agreement.Status.UNDER_EVALUATION, Agreement.Status.NEGOTIATION]


def agreements_ending(*, within_days=None, today=None):
    """Signed or in-force agreements whose end date falls in the next ``within_days`` days
    (today included), soonest first."""
    today = today or timezone.localdate()
    if within_days is None:
        within_days = settings.AGREEMENT_REMINDER_DAYS_BEFORE_END
    return Agreement.objects.filter(
        status__in=ENDING_STATUSES,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=within_days),
    ).order_by("ends_on", "title")


def agreements_stuck(*, after_days=None, today=None):
    """Agreements under evaluation or in negotiation for more than ``after_days`` days,
    counted from their last change into that status (or the proposal date when no change
    was recorded). Annotated with ``entered_on``; one query."""
    today = today or timezone.localdate()
    if after_days is None:
        after_days = settings.AGREEMENT_STUCK_AFTER_DAYS
    entered = (
        AgreementStatusChange.objects.filter(agreement=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-changed_on", "-recorded_at")
        .values("changed_on")[:1]
    )
    return (
        Agreement.objects.filter(status__in=WAITING_STATUSES)
        .annotate(
            entered_on=Coalesce(
                Subquery(entered, output_field=DateField()),
                "proposed_on",
                TruncDate("created_at"),
                output_field=DateField(),
            )
        )
        .filter(entered_on__lt=today - datetime.timedelta(days=after_days))
        .order_by("entered_on", "title")
    )

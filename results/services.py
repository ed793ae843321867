"""Writing the results: closing a period once reported (its figures frozen) and reopening it.

Both are recorded in the period's history (who and when), and the reported figures keep their
own history, so a reopened period's earlier report can still be read.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from results import measures
from results.models import Indicator, Period, ReportedFigure
from results.progress import status_of


@transaction.atomic
def period_close(*, period: Period, by=None, today=None) -> Period:
    """Freeze the period's figures as reported today: for each indicator its baseline, target,
    actual and status (from every record, and from public records only). Later edits of the
    records change the live figures, never these."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise ValidationError(_("This period is closed already."), code="closed")
    today = today or timezone.localdate()
    elapsed = period.elapsed_share(today)
    targets = {target.indicator_id: target for target in period.targets.all()}
    figures = []
    for indicator in Indicator.objects.in_plan_order():
        target = targets.get(indicator.pk)
        if indicator.is_computed:
            actual = measures.compute(indicator, period)
            public_actual = measures.compute(indicator, period, public=True)
        else:
            actual = public_actual = target.actual if target else None
        target_value = target.value if target else None
        figures.append(
            ReportedFigure(
                period=period,
                indicator=indicator,
                baseline=indicator.baseline,
                target=target_value,
                actual=actual,
                public_actual=public_actual,
                status=status_of(indicator, actual=actual, target=target_value, elapsed=elapsed),
                public_status=status_of(
                    indicator, actual=public_actual, target=target_value, elapsed=elapsed
                ),
            )
        )
    for figure in figures:
        # One by one, not bulk_create: each figure gets its history row.
        figure.full_clean(validate_unique=False)
        figure.save()
    period.closed_at = timezone.now()
    period.closed_by = by
    period.save()
    return period


@transaction.atomic
def period_reopen(*, period: Period, by=None) -> Period:
    """Open a closed period again (to correct a reported figure): its reported figures are
    removed, their history keeps them, and the period's history says who reopened it."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.is_closed:
        raise ValidationError(_("This period is open."), code="open")
    for figure in period.reported_figures.all():
        figure.delete()
    period.closed_at = None
    period.closed_by = None
    # simple-history's documented attributes: the reason and author of this history row.
    period._change_reason = _("Reopened")
    if by is not None:
        period._history_user = by
    period.save()
    return period

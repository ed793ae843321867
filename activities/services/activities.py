"""Activities written by staff (a training logged with its partners, an edit) and published or
cancelled by coordinators."""

from django.db import transaction
from django.utils.translation import gettext as _

from activities import review
from activities.models import Activity, Participation
from activities.services.records import (
    PARTNER_STAFF_STATUSES,
    ActivityError,
    ParticipationRow,
    check_partner_staff_status,
    check_rows,
    pick_editable,
    record_proposal,
    save_activity,
    unique_slug,
    validate_activity,
)
from allas.roles import is_coordinator
from partners.models import Partner

SLUG_MAX_LENGTH = Activity._meta.get_field("slug").max_length


def activity_slug(title, starts_on) -> str:
    """A unique slug from the title (in the original language) and the date:
    "training-on-lobbying-2024-03-01", then -2…"""
    return unique_slug(
        f"{title} {starts_on.isoformat() if starts_on else ''}",
        Activity.objects.all(),
        max_length=SLUG_MAX_LENGTH,
        default="activity",
    )


@transaction.atomic
def activity_log(
    *,
    by,
    organiser,
    fields: dict,
    themes=(),
    participations=(),
    organiser_attendees: int = 0,
    kind: str = Activity.Kind.TRAINING,
    status: str = Activity.Status.DRAFT,
) -> Activity:
    """Record a new activity (a training by default) with its participating partners.

    ``organiser`` is the staff member's organisation; it becomes the organiser. ``participations``
    are ``ParticipationRow`` for the other partners. Validates everything before writing and
    raises ``ActivityError`` with per-field messages; nothing is saved unless all of it is valid.
    """
    check_partner_staff_status(status)
    rows = [ParticipationRow(organiser, Participation.Role.ORGANISER, organiser_attendees)]
    rows += list(participations)
    check_rows(rows)
    activity = Activity(kind=kind, status=status, created_by=by, **pick_editable(fields))
    activity.slug = activity_slug(activity.text_in_original_language("title"), activity.starts_on)
    return save_activity(activity, themes=themes, rows=rows)


@transaction.atomic
def activity_update(
    *, activity: Activity, by, fields: dict, themes=(), participations=(), status=None
) -> Activity:
    """Change an activity and replace its participating partners, all or nothing.

    ``status`` may move a draft to submitted (or back); a published or cancelled record keeps
    its status, which only coordinators change. Staff (``by`` not a coordinator) must keep
    one of their organisations organising, and may not remove or demote another
    organisation's organiser row. On a record the public sees, staff's change is not applied
    but proposed (see the module's docstring). The activity returned carries
    ``pending_change``: the ``ProposedChange`` waiting for review, or None when applied.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    rows = list(participations)
    check_rows(rows)
    if not rows:
        raise ActivityError({"participations": _("List at least one partner.")})
    staff = not is_coordinator(by)
    if staff:
        _check_organisers(activity, rows, by)
    if staff and activity.is_visible:
        return _propose_activity_change(activity, by=by, fields=fields, themes=themes, rows=rows)
    for name, value in pick_editable(fields).items():
        setattr(activity, name, value)
    if status is not None and activity.status in PARTNER_STAFF_STATUSES:
        check_partner_staff_status(status)
        activity.status = status
    activity = save_activity(activity, themes=themes, rows=rows)
    activity.pending_change = None
    return activity


def _check_organisers(activity, rows, by):
    """Staff keep their own organisation organising and leave other organisers in place:
    an organiser stays organiser, a co-organiser stays organising."""
    own_ids = set(Partner.objects.kept_by(by).values_list("pk", flat=True))
    wanted = {row.partner.pk: row.role for row in rows}
    organising = Participation.ORGANISING_ROLES
    for existing in activity.participations.select_related("partner"):
        if existing.partner_id in own_ids or existing.role not in organising:
            continue
        role = wanted.get(existing.partner_id)
        kept = role == Participation.Role.ORGANISER or (
            role in organising and existing.role == Participation.Role.CO_ORGANISER
        )
        if not kept:
            raise ActivityError(
                {
                    "participations": _(
                        "%(partner)s is %(role)s of this record: only a coordinator can "
                        "remove it or change its role."
                    )
                    % {
                        "partner": existing.partner.display_name,
                        "role": existing.get_role_display().lower(),
                    }
                }
            )
    if not any(wanted.get(pk) in organising for pk in own_ids):
        raise ActivityError(
            {
                "participations": _(
                    "Keep one of your organisations as organiser or co-organiser: only "
                    "organisers change a record."
                )
            }
        )


def _propose_activity_change(activity, *, by, fields, themes, rows):
    base = review.activity_snapshot(activity)
    for name, value in pick_editable(fields).items():
        setattr(activity, name, value)
    validate_activity(activity, rows)
    proposed = review.activity_snapshot(activity, themes=themes, rows=rows)
    live = Activity.objects.get(pk=activity.pk)
    live.pending_change = record_proposal({"activity": live}, by=by, base=base, proposed=proposed)
    return live


def activity_publish(*, activity: Activity, by) -> bool:
    """Publish ``activity``: visitors see it from now on (``published_at`` keeps the first
    publication). False when it was already published. One save, so the change lands in the
    history as ``by``'s."""
    return _set_status(activity, Activity.Status.PUBLISHED, by=by)


def activity_cancel(*, activity: Activity, by) -> bool:
    """Cancel ``activity``; if it had been published it stays visible, shown as cancelled.
    False when it was already cancelled."""
    return _set_status(activity, Activity.Status.CANCELLED, by=by)


def _set_status(activity, status, *, by):
    if activity.status == status:
        return False
    activity.status = status
    activity._history_user = by
    # Activity.save() sets published_at on the first publication.
    activity.save(update_fields=["status", "published_at", "updated_at"])
    return True

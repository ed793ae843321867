"""A coordinator's decision on a proposed change: approving applies what the staff member
changed to the live record, rejecting keeps the record and tells them why."""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities import review
from activities.models import Activity, ProposedChange, Resource
from activities.services.records import (
    ActivityError,
    ParticipationRow,
    ReviewError,
    decide,
    save_activity,
)
from partners.models import Partner, Theme


def _pending_for_update(change):
    change = ProposedChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise ReviewError(
            _("This change was already decided (%(status)s).")
            % {"status": change.get_status_display().lower()}
        )
    return change


@transaction.atomic
def change_approve(*, change: ProposedChange, by, note: str = "") -> ProposedChange:
    """Apply what the staff member changed to the live record (only the parts they changed:
    a coordinator's edit made meanwhile to other fields stays) and close the proposal."""
    change = _pending_for_update(change)
    proposer = change.proposed_by
    reason = _("Change proposed by %(user)s on %(date)s, approved") % {
        "user": proposer.get_username() if proposer else "?",
        "date": f"{change.proposed_at:%Y-%m-%d}",
    }
    if change.activity_id:
        _apply_activity_change(change, by=by, reason=reason)
    else:
        _apply_resource_change(change, by=by, reason=reason)
    return decide(change, by=by, status=ProposedChange.Status.APPROVED, note=note)


@transaction.atomic
def change_reject(*, change: ProposedChange, by, note: str) -> ProposedChange:
    """Close the proposal without touching the record; ``note`` tells the staff member why."""
    change = _pending_for_update(change)
    return decide(change, by=by, status=ProposedChange.Status.REJECTED, note=note.strip())


def _apply_activity_change(change, *, by, reason):
    activity = Activity.objects.select_for_update().get(pk=change.activity_id)
    changed = {key for key, _name in review.changed_keys(change.base, change.proposed)}
    proposed = change.proposed
    for key, name in review.changed_keys(change.base, change.proposed):
        if key == "fields":
            value = review.field_value(Activity, name, proposed["fields"][name])
            field = Activity._meta.get_field(name)
            setattr(activity, field.attname, value)
    themes = (
        Theme.objects.filter(pk__in=proposed["themes"])
        if "themes" in changed
        else activity.themes.all()
    )
    if "participations" in changed:
        partners = Partner.objects.in_bulk([pk for pk, _role, _n in proposed["participations"]])
        rows = [
            ParticipationRow(partners[pk], role, attendees)
            for pk, role, attendees in proposed["participations"]
            if pk in partners
        ]
    else:
        rows = [
            ParticipationRow(p.partner, p.role, p.attendees)
            for p in activity.participations.select_related("partner")
        ]
    activity._history_user = by
    activity._change_reason = reason
    try:
        save_activity(activity, themes=list(themes), rows=rows)
    except ActivityError as error:
        raise ReviewError(error.errors) from error


def _apply_resource_change(change, *, by, reason):
    resource = Resource.objects.select_for_update().get(pk=change.resource_id)
    changed = {key for key, _name in review.changed_keys(change.base, change.proposed)}
    proposed = change.proposed
    for key, name in review.changed_keys(change.base, change.proposed):
        if key == "fields":
            setattr(resource, name, review.field_value(Resource, name, proposed["fields"][name]))
    if "file" in changed:
        if proposed["file"] and change.file:
            # A copy under the resource's own folder: the proposal keeps its file, private.
            with change.file.open("rb") as content:
                resource.file.save(os.path.basename(change.file.name), content, save=False)
        else:
            resource.file = ""
    resource._history_user = by
    resource._change_reason = reason
    try:
        resource.full_clean()
    except ValidationError as error:
        raise ReviewError(error.message_dict) from error
    resource.save()
    if "themes" in changed:
        resource.themes.set(Theme.objects.filter(pk__in=proposed["themes"]))
    if "activities" in changed:
        resource.activities.set(Activity.objects.filter(pk__in=proposed["activities"]))

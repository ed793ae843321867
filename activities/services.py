"""Writes on activities, the only way the app changes them: a training logged with its
participants, an activity published or cancelled by a coordinator (``activity_publish``,
``activity_cancel``: the admin's actions call them), the resources staff add to the knowledge
hub, and the review of staff edits to public records.

Staff edits to a draft or submitted record apply at once (nobody outside sees it). An edit to
a record the public already sees becomes a ``ProposedChange``: the public page keeps the
approved version until a coordinator approves (``change_approve``) or rejects
(``change_reject``) it, with a note the staff member reads in the staff area.
"""

import itertools
import os
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activities import review
from activities.models import Activity, Participation, ProposedChange, Resource
from activities.permissions import is_coordinator, staff_partners
from partners.models import Partner, Theme

SLUG_MAX_LENGTH = Activity._meta.get_field("slug").max_length


class ActivityError(Exception):
    """A record that cannot be saved as given; ``errors`` maps field names to messages."""

    def __init__(self, errors):
        self.errors = errors if isinstance(errors, dict) else {NON_FIELD_ERRORS: [errors]}
        super().__init__(
            " ".join(str(m) for messages in self.errors.values() for m in _as_list(messages))
        )


def _as_list(messages):
    return messages if isinstance(messages, list | tuple) else [messages]


@dataclass(frozen=True)
class ParticipationRow:
    partner: object
    role: str
    attendees: int


# What staff may set; status and publication stay with coordinators.
EDITABLE_FIELDS = review.ACTIVITY_FIELDS
STAFF_STATUSES = [Activity.Status.DRAFT, Activity.Status.SUBMITTED]


def activity_slug(title, starts_on) -> str:
    """A unique slug from the title and the date: "training-on-lobbying-2024-03-01", then -2, -3…

    One query per candidate; candidates are tried until one is free.
    """
    base = slugify(f"{title} {starts_on.isoformat() if starts_on else ''}") or "activity"
    base = base[: SLUG_MAX_LENGTH - 6].strip("-")
    for n in itertools.count(1):
        candidate = base if n == 1 else f"{base}-{n}"
        if not Activity.objects.filter(slug=candidate).exists():
            return candidate
    raise AssertionError("unreachable")


def _check_rows(rows):
    """Each partner once (a repeat would otherwise be merged into one participation)."""
    repeats = Participation.repeats([row.partner for row in rows])
    if repeats:
        partner = rows[repeats[0]].partner
        raise ActivityError(
            {
                "participations": _("%(partner)s is already listed; give each partner one row.")
                % {"partner": partner}
            }
        )


def _validate(activity, rows):
    try:
        activity.full_clean(exclude=["slug"] if not activity.slug else None)
    except ValidationError as error:
        raise ActivityError(error.message_dict) from error
    for row in rows:
        participation = Participation(
            activity=activity, partner=row.partner, role=row.role, attendees=row.attendees
        )
        try:
            participation.full_clean(exclude=["activity"], validate_unique=False)
        except ValidationError as error:
            raise ActivityError(
                {"participations": f"{row.partner}: {' '.join(error.messages)}"}
            ) from error


def _save(activity, *, themes, rows):
    _validate(activity, rows)
    try:
        # A savepoint, so a refusal by the database (a slug taken by a save at the same
        # moment) becomes a message rather than a broken transaction.
        with transaction.atomic():
            activity.save()
    except IntegrityError as error:
        raise ActivityError(
            _("Another record was saved at the same moment; save again, please.")
        ) from error
    activity.themes.set(themes)
    _replace_participations(activity, rows)
    return activity


def _replace_participations(activity, rows):
    """Bring the activity's participations in line with ``rows``: unchanged rows are left
    alone, changed ones updated, missing ones deleted, so the change history shows only real
    changes. One save per changed row (history needs the model signals)."""
    existing = {p.partner_id: p for p in activity.participations.all()}
    wanted = {row.partner.pk: row for row in rows}
    for partner_id, participation in existing.items():
        if partner_id not in wanted:
            participation.delete()
    for partner_id, row in wanted.items():
        participation = existing.get(partner_id)
        if participation is None:
            Participation.objects.create(
                activity=activity, partner=row.partner, role=row.role, attendees=row.attendees
            )
        elif (participation.role, participation.attendees) != (row.role, row.attendees):
            participation.role = row.role
            participation.attendees = row.attendees
            participation.save(update_fields=["role", "attendees"])


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
    if status not in STAFF_STATUSES:
        raise ActivityError(_("Staff save drafts or submit; coordinators publish."))
    rows = [ParticipationRow(organiser, Participation.Role.ORGANISER, organiser_attendees)]
    rows += list(participations)
    _check_rows(rows)
    activity = Activity(kind=kind, status=status, created_by=by, **_pick(fields))
    activity.slug = activity_slug(activity.title, activity.starts_on)
    return _save(activity, themes=themes, rows=rows)


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
    _check_rows(rows)
    if not rows:
        raise ActivityError({"participations": _("List at least one partner.")})
    staff = not is_coordinator(by)
    if staff:
        _check_organisers(activity, rows, by)
    if staff and activity.is_visible:
        return _propose_activity_change(activity, by=by, fields=fields, themes=themes, rows=rows)
    for name, value in _pick(fields).items():
        setattr(activity, name, value)
    if status is not None and activity.status in STAFF_STATUSES:
        if status not in STAFF_STATUSES:
            raise ActivityError(_("Staff save drafts or submit; coordinators publish."))
        activity.status = status
    activity = _save(activity, themes=themes, rows=rows)
    activity.pending_change = None
    return activity


# --- Publication, by coordinators ---------------------------------------------------------


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


def _check_organisers(activity, rows, by):
    """Staff keep their own organisation organising and leave other organisers in place:
    an organiser stays organiser, a co-organiser stays organising."""
    own_ids = set(staff_partners(by).values_list("pk", flat=True))
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
    for name, value in _pick(fields).items():
        setattr(activity, name, value)
    _validate(activity, rows)
    proposed = review.activity_snapshot(activity, themes=themes, rows=rows)
    live = Activity.objects.get(pk=activity.pk)
    live.pending_change = _record_proposal({"activity": live}, by=by, base=base, proposed=proposed)
    return live


def _record_proposal(record, *, by, base, proposed, file=None):
    """Create or replace the record's pending change; a proposal equal to the live record
    withdraws it. Returns the pending change, or None."""
    pending = ProposedChange.objects.select_for_update().pending().filter(**record).first()
    if base == proposed:
        if pending is not None:
            _decide(pending, by=by, status=ProposedChange.Status.WITHDRAWN)
        return None
    change = pending or ProposedChange(**record)
    change.base, change.proposed = base, proposed
    change.proposed_by, change.proposed_at = by, timezone.now()
    if file is not None:
        change.file.save(os.path.basename(file.name), file, save=False)
        proposed["file"] = change.file.name
    elif pending is not None and proposed.get("file") == base.get("file"):
        change.file = ""  # an earlier proposal's file is no longer proposed
    try:
        change.full_clean()
        with transaction.atomic():
            change.save()
    except (ValidationError, IntegrityError) as error:
        raise ActivityError(
            _("Another change was proposed at the same moment; save again, please.")
        ) from error
    return change


# --- Review of proposed changes, by coordinators ------------------------------------------


class ReviewError(ActivityError):
    """A proposed change that cannot be approved or rejected as asked."""


def _decide(change, *, by, status, note=""):
    change.status, change.note = status, note
    change.decided_by, change.decided_at = by, timezone.now()
    try:
        change.full_clean()
    except ValidationError as error:
        raise ReviewError(error.message_dict) from error
    change.save()
    return change


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
    return _decide(change, by=by, status=ProposedChange.Status.APPROVED, note=note)


@transaction.atomic
def change_reject(*, change: ProposedChange, by, note: str) -> ProposedChange:
    """Close the proposal without touching the record; ``note`` tells the staff member why."""
    change = _pending_for_update(change)
    return _decide(change, by=by, status=ProposedChange.Status.REJECTED, note=note.strip())


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
        _save(activity, themes=list(themes), rows=rows)
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


def _pick(fields):
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable by staff: {', '.join(sorted(unknown))}")
    return dict(fields)


# --- Resources of the knowledge hub, written by staff -------------------------------------

RESOURCE_SLUG_MAX_LENGTH = Resource._meta.get_field("slug").max_length
# What staff may set on a resource; publication (is_public) stays with coordinators.
RESOURCE_EDITABLE_FIELDS = [
    "title",
    "kind",
    "description",
    "file",
    "url",
    "language",
    "published_on",
]


class ResourceError(ActivityError):
    """A resource that cannot be saved as given; ``errors`` maps field names to messages."""


def resource_slug(title, *, exclude_pk=None) -> str:
    """A unique slug from the title: "toolkit-on-climate", then -2, -3… (one query each)."""
    base = slugify(title) or "resource"
    base = base[: RESOURCE_SLUG_MAX_LENGTH - 6].strip("-") or "resource"
    taken = Resource.objects.exclude(pk=exclude_pk) if exclude_pk else Resource.objects.all()
    for n in itertools.count(1):
        candidate = base if n == 1 else f"{base}-{n}"
        if not taken.filter(slug=candidate).exists():
            return candidate
    raise AssertionError("unreachable")


@transaction.atomic
def resource_save(
    *, by, fields: dict, themes=(), activities=(), partner=None, resource=None
) -> Resource:
    """Add a resource (``resource`` None) or change one, all or nothing.

    A new resource gets a unique slug, ``created_by`` and ``partner`` (the staff member's
    organisation) among its publishers, and waits unpublished (``is_public`` False) until a
    coordinator publishes it; a change keeps ``is_public`` as it was. Raises ``ResourceError``
    with per-field messages; nothing is saved unless all of it is valid.
    """
    unknown = set(fields) - set(RESOURCE_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable by staff: {', '.join(sorted(unknown))}")
    if resource is not None and resource.is_public and not is_coordinator(by):
        return _propose_resource_change(
            resource, by=by, fields=fields, themes=themes, activities=activities
        )
    if resource is None:
        if partner is None:
            raise ResourceError({"partner": _("Choose the organisation that publishes it.")})
        resource = Resource(created_by=by, is_public=False)
    else:
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
    for name, value in fields.items():
        setattr(resource, name, value)
    if not resource.slug:
        resource.slug = resource_slug(resource.title)
    try:
        resource.full_clean()
    except ValidationError as error:
        raise ResourceError(error.message_dict) from error
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError as error:
        raise ResourceError(
            _("Another record was saved at the same moment; save again, please.")
        ) from error
    resource.themes.set(themes)
    resource.activities.set(activities)
    if partner is not None:
        resource.partners.add(partner)
    resource.pending_change = None
    return resource


def _propose_resource_change(resource, *, by, fields, themes, activities):
    """A public resource's edit by staff, kept as a proposal (see the module's docstring)."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    base = review.resource_snapshot(resource)
    fields = dict(fields)
    new_file = fields.pop("file", None)
    for name, value in fields.items():
        setattr(resource, name, value)
    # The form hands the stored file back unchanged, an upload, or nothing (cleared).
    uploaded = new_file if new_file and new_file.name != base["file"] else None
    resource.file = new_file if new_file else ""
    try:
        resource.full_clean()
    except ValidationError as error:
        raise ResourceError(error.message_dict) from error
    proposed = review.resource_snapshot(
        resource,
        themes=themes,
        activities=activities,
        file_name=(uploaded.name if uploaded else (new_file.name if new_file else "")),
    )
    live = Resource.objects.get(pk=resource.pk)
    try:
        live.pending_change = _record_proposal(
            {"resource": live},
            by=by,
            base=base,
            proposed=proposed,
            file=uploaded.file if uploaded else None,
        )
    except ActivityError as error:
        raise ResourceError(error.errors) from error
    return live

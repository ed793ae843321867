"""What the writes share: their domain errors, the partner rows, validating and saving an
activity with its rows, and recording a staff member's proposal or a coordinator's decision."""

import itertools
import os
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activities import review
from activities.models import Activity, Participation, ProposedChange
from allas.translation import columns


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


PARTNER_STAFF_STATUSES = [Activity.Status.DRAFT, Activity.Status.SUBMITTED]


def pick_editable(fields, editable=EDITABLE_FIELDS, model=Activity):
    """``fields`` as a dict, ``original_language`` first; a programming error if one is not
    among ``editable``. A translated field's own name (``title``) stands for its text in the
    original language, as on the model (``Activity(title=…)``), hence that order."""
    allowed = set(editable) | {
        name for name in model.TRANSLATED_FIELDS if set(columns(name)) <= set(editable)
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Not editable by staff: {', '.join(sorted(unknown))}")
    return dict(sorted(fields.items(), key=lambda item: item[0] != "original_language"))


def check_partner_staff_status(status):
    if status not in PARTNER_STAFF_STATUSES:
        raise ActivityError(_("Staff save drafts or submit; coordinators publish."))


def unique_slug(base, taken, *, max_length, default):
    """``base`` as a slug no record of ``taken`` has: "toolkit-on-climate", then -2, -3…
    One query per candidate; candidates are tried until one is free."""
    base = slugify(base)[: max_length - 6].strip("-") or default
    for n in itertools.count(1):
        candidate = base if n == 1 else f"{base}-{n}"
        if not taken.filter(slug=candidate).exists():
            return candidate
    raise AssertionError("unreachable")


def check_rows(rows):
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


def validate_activity(activity, rows):
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


def save_activity(activity, *, themes, rows):
    validate_activity(activity, rows)
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


def record_proposal(record, *, by, base, proposed, file=None):
    """Create or replace the record's pending change; a proposal equal to the live record
    withdraws it. Returns the pending change, or None."""
    pending = ProposedChange.objects.select_for_update().pending().filter(**record).first()
    if base == proposed:
        if pending is not None:
            decide(pending, by=by, status=ProposedChange.Status.WITHDRAWN)
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


class ReviewError(ActivityError):
    """A proposed change that cannot be approved or rejected as asked."""


def decide(change, *, by, status, note=""):
    change.status, change.note = status, note
    change.decided_by, change.decided_at = by, timezone.now()
    try:
        change.full_clean()
    except ValidationError as error:
        raise ReviewError(error.message_dict) from error
    change.save()
    return change

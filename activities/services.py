"""Writes on activities that touch several rows: a training logged with its participants,
and the resources staff add to the knowledge hub."""

import itertools
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activities.models import Activity, Participation, Resource

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
EDITABLE_FIELDS = [
    "title",
    "summary",
    "starts_on",
    "ends_on",
    "hours",
    "format",
    "trainers",
    "venue_type",
    "venue_partner",
    "venue_name",
    "venue_country",
    "notes",
]
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
    seen = set()
    for row in rows:
        if row.partner.pk in seen:
            raise ActivityError(
                {"participations": _("%(partner)s is listed twice.") % {"partner": row.partner}}
            )
        seen.add(row.partner.pk)


def _save(activity, *, themes, rows):
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
    its status, which only coordinators change.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    rows = list(participations)
    _check_rows(rows)
    if not rows:
        raise ActivityError({"participations": _("List at least one partner.")})
    for name, value in _pick(fields).items():
        setattr(activity, name, value)
    if status is not None and activity.status in STAFF_STATUSES:
        if status not in STAFF_STATUSES:
            raise ActivityError(_("Staff save drafts or submit; coordinators publish."))
        activity.status = status
    return _save(activity, themes=themes, rows=rows)


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
    return resource

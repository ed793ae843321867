"""What a proposed change holds and how it reads: snapshots of a record and the diff a
coordinator reviews (the workflow itself is in ``activities.services``).

A snapshot is plain JSON: the staff-editable fields as text or numbers (foreign keys as
primary keys), and the record's links as sorted lists, so two snapshots compare with ``==``
and a stored one reads back the same on SQLite and PostgreSQL.
"""

import datetime
import os
from decimal import Decimal

from django.utils.translation import gettext as _

from activities.models import Activity, Participation, Resource
from allas.translation import columns
from partners.models import Partner, Theme

# What staff may change; everything else (status, publication, slug) stays with coordinators.
# Texts are a column per language (their labels name the language: "title (Portuguese)"),
# and the record's original language with them.
ACTIVITY_FIELDS = [
    "original_language",
    *columns("title", "summary"),
    "starts_on",
    "ends_on",
    "hours",
    "format",
    "trainers",
    "venue_type",
    "venue_partner",
    *columns("venue_name"),
    "venue_country",
    "notes",
]
RESOURCE_FIELDS = [
    "original_language",
    *columns("title"),
    "kind",
    *columns("description"),
    "url",
    "language",
    "published_on",
]


def _value(instance, name):
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname)
    value = getattr(instance, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if value is None:
        return None
    return str(value)


def activity_snapshot(activity, *, themes=None, rows=None):
    """The activity as staff see it. ``themes`` and ``rows`` (ParticipationRow) stand for
    the record's own links when given: a proposal not yet saved. Two queries otherwise."""
    if themes is None:
        theme_ids = list(activity.themes.values_list("pk", flat=True))
    else:
        theme_ids = [theme.pk for theme in themes]
    if rows is None:
        participations = [
            [p.partner_id, p.role, p.attendees] for p in activity.participations.all()
        ]
    else:
        participations = [[row.partner.pk, row.role, row.attendees] for row in rows]
    return {
        "fields": {name: _value(activity, name) for name in ACTIVITY_FIELDS},
        "themes": sorted(theme_ids),
        "participations": sorted(participations),
    }


def resource_snapshot(resource, *, themes=None, activities=None, file_name=None):
    """The resource as staff see it; ``file_name`` stands for the stored file when given."""
    return {
        "fields": {name: _value(resource, name) for name in RESOURCE_FIELDS},
        "file": (resource.file.name or "") if file_name is None else file_name,
        "themes": sorted(t.pk for t in (themes if themes is not None else resource.themes.all())),
        "activities": sorted(
            a.pk for a in (activities if activities is not None else resource.activities.all())
        ),
    }


def changed_keys(base, proposed):
    """The parts of ``proposed`` that differ from ``base``: ("fields", name) or (key, None)."""
    keys = [
        ("fields", name)
        for name, value in proposed.get("fields", {}).items()
        if base.get("fields", {}).get(name) != value
    ]
    keys += [(key, None) for key in proposed if key != "fields" and base.get(key) != proposed[key]]
    return keys


def field_value(model, name, value):
    """A snapshot's value back as the model field's Python value."""
    field = model._meta.get_field(name)
    if field.is_relation:
        return value
    if value is None:
        return None
    return field.to_python(value)


def diff(change, *, before=None):
    """Rows (label, before, proposed) of what ``change`` alters, in the words a coordinator
    reads. ``before`` is a snapshot; by default the record as it is now (the live version).
    A few queries (names of partners, themes and activities)."""
    record = change.record
    model = type(record)
    if before is None:
        before = (
            activity_snapshot(record) if isinstance(record, Activity) else resource_snapshot(record)
        )
    proposed = change.proposed
    rows = []
    for key, name in changed_keys(before, proposed):
        if key == "fields":
            field = model._meta.get_field(name)
            label = str(field.verbose_name)
            old = _display_field(field, before.get("fields", {}).get(name))
            new = _display_field(field, proposed["fields"][name])
        else:
            label, old, new = _display_links(key, before.get(key) or [], proposed[key], change)
        rows.append((label[:1].upper() + label[1:], old, new))
    return rows


def _display_field(field, value):
    if value in (None, ""):
        return "—"
    if field.is_relation:
        partner = field.related_model.objects.filter(pk=value).first()
        return str(partner) if partner else "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _names(queryset, attribute, before, after, separator):
    """Both lists of primary keys as text, their names (a translated field, in the active
    language or else the original one) read in one query."""
    records = queryset.filter(pk__in=[*before, *after]).only(
        "original_language", *columns(attribute)
    )
    names = {record.pk: getattr(record, attribute) for record in records}
    return tuple(separator.join(names.get(pk, "?") for pk in pks) or "—" for pks in (before, after))


def _display_links(key, before, after, change):
    if key == "themes":
        return (_("themes"), *_names(Theme.objects, "name", before, after, ", "))
    if key == "activities":
        return (_("activities"), *_names(Activity.objects, "title", before, after, "; "))
    if key == "participations":
        ids = {row[0] for row in [*before, *after]}
        names = {p.pk: p.display_name for p in Partner.objects.filter(pk__in=ids)}
        roles = dict(Participation.Role.choices)

        def text(rows):
            return "; ".join(
                f"{names.get(pk, '?')} ({str(roles.get(role, role)).lower()}, {attendees})"
                for pk, role, attendees in rows
            )

        return _("partners"), text(before) or "—", text(after) or "—"
    # The file: a stored name, or the proposal's own new file.
    new_file = after and change.file and after == change.file.name
    return (
        str(Resource._meta.get_field("file").verbose_name),
        os.path.basename(before) if before else "—",
        _("new file: %(name)s") % {"name": os.path.basename(after)}
        if new_file
        else os.path.basename(after) or "—",
    )

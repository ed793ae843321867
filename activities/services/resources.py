"""Resources of the knowledge hub, written by staff (and by coordinators)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from activities import review
from activities.models import Resource
from activities.services.records import (
    ActivityError,
    pick_editable,
    record_proposal,
    unique_slug,
)
from allas.roles import is_coordinator

RESOURCE_SLUG_MAX_LENGTH = Resource._meta.get_field("slug").max_length


# What staff may set on a resource; publication (is_public) stays with coordinators.
RESOURCE_EDITABLE_FIELDS = [*review.RESOURCE_FIELDS, "file"]


class ResourceError(ActivityError):
    """A resource that cannot be saved as given; ``errors`` maps field names to messages."""


def resource_slug(title, *, exclude_pk=None) -> str:
    """A unique slug from the title (in the original language, so the address does not depend
    on who adds which translation): "toolkit-on-climate", then -2, -3…"""
    taken = Resource.objects.exclude(pk=exclude_pk) if exclude_pk else Resource.objects.all()
    return unique_slug(title, taken, max_length=RESOURCE_SLUG_MAX_LENGTH, default="resource")


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
    fields = pick_editable(fields, RESOURCE_EDITABLE_FIELDS, Resource)
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
        resource.slug = resource_slug(resource.text_in_original_language("title"))
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
        live.pending_change = record_proposal(
            {"resource": live},
            by=by,
            base=base,
            proposed=proposed,
            file=uploaded.file if uploaded else None,
        )
    except ActivityError as error:
        raise ResourceError(error.errors) from error
    return live

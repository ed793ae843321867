"""Who may download the knowledge hub's uploaded files (registered with allas.media in apps.py)."""

from activities.models import ProposedChange, Resource
from activities.permissions import resources_for
from allas.roles import is_coordinator


def may_read_resource_file(user, resource: Resource) -> bool:
    """Coordinators and staff of an organisation that publishes the resource (one query each)."""
    if is_coordinator(user):
        return True
    return user.is_authenticated and resources_for(user).filter(pk=resource.pk).exists()


def register():
    from allas.media import register_file_field

    register_file_field(
        Resource,
        "file",
        is_public=lambda resource: resource.is_public,
        may_read=may_read_resource_file,
    )
    # A new file staff propose for a public resource is never public before it is approved.
    register_file_field(
        ProposedChange, "file", is_public=lambda change: False, may_read=may_read_proposed_file
    )


def may_read_proposed_file(user, change) -> bool:
    """A file proposed for a public resource: coordinators, and staff of the resource's
    publishers, until it is approved (then the resource holds its own copy)."""
    return change.resource_id is not None and may_read_resource_file(user, change.resource)

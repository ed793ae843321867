"""Who may download the knowledge hub's uploaded files (registered with allas.media in apps.py)."""

from activities.models import Resource
from activities.permissions import is_coordinator, resources_for


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

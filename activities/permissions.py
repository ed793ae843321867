"""Who may touch which record: the staff area's access rules in one place.

Staff see and edit only the activities where one of their organisations takes part (any
role) and the resources one of their organisations published. Anything else answers 404, not
403, so a URL never tells an outsider that another organisation's draft exists.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404

from activities.models import Activity, Participation, Resource
from partners.models import Partner

COORDINATORS_GROUP = "Coordinators"


def is_coordinator(user) -> bool:
    """A coordinator: an active staff user in the Coordinators group, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.groups.filter(name=COORDINATORS_GROUP).exists()


def staff_partners(user):
    """The organisations whose records ``user`` keeps (one query when evaluated)."""
    if not user.is_authenticated or not user.is_active:
        return Partner.objects.none()
    return Partner.objects.filter(staff_links__user=user).order_by("name")


def activities_for(user):
    """Activities ``user`` may see and edit in the staff area (one EXISTS subquery)."""
    return Activity.objects.filter(
        Exists(
            Participation.objects.filter(activity=OuterRef("pk"), partner__staff_links__user=user)
        )
    )


def resources_for(user):
    """Resources published by one of ``user``'s organisations."""
    return Resource.objects.filter(
        Exists(
            Resource.partners.through.objects.filter(
                resource=OuterRef("pk"), partner__staff_links__user=user
            )
        )
    )


def get_activity_or_404(user, pk):
    """The activity ``pk`` if ``user`` may touch it; 404 otherwise, whether it exists or not."""
    try:
        return activities_for(user).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404("No such activity.") from None


def get_resource_or_404(user, pk):
    try:
        return resources_for(user).get(pk=pk)
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise Http404("No such resource.") from None

"""Who may touch which record: the staff area's access rules in one place.

Staff see the activities where one of their organisations takes part (any role), and change
only those their organisation organises (organiser or co-organiser): a partner that took part
in another's activity cannot rewrite it. They see and change the resources one of their
organisations published. Anything else answers 404, not 403, so a URL never tells an outsider
that another organisation's draft exists. What staff change on a record the public already
sees waits for a coordinator's review (``activities.services``).
"""

from django.http import Http404

from activities.models import Activity, Resource


def activities_for(user):
    """Activities ``user`` may see and edit in the staff area."""
    return Activity.objects.for_partner_staff(user)


def activities_organised_by(user):
    """Activities ``user`` may change in the staff area."""
    return Activity.objects.organised_by(user)


def resources_for(user):
    """Resources ``user`` may see and change in the staff area."""
    return Resource.objects.for_partner_staff(user)


def get_activity_or_404(user, pk):
    """The activity ``pk`` if ``user`` may touch it; 404 otherwise, whether it exists or not."""
    try:
        return activities_for(user).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise Http404("No such activity.") from None


def may_change_activity(user, activity) -> bool:
    """One query."""
    return activities_organised_by(user).filter(pk=activity.pk).exists()


def get_resource_or_404(user, pk):
    try:
        return resources_for(user).get(pk=pk)
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise Http404("No such resource.") from None

"""The roles of the application, shared by every app. Three words, never mixed:

- A *coordinator* is a user of the AL-LAs secretariat: an active user with Django's ``is_staff``
  flag in the Coordinators group, or a superuser. Coordinators keep every record in the admin
  and review what partner staff propose.
- *Partner staff* are the people of a partner organisation who keep their own organisation's
  records in the staff area (``/<lang>/staff/``). A ``PartnerStaff`` link (partners app) says
  which organisations a user keeps: ``Partner.objects.kept_by(user)``. They have no
  ``is_staff``: they never open the admin.
- A *visitor* is anyone else.

Django's ``is_staff`` therefore only ever means "may open the admin"; in this code base "staff"
on its own means partner staff, and helpers say so (``for_partner_staff``).
"""

from django.contrib.auth import get_user_model

COORDINATORS_GROUP = "Coordinators"

# Apps whose every permission the Coordinators group holds (kept complete after each migrate).
COORDINATOR_APPS = ["partners", "activities", "joining", "results", "auth", "axes"]


def is_coordinator(user) -> bool:
    """One query (none for anonymous users and superusers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.groups.filter(name=COORDINATORS_GROUP).exists()


def coordinators():
    """Active users in the Coordinators group."""
    return get_user_model().objects.filter(is_active=True, groups__name=COORDINATORS_GROUP)


def grant_coordinators_every_permission(sender, using="default", **kwargs):
    """post_migrate receiver: keep the Coordinators group complete, models added later included.

    Connected by the last app with models in INSTALLED_APPS (results/apps.py), so that the
    permissions of all apps exist when it runs (post_migrate is sent only for apps with
    models, in that order).
    """
    from django.contrib.auth.models import Group, Permission

    # get_or_create: a flushed database (transactional tests) gets the group back too.
    group, _ = Group.objects.using(using).get_or_create(name=COORDINATORS_GROUP)
    # Only the missing ones: add() of existing links still writes (and moves a sequence on),
    # and running migrate twice should change nothing.
    missing = (
        Permission.objects.using(using)
        .filter(content_type__app_label__in=COORDINATOR_APPS)
        .exclude(group=group)
    )
    group.permissions.add(*missing)

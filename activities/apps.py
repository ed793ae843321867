from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

COORDINATORS = "Coordinators"
COORDINATOR_APPS = ["partners", "activities", "auth", "axes"]


def grant_coordinators_every_permission(sender, using="default", **kwargs):
    """Keep the Coordinators group complete: models added later get their permissions too.

    Runs after every migrate (and flush), once the permissions of all apps exist (activities
    comes last in INSTALLED_APPS, and post_migrate is sent in that order).
    """
    from django.contrib.auth.models import Group, Permission

    # get_or_create: a flushed database (transactional tests) gets the group back too.
    group, _ = Group.objects.using(using).get_or_create(name=COORDINATORS)
    # Only the missing ones: add() of existing links still writes (and moves a sequence on),
    # and running migrate twice should change nothing.
    missing = (
        Permission.objects.using(using)
        .filter(content_type__app_label__in=COORDINATOR_APPS)
        .exclude(group=group)
    )
    group.permissions.add(*missing)


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and knowledge hub")

    def ready(self):
        post_migrate.connect(grant_coordinators_every_permission, sender=self)

        from activities import files
        from allas.cache import connect_invalidation

        files.register()  # who may download resource files (allas/media.py)

        # Public pages are cached until one of these records changes (allas/cache.py).
        connect_invalidation(
            *(self.get_model(name) for name in ("Activity", "Participation", "Resource"))
        )

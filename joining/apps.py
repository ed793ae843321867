from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from allas.roles import grant_coordinators_every_permission


class JoiningConfig(AppConfig):
    """Applications to join the network or propose a collaboration: the public form, the
    coordinators' review, the applicants' personal data and its erasure."""

    name = "joining"
    verbose_name = _("Applications to join")

    def ready(self):
        # The last domain app in INSTALLED_APPS: every app's permissions exist when it runs.
        post_migrate.connect(grant_coordinators_every_permission, sender=self)

        from joining import checks  # noqa: F401 (registers the deploy check)

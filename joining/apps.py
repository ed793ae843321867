from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JoiningConfig(AppConfig):
    """Applications to join the network or propose a collaboration: the public form, the
    coordinators' review, the applicants' personal data and its erasure."""

    name = "joining"
    verbose_name = _("Applications to join")

    def ready(self):
        from joining import checks  # noqa: F401 (registers the deploy check)

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AllasConfig(AppConfig):
    name = "allas"
    verbose_name = _("AL-LAs Network")

    def ready(self):
        from allas import checks, choices  # noqa: F401 -- checks registers the deploy checks

        # Every app's models are loaded before any ready() runs.
        choices.define_display_methods(apps.get_models())

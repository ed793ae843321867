from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllasConfig(AppConfig):
    name = "allas"
    verbose_name = _("AL-LAs Network")

    def ready(self):
        from allas import checks, lookups  # noqa: F401 -- checks registers the deploy checks

        lookups.register()

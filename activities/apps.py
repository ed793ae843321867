from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and knowledge hub")

    def ready(self):
        from activities import files
        from allas.cache import connect_invalidation

        files.register()  # who may download resource files (allas/media.py)

        # Public pages are cached until one of these records changes (allas/cache.py).
        connect_invalidation(
            *(self.get_model(name) for name in ("Activity", "Participation", "Resource"))
        )

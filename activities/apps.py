from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and knowledge hub")

    def ready(self):
        from activities import files
        from allas.cache_tags import connect_invalidation

        files.register()  # who may download resource files (allas/media.py)

        # Public pages are cached until an edit touches what they show (allas/cache_tags.py).
        # The paths: the other records on whose pages a record is shown.
        connect_invalidation(self.get_model("Activity"), "participations__partner", "resources")
        connect_invalidation(self.get_model("Participation"))
        connect_invalidation(self.get_model("Resource"), "partners", "activities")

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from allas.roles import grant_coordinators_every_permission


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results against the work plan")

    def ready(self):
        # The last app with models in INSTALLED_APPS (post_migrate is sent only for those, in
        # that order): every app's permissions exist when this runs.
        post_migrate.connect(grant_coordinators_every_permission, sender=self)

        from allas.cache_tags import connect_invalidation
        from results import files
        from results.models import Indicator, Objective, Period, ReportedFigure, Target

        files.register()
        # Any edit of the work plan shows at once on the public Results page.
        for model in (Period, Objective, Indicator, Target, ReportedFigure):
            connect_invalidation(model)

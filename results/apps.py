from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results against the work plan")

    def ready(self):
        from allas.cache import connect_invalidation
        from results import files
        from results.models import Indicator, Objective, Period, ReportedFigure, Target

        files.register()
        # Any edit of the work plan shows at once on the public Results page.
        connect_invalidation(Period, Objective, Indicator, Target, ReportedFigure)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and agreements")

    def ready(self):
        from allas.cache import connect_invalidation
        from partners import files

        files.register()  # who may download logos and agreement documents (allas/media.py)

        connect_invalidation(
            *(
                self.get_model(name)
                for name in (
                    "Partner",
                    "Membership",
                    "Agreement",
                    "AgreementParty",
                    "AgreementStatusChange",
                    "Theme",
                )
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and agreements")

    def ready(self):
        from allas.cache_tags import connect_invalidation
        from partners import files

        files.register()  # who may download logos and agreement documents (allas/media.py)

        # Public pages are cached until an edit touches what they show (allas/cache_tags.py).
        # The paths: the other records on whose pages a record is shown.
        model = self.get_model
        connect_invalidation(
            model("Partner"),
            "participations__activity",
            "hosted_activities",
            "agreement_links__agreement",
            "memberships__network",
            "member_links__member",
            "resources",
        )
        connect_invalidation(model("Membership"))
        connect_invalidation(model("Agreement"), "party_links__partner", "activities")
        connect_invalidation(model("AgreementParty"))
        connect_invalidation(model("AgreementStatusChange"))
        # A theme's name is on nearly every page.
        connect_invalidation(model("Theme"), everything=True)

"""The back-office: Django's admin site with the network's names and the coordinators'
dashboard as one of its pages (``admin:dashboard``), behind the admin's own login check."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _


class NetworkAdminSite(admin.AdminSite):
    site_header = _("AL-LAs Network — back-office")
    site_title = _("AL-LAs back-office")
    index_title = _("Records of the Euro-Latin-American Alliance of Cooperation among Cities")

    def get_urls(self):
        from front.dashboard import dashboard

        return [
            path("dashboard/", self.admin_view(dashboard), name="dashboard")
        ] + super().get_urls()

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    """The pages that combine several apps: home, partner directory and profile, agreement page,
    the coordinators' dashboard. The one app that may import both partners and activities."""

    name = "front"
    verbose_name = _("Public site")


class NetworkAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the network's site (front/admin_site.py) as ``admin.site``."""

    default = False  # named in INSTALLED_APPS; FrontConfig is this module's default
    default_site = "front.admin_site.NetworkAdminSite"

"""The admin site's names: the back-office of the network."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("AL-LAs Network — back-office")
admin.site.site_title = _("AL-LAs back-office")
admin.site.index_title = _(
    "Records of the Euro-Latin-American Alliance of Cooperation among Cities"
)

"""Memberships of networks: dated periods, ended (never deleted) by the service."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from allas.admin import ImportExportOperationsAdmin, PreloadedAutocompleteForm
from partners import services
from partners.imports import MembershipResource
from partners.models import Membership, Partner


class MembershipForm(PreloadedAutocompleteForm):
    """Any partner may be typed as the network, so choosing a city gives the model's message
    ("Only a network … can have members") instead of a bare "not a valid choice"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "network" in self.fields:
            self.fields["network"].queryset = Partner.objects.all()


@admin.register(Membership)
class MembershipAdmin(ImportExportOperationsAdmin):
    form = MembershipForm
    resource_classes = [MembershipResource]
    list_display = ["member", "network", "role", "joined_on", "left_on", "is_current"]
    list_filter = [
        "role",
        ("left_on", admin.EmptyFieldListFilter),
        ("network", admin.RelatedOnlyFieldListFilter),
        "member__kind",
        "member__region",
    ]
    list_select_related = ["member", "network"]
    search_fields = ["member__name", "member__short_name", "network__name", "network__short_name"]
    autocomplete_fields = ["member", "network"]
    date_hierarchy = "joined_on"
    actions = ["end_today"]
    fields = ["member", "network", "role", "joined_on", "left_on", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "network")

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, membership):
        return membership.is_current

    @admin.action(description=_("End the selected memberships today"))
    def end_today(self, request, queryset):
        today = timezone.localdate()
        ended, refused = 0, []
        for membership in queryset:
            try:
                services.membership_end(membership=membership, left_on=today)
            except services.MembershipError as error:
                refused.append(f"{membership}: {error}")
            else:
                ended += 1
        if ended:
            self.message_user(
                request,
                ngettext(
                    "%(count)d membership ended today.",
                    "%(count)d memberships ended today.",
                    ended,
                )
                % {"count": ended},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

"""Partners (cities, networks and institutions in one list, filtered by kind) and themes."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from allas.admin import (
    AutocompleteInline,
    ImportExportOperationsAdmin,
    OperationsAdmin,
    TranslatedAdminMixin,
)
from allas.templatetags.translations import in_language
from allas.translation import columns
from partners.admin.memberships import MembershipForm
from partners.imports import PartnerResource
from partners.models import Membership, Partner, PartnerStaff, Theme


class MembershipAsMemberInline(AutocompleteInline):
    model = Membership
    form = MembershipForm
    fk_name = "member"
    fields = ["network", "role", "joined_on", "left_on", "note"]
    autocomplete_fields = ["network"]
    verbose_name = _("membership of a network")
    verbose_name_plural = _("memberships of networks")

    def get_queryset(self, request):
        # Both sides: each row's label (Membership.__str__) reads them.
        return super().get_queryset(request).select_related("member", "network")


class MembersInline(AutocompleteInline):
    model = Membership
    fk_name = "network"
    fields = ["member", "role", "joined_on", "left_on", "note"]
    autocomplete_fields = ["member"]
    verbose_name = _("member")
    verbose_name_plural = _("members")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "network")


class StaffInline(AutocompleteInline):
    model = PartnerStaff
    fk_name = "partner"
    fields = ["user", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    verbose_name = _("partner staff account")
    verbose_name_plural = _("partner staff accounts")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "partner")


@admin.register(Partner)
class PartnerAdmin(TranslatedAdminMixin, ImportExportOperationsAdmin):
    """All partners in one list, the search behind every partner autocomplete. Cities,
    networks and institutions are this list filtered by kind (``?kind=city``), linked from
    the admin index.

    The name and acronym are the organisation's own (first fieldset); each language's
    fieldset has its official name and acronym there, where it has them, and the description
    (``TranslatedAdminMixin``). Only the description counts as missing."""

    language_fields = ("official_name", "official_short_name", "description")

    resource_classes = [PartnerResource]
    list_display = [
        "name",
        "short_name",
        "kind",
        "institution_type",
        "country",
        "region",
        "current_networks",
        "is_public",
    ]
    list_filter = ["kind", "institution_type", "region", ("country", CountryFilter), "is_public"]
    search_fields = [
        "name",
        "short_name",
        *columns("official_name", "official_short_name"),
        "slug",
        "locality",
    ]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["region", "created_at", "updated_at", "records"]
    inlines = [MembershipAsMemberInline, StaffInline]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["kind", "institution_type", "name", "short_name", "slug"]}),
        (
            _("Where"),
            {"fields": ["country", "region", "locality", ("latitude", "longitude")]},
        ),
        (_("Profile"), {"fields": ["website", "wikidata_id", "logo", "is_public"]}),
        (_("Internal"), {"fields": ["note", "records", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("records"))
    def records(self, partner):
        """Links to this partner's activities and participations (the admin's partner filter:
        thousands of partners are never listed as filter options)."""
        if partner.pk is None:
            return "-"
        return format_html(
            '<a href="{}?partner={}">{}</a> · <a href="{}?partner={}">{}</a>',
            reverse("admin:activities_activity_changelist"),
            partner.pk,
            _("Activities"),
            reverse("admin:activities_participation_changelist"),
            partner.pk,
            _("Participations"),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_network_count()

    @admin.display(description=_("current networks"), ordering="current_network_count")
    def current_networks(self, partner):
        return partner.current_network_count

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind == Partner.Kind.NETWORK:
            return [MembersInline, MembershipAsMemberInline, StaffInline]
        return self.inlines


@admin.register(Theme)
class ThemeAdmin(TranslatedAdminMixin, OperationsAdmin):
    """Themes, named and described in every language (one fieldset per language)."""

    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["slug", *columns("name")]
    prepopulated_fields = {"slug": columns("name")}
    fieldsets = [(None, {"fields": ["slug", "position"]})]

    # Sorted by the slug: the name differs per language, the slug is the same in all.
    @admin.display(description=_("name"), ordering="slug")
    def name(self, theme):
        return in_language(theme.name)

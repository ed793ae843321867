"""The back-office for partners, memberships, agreements, themes and staff accounts.

Every admin keeps a history of changes (simple-history: diff and revert on each record's
"History" page); partners and memberships import and export as CSV or Excel.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter

from allas.admin import (
    AutocompleteInline,
    ImportExportOperationsAdmin,
    OperationsAdmin,
    PreloadedAutocompleteForm,
    ProtectedDeleteMixin,
)
from partners import services
from partners.imports import (
    CityResource,
    InstitutionResource,
    MembershipResource,
    NetworkResource,
    PartnerResource,
)
from partners.models import (
    Agreement,
    AgreementParty,
    AgreementReminder,
    AgreementStatusChange,
    City,
    Institution,
    Membership,
    Network,
    Partner,
    PartnerStaff,
    Theme,
)

# ---------------------------------------------------------------------------------------------
# Partners


class MembershipForm(PreloadedAutocompleteForm):
    """Any partner may be typed as the network, so choosing a city gives the model's message
    ("Only a network … can have members") instead of a bare "not a valid choice"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "network" in self.fields:
            self.fields["network"].queryset = Partner.objects.all()


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
    verbose_name = _("staff account")
    verbose_name_plural = _("staff accounts")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "partner")


class PartnerForm(PreloadedAutocompleteForm):
    """In a section (cities, networks, institutions) the kind is fixed before validation, so
    the model's rules (e.g. only institutions have a type) apply to the right kind."""

    fixed_kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.fixed_kind:
            self.instance.kind = self.fixed_kind


class PartnerAdmin(ImportExportOperationsAdmin):
    """All partners in one list: the search behind every partner autocomplete."""

    form = PartnerForm
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
    search_fields = ["name", "short_name", "slug", "locality"]
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
        (_("Profile"), {"fields": ["website", "description", "logo", "is_public"]}),
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
        return (
            super()
            .get_queryset(request)
            .annotate(
                _current_networks=Count(
                    "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
                )
            )
        )

    @admin.display(description=_("current networks"), ordering="_current_networks")
    def current_networks(self, partner):
        return partner._current_networks

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind == Partner.Kind.NETWORK:
            return [MembershipAsMemberInline, MembersInline, StaffInline]
        return self.inlines


class PartnerSectionAdmin(PartnerAdmin):
    """One kind of partner: the list shows only that kind and new records get it."""

    kind = None
    list_filter = ["region", ("country", CountryFilter), "is_public"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=self.kind)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"fixed_kind": self.kind})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        exclude = (
            {"kind"} if self.kind == Partner.Kind.INSTITUTION else {"kind", "institution_type"}
        )
        first, *rest = fieldsets
        fields = [f for f in first[1]["fields"] if f not in exclude]
        return [(first[0], {**first[1], "fields": fields}), *rest]

    def get_list_display(self, request):
        hidden = {"kind"} if self.kind == Partner.Kind.INSTITUTION else {"kind", "institution_type"}
        return [column for column in self.list_display if column not in hidden]


@admin.register(City)
class CityAdmin(PartnerSectionAdmin):
    kind = Partner.Kind.CITY
    resource_classes = [CityResource]


@admin.register(Network)
class NetworkAdmin(PartnerSectionAdmin):
    kind = Partner.Kind.NETWORK
    resource_classes = [NetworkResource]
    inlines = [MembersInline, MembershipAsMemberInline, StaffInline]

    def get_inlines(self, request, obj):
        return self.inlines


@admin.register(Institution)
class InstitutionAdmin(PartnerSectionAdmin):
    kind = Partner.Kind.INSTITUTION
    resource_classes = [InstitutionResource]
    list_filter = ["institution_type", *PartnerSectionAdmin.list_filter]


admin.site.register(Partner, PartnerAdmin)


# ---------------------------------------------------------------------------------------------
# Memberships


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


# ---------------------------------------------------------------------------------------------
# Agreements


class PartyFormSet(forms.BaseInlineFormSet):
    def clean(self):
        parties = [
            form.cleaned_data.get("partner")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        parties = [p for p in parties if p is not None]
        if len({p.pk for p in parties}) != len(parties):
            raise ValidationError(_("A partner is listed twice among the parties."))
        super().clean()
        if len(parties) < 2:
            raise ValidationError(_("An agreement needs at least two parties."))


class AgreementPartyInline(AutocompleteInline):
    model = AgreementParty
    formset = PartyFormSet
    fields = ["partner", "role"]
    autocomplete_fields = ["partner"]
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement", "partner")

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 0


class TransitionForm(forms.Form):
    """The step to record: when, why, and (for the first signed state) the signature date."""

    on = forms.DateField(
        label=_("Date of the change"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    signed_on = forms.DateField(
        label=_("Signed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Needed for signed agreements; defaults to the date of the change."),
    )

    def __init__(self, *args, needs_signed_on=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_signed_on:
            del self.fields["signed_on"]


@admin.register(Agreement)
class AgreementAdmin(OperationsAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "party_names",
        "proposed_on",
        "signed_on",
        "ends_on",
        "is_public",
    ]
    list_filter = ["status", "kind", "is_public", "themes"]
    search_fields = ["title", "slug", "summary", "parties__name", "parties__short_name"]
    autocomplete_fields = ["themes"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "proposed_on"
    inlines = [AgreementPartyInline]
    readonly_fields = ["status", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status"]}),
        (_("Dates"), {"fields": ["proposed_on", "signed_on", "starts_on", "ends_on"]}),
        (_("Content"), {"fields": ["themes", "summary", "document", "is_public"]}),
        (_("Internal"), {"fields": ["note", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("party_links__partner")

    @admin.display(description=_("parties"))
    def party_names(self, agreement):
        return ", ".join(link.partner.display_name for link in agreement.party_links.all())

    def get_urls(self):
        urls = super().get_urls()
        return [
            path(
                "<path:object_id>/status/<str:to_status>/",
                self.admin_site.admin_view(self.transition_view),
                name="partners_agreement_transition",
            ),
            *urls,
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            # New agreements start their lifecycle at "proposed"; the first step is recorded
            # in save_related once the parties exist.
            obj.status = Agreement.Status.PROPOSED
            if obj.proposed_on is None:
                obj.proposed_on = timezone.localdate()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.agreement_record_proposal(agreement=form.instance, by=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        agreement = self.get_object(request, object_id)
        if agreement is not None:
            extra_context["transitions"] = [
                (
                    Agreement.Status(status).label,
                    reverse("admin:partners_agreement_transition", args=[agreement.pk, status]),
                )
                for status in agreement.allowed_transitions()
            ]
            extra_context["timeline"] = agreement.status_changes.select_related("changed_by")
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, to_status):
        agreement = self.get_object(request, object_id)
        if agreement is None or to_status not in Agreement.Status.values:
            raise Http404
        if not self.has_change_permission(request, agreement):
            raise Http404
        target = Agreement.Status(to_status)
        needs_signed_on = target in Agreement.SIGNED_STATUSES and agreement.signed_on is None
        change_url = reverse("admin:partners_agreement_change", args=[agreement.pk])
        if request.method == "POST":
            form = TransitionForm(request.POST, needs_signed_on=needs_signed_on)
            if form.is_valid():
                try:
                    services.agreement_change_status(
                        agreement=agreement,
                        to_status=target,
                        on=form.cleaned_data["on"],
                        by=request.user,
                        note=form.cleaned_data["note"],
                        signed_on=form.cleaned_data.get("signed_on"),
                    )
                except services.AgreementTransitionError as error:
                    form.add_error(None, str(error))
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _("“%(agreement)s” is now %(status)s.")
                        % {"agreement": agreement, "status": target.label},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
        else:
            form = TransitionForm(
                initial={"on": timezone.localdate()}, needs_signed_on=needs_signed_on
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change status: %(from)s → %(to)s")
            % {"from": agreement.get_status_display(), "to": target.label},
            "subtitle": str(agreement),
            "opts": self.opts,
            "original": agreement,
            "form": form,
            "target": target,
            "allowed": to_status in agreement.allowed_transitions(),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/partners/agreement/transition.html", context)


@admin.register(AgreementStatusChange)
class AgreementStatusChangeAdmin(admin.ModelAdmin):
    """Read-only: steps are written only by the lifecycle buttons on an agreement."""

    list_display = ["agreement", "from_status", "to_status", "changed_on", "changed_by", "note"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["agreement", "changed_by"]
    search_fields = ["agreement__title", "note"]
    date_hierarchy = "changed_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreementReminder)
class AgreementReminderAdmin(admin.ModelAdmin):
    """What the daily reminder command has sent (read-only)."""

    list_display = ["agreement", "reason", "event_date", "sent_at"]
    list_filter = ["reason"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__title"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AgreementParty)
class AgreementPartyAdmin(OperationsAdmin):
    list_display = ["agreement", "partner", "role"]
    list_filter = ["role", "agreement__status"]
    list_select_related = ["agreement", "partner"]
    search_fields = ["agreement__title", "partner__name", "partner__short_name"]
    autocomplete_fields = ["agreement", "partner"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement", "partner")


# ---------------------------------------------------------------------------------------------
# Themes and staff accounts


@admin.register(Theme)
class ThemeAdmin(OperationsAdmin):
    list_display = ["name_es", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["slug", "name_es", "name_pt", "name_fr", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(PartnerStaff)
class PartnerStaffAdmin(OperationsAdmin):
    list_display = ["user", "user_email", "partner", "created_at"]
    list_filter = ["partner__kind"]
    list_select_related = ["user", "partner"]
    search_fields = ["user__username", "user__email", "partner__name", "partner__short_name"]
    autocomplete_fields = ["user", "partner"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "partner")

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, link):
        return link.user.email


class PartnerStaffForUserInline(AutocompleteInline):
    model = PartnerStaff
    fk_name = "user"
    fields = ["partner", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["partner"]
    verbose_name = _("organisation kept by this user")
    verbose_name_plural = _("organisations kept by this user")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "partner")


User = get_user_model()


class AccountAdmin(ProtectedDeleteMixin, UserAdmin):
    """User accounts with the organisations each staff member keeps.

    Staff of a partner log in to the staff area; they are not admin users (is_staff off).
    """

    inlines = [PartnerStaffForUserInline]
    list_display = ["username", "email", "first_name", "last_name", "organisations", "is_staff"]
    list_filter = ["is_staff", "is_active", "groups", "partner_links__partner__kind"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partner_links__partner")

    @admin.display(description=_("organisations"))
    def organisations(self, user):
        return format_html_join(
            ", ", "{}", ((link.partner.display_name,) for link in user.partner_links.all())
        )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)

"""Agreements: created by ``agreement_create``, moved along their lifecycle by
``agreement_change_status`` (one button per allowed step), with their timeline."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas.admin import (
    AutocompleteInline,
    BadFiltersRefusedMixin,
    ConstraintMessageFormSet,
    OperationsAdmin,
    TranslatedAdminMixin,
)
from allas.templatetags.translations import in_language
from allas.translation import columns
from partners import services
from partners.models import Agreement, AgreementParty, AgreementReminder, AgreementStatusChange


class PartyFormSet(ConstraintMessageFormSet):
    """Each partner once is the constraint ``partners_agreementparty_unique`` (Django's check
    across the rows gives its message); at least two parties is the service's rule, asked here
    so a change of the parties meets it too and the add form shows it beside the rows."""

    def clean(self):
        super().clean()
        services.agreement_parties_check(partners=[partner for partner, _role in self.parties()])

    def parties(self):
        """(partner, role) of the rows kept: filled in and not marked for deletion."""
        return [
            (form.cleaned_data["partner"], form.cleaned_data.get("role"))
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("partner") is not None
        ]


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
    """The step to record: when, why, and (on the step to "signed", when the agreement has no
    signing date yet) the signature date. Whether a date is required is the model's rule,
    which the service checks: this form only asks for it where the step sets it."""

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

    def __init__(self, *args, agreement, target, **kwargs):
        super().__init__(*args, **kwargs)
        if target != Agreement.Status.SIGNED or agreement.signed_on is not None:
            del self.fields["signed_on"]


@admin.register(Agreement)
class AgreementAdmin(TranslatedAdminMixin, OperationsAdmin):
    """Title and summary are written per language, one fieldset each, the original first
    (``TranslatedAdminMixin``).

    A new agreement is written by ``services.agreement_create``, as every other caller
    writes one, and never by the admin's own saves.

    Django's add view saves the object (``save_model``) before its inlines
    (``save_related``), but the service needs the parties to create the agreement. So on add,
    ``save_model`` saves nothing and ``save_related`` hands the service the form's unsaved
    instance (``agreement=``), the kept rows of the parties' formset and the themes; the service
    saves all of it and records the proposal step in one transaction. The instance is the one
    the admin then logs and redirects to. The formset has already applied the service's party
    rule (``agreement_parties_check``), so the service does not refuse what the page accepted.
    Changes go through the stock saves (status is read-only; it moves with the buttons).
    """

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
    search_fields = [
        "slug",
        *columns("title", "summary"),
        "parties__name",
        "parties__short_name",
    ]
    autocomplete_fields = ["themes"]
    prepopulated_fields = {"slug": columns("title")}
    date_hierarchy = "proposed_on"
    inlines = [AgreementPartyInline]
    readonly_fields = ["status", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "status"]}),
        (_("Dates"), {"fields": ["proposed_on", "signed_on", "starts_on", "ends_on"]}),
        (_("Content"), {"fields": ["themes", "document", "is_public"]}),
        (_("Internal"), {"fields": ["note", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("party_links__partner")

    # Sorted by the slug: the title differs per language, the slug is the same in all.
    @admin.display(description=_("title"), ordering="slug")
    def title(self, agreement):
        return in_language(agreement.title)

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
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj._history_user = request.user  # simple-history's documented hook

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)
            return
        (parties,) = [formset for formset in formsets if isinstance(formset, PartyFormSet)]
        services.agreement_create(
            agreement=form.instance,
            by=request.user,
            parties=parties.parties(),
            themes=form.cleaned_data.get("themes", []),
        )

    def construct_change_message(self, request, form, formsets, add=False):
        # On add the service saved the parties, not the formset (which has no saved rows to
        # list): the log entry says "Added." as for an agreement without inlines.
        return super().construct_change_message(request, form, [] if add else formsets, add)

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
        change_url = reverse("admin:partners_agreement_change", args=[agreement.pk])
        if request.method == "POST":
            form = TransitionForm(request.POST, agreement=agreement, target=target)
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
                initial={"on": timezone.localdate()}, agreement=agreement, target=target
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
class AgreementStatusChangeAdmin(BadFiltersRefusedMixin, admin.ModelAdmin):
    """Read-only: steps are written only by the lifecycle buttons on an agreement."""

    list_display = ["agreement", "from_status", "to_status", "changed_on", "changed_by", "note"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["agreement", "changed_by"]
    search_fields = [*(f"agreement__{column}" for column in columns("title")), "note"]
    date_hierarchy = "changed_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreementReminder)
class AgreementReminderAdmin(BadFiltersRefusedMixin, admin.ModelAdmin):
    """What the daily reminder command has sent (read-only)."""

    list_display = ["agreement", "reason", "event_date", "sent_at"]
    list_filter = ["reason"]
    list_select_related = ["agreement"]
    search_fields = [f"agreement__{column}" for column in columns("title")]
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
    search_fields = [
        *(f"agreement__{column}" for column in columns("title")),
        "partner__name",
        "partner__short_name",
    ]
    autocomplete_fields = ["agreement", "partner"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement", "partner")

"""The back-office for activities (incl. trainings), who took part, and the knowledge hub."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from activities.imports import ActivityResource, ParticipationResource
from activities.models import Activity, Participation, Resource
from partners.admin import AutocompleteInline, ImportExportOperationsAdmin, OperationsAdmin


class ParticipationFormSet(forms.BaseInlineFormSet):
    """A partner listed twice gets a message on the row, not a database error."""

    def clean(self):
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            partner = form.cleaned_data.get("partner")
            if partner is None:
                continue
            if partner.pk in seen:
                form.add_error("partner", _("This partner is already listed for this activity."))
            seen.add(partner.pk)
        if any(form.errors for form in self.forms):
            raise ValidationError(_("Please correct the participating partners below."))
        super().clean()


class ParticipationInline(AutocompleteInline):
    model = Participation
    formset = ParticipationFormSet
    fields = ["partner", "role", "attendees"]
    autocomplete_fields = ["partner"]
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity", "partner")


@admin.register(Activity)
class ActivityAdmin(ImportExportOperationsAdmin):
    resource_classes = [ActivityResource]
    list_display = [
        "title",
        "kind",
        "status",
        "starts_on",
        "ends_on",
        "venue",
        "organisers",
        "total_attendees",
    ]
    list_filter = ["kind", "status", "format", "venue_type", "themes"]
    list_select_related = ["venue_partner"]
    search_fields = ["title", "slug", "summary", "participants__name", "participants__short_name"]
    autocomplete_fields = ["venue_partner", "agreement", "themes"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
    inlines = [ParticipationInline]
    readonly_fields = ["published_at", "created_by", "created_at", "updated_at"]
    actions = ["publish", "cancel"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "published_at"]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("starts_on", "ends_on"),
                    "venue_type",
                    "venue_partner",
                    ("venue_name", "venue_country"),
                ]
            },
        ),
        (_("Content"), {"fields": ["summary", "description", "outcomes", "themes", "agreement"]}),
        (_("Training"), {"fields": ["hours", "format", "trainers"]}),
        (_("Internal"), {"fields": ["notes", "created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("venue_partner", "agreement", "created_by")
            .prefetch_related("participations__partner")
        )

    @admin.display(description=_("venue"))
    def venue(self, activity):
        return activity.venue_label

    @admin.display(description=_("organisers"))
    def organisers(self, activity):
        return ", ".join(
            p.partner.display_name
            for p in activity.participations.all()
            if p.role in Participation.ORGANISING_ROLES
        )

    @admin.display(description=_("attendees"))
    def total_attendees(self, activity):
        return sum(p.attendees for p in activity.participations.all())

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _set_status(self, request, queryset, status, done_message):
        # save() one by one (not queryset.update) so every change lands in the history and
        # published_at is set on first publication.
        changed = 0
        for activity in queryset.exclude(status=status):
            activity.status = status
            activity._history_user = request.user
            activity.save(update_fields=["status", "published_at", "updated_at"])
            changed += 1
        self.message_user(request, done_message(changed) % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected activities"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Activity.Status.PUBLISHED,
            lambda n: ngettext(
                "%(count)d activity published.", "%(count)d activities published.", n
            ),
        )

    @admin.action(description=_("Cancel the selected activities"), permissions=["change"])
    def cancel(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Activity.Status.CANCELLED,
            lambda n: ngettext(
                "%(count)d activity cancelled.", "%(count)d activities cancelled.", n
            ),
        )


@admin.register(Participation)
class ParticipationAdmin(ImportExportOperationsAdmin):
    resource_classes = [ParticipationResource]
    list_display = ["activity", "activity_date", "partner", "role", "attendees"]
    list_filter = ["role", "activity__kind", "partner__kind", "partner__region"]
    list_select_related = ["activity", "partner"]
    search_fields = ["activity__title", "partner__name", "partner__short_name"]
    autocomplete_fields = ["activity", "partner"]
    date_hierarchy = "activity__starts_on"
    fields = ["activity", "partner", "role", "attendees"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity", "partner")

    @admin.display(description=_("date"), ordering="activity__starts_on")
    def activity_date(self, participation):
        return participation.activity.starts_on


@admin.register(Resource)
class ResourceAdmin(OperationsAdmin):
    list_display = ["title", "kind", "language", "published_on", "publishers", "is_public"]
    list_filter = ["kind", "language", "is_public", "themes"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["themes", "activities", "partners"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fields = [
        "title",
        "slug",
        "kind",
        "description",
        "file",
        "url",
        "language",
        "themes",
        "activities",
        "partners",
        "published_on",
        "is_public",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description=_("published by"))
    def publishers(self, resource):
        return ", ".join(p.display_name for p in resource.partners.all())

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

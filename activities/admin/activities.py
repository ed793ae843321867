"""The admin of activities (incl. trainings), with their participating partners inline."""

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum, UniqueConstraint
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from activities import services
from activities.admin.lists import (
    LargeTablePaginator,
    PartnerFilter,
    ThemeFilter,
    YearFilter,
    search_terms,
)
from activities.imports import ActivityResource
from activities.models import Activity, Participation
from allas.admin import AutocompleteInline, ImportExportOperationsAdmin, TranslatedAdminMixin
from allas.templatetags.translations import in_language
from allas.translation import columns, matches_in_any_language
from partners.models import Partner


class ConstraintMessageFormSet(forms.BaseInlineFormSet):
    """Rows repeating a unique combination are refused by Django's check across the rows
    (``validate_unique``, which reads the model's UniqueConstraints); the message shown is
    the constraint's own ``violation_error_message`` rather than Django's generic one."""

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.constraints:
            unique = isinstance(constraint, UniqueConstraint) and constraint.condition is None
            if unique and set(constraint.fields) == set(unique_check):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)


# The activity's texts the admin search reads, in every language.
SEARCHED = ("title", "summary")


class ParticipationInline(AutocompleteInline):
    model = Participation
    formset = ConstraintMessageFormSet
    fields = ["partner", "role", "attendees"]
    autocomplete_fields = ["partner"]
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity", "partner")


@admin.register(Activity)
class ActivityAdmin(TranslatedAdminMixin, ImportExportOperationsAdmin):
    """Activities with their texts in every language (one fieldset per language, the
    original first) and their participating partners inline."""

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
    list_filter = ["kind", "status", YearFilter, "format", "venue_type", ThemeFilter, PartnerFilter]
    list_select_related = ["venue_partner"]
    # The activity's own columns, in every language; partner names are searched in
    # get_search_results.
    search_fields = ["slug", *columns(*SEARCHED)]
    search_help_text = _(
        "Searches titles and summaries in every language, and the names of participating partners."
    )
    # Sorting by these reads an index or sorts a narrow column; the other columns are computed.
    sortable_by = ["title", "kind", "status", "starts_on", "ends_on"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    autocomplete_fields = ["venue_partner", "agreement", "themes"]
    prepopulated_fields = {"slug": columns("title")}
    inlines = [ParticipationInline]
    readonly_fields = ["published_at", "created_by", "created_at", "updated_at"]
    actions = ["publish", "cancel"]
    # The texts (title, summary, description, outcomes, venue name) are in one fieldset per
    # language, after the first (TranslatedAdminMixin).
    fieldsets = [
        (None, {"fields": ["slug", "kind", "status", "published_at"]}),
        (
            _("When and where"),
            {"fields": [("starts_on", "ends_on"), "venue_type", "venue_partner", "venue_country"]},
        ),
        (_("Content"), {"fields": ["themes", "agreement"]}),
        (_("Training"), {"fields": ["hours", "format", "trainers"]}),
        (_("Internal"), {"fields": ["notes", "created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("venue_partner", "agreement", "created_by")
            # Only what the columns show: the organisers, and the attendees summed by the
            # database (an activity may have dozens of participating partners).
            .annotate(
                _attendees=Subquery(
                    Participation.objects.filter(activity=OuterRef("pk"))
                    .order_by()
                    .values("activity")
                    .annotate(total=Sum("attendees"))
                    .values("total")
                )
            )
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.filter(
                        role__in=Participation.ORGANISING_ROLES
                    ).select_related("partner"),
                    to_attr="organising",
                )
            )
        )

    def get_search_results(self, request, queryset, search_term):
        """Every word in a column of the activity or in the name of a participating partner.

        Each side is a subquery the database runs once (the activity's columns in every
        language, partners through their small table): no join of the participations, so no
        DISTINCT over the whole list.
        """
        for term in search_terms(search_term):
            own_columns = Activity.objects.filter(
                matches_in_any_language(SEARCHED, term) | Q(slug__icontains=term)
            )
            with_partner = Participation.objects.filter(partner__in=Partner.objects.named(term))
            queryset = queryset.filter(
                Q(pk__in=own_columns.values("pk")) | Q(pk__in=with_partner.values("activity_id"))
            )
        return queryset, False

    # Sorted by the slug: the title differs per language, the slug is the same in all.
    @admin.display(description=_("title"), ordering="slug")
    def title(self, activity):
        return in_language(activity.title)

    @admin.display(description=_("venue"))
    def venue(self, activity):
        return activity.venue_label

    @admin.display(description=_("organisers"))
    def organisers(self, activity):
        return ", ".join(p.partner.display_name for p in activity.organising)

    @admin.display(description=_("attendees"))
    def total_attendees(self, activity):
        return activity._attendees or 0

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected activities"), permissions=["change"])
    def publish(self, request, queryset):
        published = sum(
            services.activity_publish(activity=activity, by=request.user)
            for activity in queryset.exclude(status=Activity.Status.PUBLISHED)
        )
        text = ngettext(
            "%(count)d activity published.", "%(count)d activities published.", published
        )
        self.message_user(request, text % {"count": published}, messages.SUCCESS)

    @admin.action(description=_("Cancel the selected activities"), permissions=["change"])
    def cancel(self, request, queryset):
        cancelled = sum(
            services.activity_cancel(activity=activity, by=request.user)
            for activity in queryset.exclude(status=Activity.Status.CANCELLED)
        )
        text = ngettext(
            "%(count)d activity cancelled.", "%(count)d activities cancelled.", cancelled
        )
        self.message_user(request, text % {"count": cancelled}, messages.SUCCESS)

"""The admin of participations: who took part in which activity, a list of a million rows."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.admin.lists import (
    LargeTablePaginator,
    ParticipationYearFilter,
    PartnerFilter,
    search_terms,
)
from activities.imports import ParticipationResource
from activities.models import Activity, Participation
from allas.admin import ImportExportOperationsAdmin
from allas.translation import columns, matches_in_any_language
from partners.models import Partner


@admin.register(Participation)
class ParticipationAdmin(ImportExportOperationsAdmin):
    resource_classes = [ParticipationResource]
    list_display = ["activity", "activity_date", "partner", "role", "attendees"]
    list_filter = [
        "role",
        ParticipationYearFilter,
        "activity__kind",
        "partner__kind",
        "partner__region",
        PartnerFilter,
    ]
    list_select_related = ["activity", "partner"]
    search_fields = [
        *(f"activity__{column}" for column in columns("title")),
        "partner__name",
        "partner__short_name",
    ]
    search_help_text = _("Searches activity titles in every language and partner names.")
    # Newest first, read from the primary key. A million rows cannot be sorted per request,
    # so the columns do not sort; filter or search instead.
    ordering = ["-pk"]
    sortable_by = []
    paginator = LargeTablePaginator
    show_full_result_count = False
    autocomplete_fields = ["activity", "partner"]
    fields = ["activity", "partner", "role", "attendees"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activity", "partner")

    def get_search_results(self, request, queryset, search_term):
        """Every word in the activity's title (in any language) or the partner's name, each
        matched as a subquery on its own (small) table rather than across the join of a
        million rows."""
        for term in search_terms(search_term):
            queryset = queryset.filter(
                Q(activity__in=Activity.objects.filter(matches_in_any_language(["title"], term)))
                | Q(partner__in=Partner.objects.named(term))
            )
        return queryset, False

    @admin.display(description=_("date"), ordering="activity__starts_on")
    def activity_date(self, participation):
        return participation.activity.starts_on

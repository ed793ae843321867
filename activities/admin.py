"""The back-office for activities (incl. trainings), who took part, and the knowledge hub."""

import datetime
from functools import cached_property

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from activities import review, services
from activities.imports import ActivityResource, ParticipationResource
from activities.models import Activity, Participation, ProposedChange, Resource
from allas.admin import AutocompleteInline, ImportExportOperationsAdmin, OperationsAdmin
from partners.models import Partner, Theme

# ---------------------------------------------------------------------------------------------
# Large lists: a bounded count, and filters whose options do not grow with the data.


class LargeTablePaginator(Paginator):
    """Counts at most ``cap`` + 1 rows, in one query whatever the size of the table.

    The stock changelist counts every matching row, which on a million participations takes
    longer than the page itself. Here a longer list shows "more than 10,000" (filtered) or,
    unfiltered on PostgreSQL, the planner's estimate of the table's rows (pg_class.reltuples,
    read in the same query): "about 1,000,000". Pages past the cap are not offered.
    """

    cap = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        subquery = queryset.order_by().values("pk")[: self.cap + 1].query
        sql, params = subquery.sql_with_params()
        connection = connections[queryset.db]
        estimate_sql = "NULL"
        if connection.vendor == "postgresql" and not queryset.query.where:
            estimate_sql = "(SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass)"
            params = (*params, connection.ops.quote_name(queryset.model._meta.db_table))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT (SELECT COUNT(*) FROM ({sql}) capped), {estimate_sql}", params)
            counted, estimate = cursor.fetchone()
        self.count_is_exact = counted <= self.cap
        self.count_is_estimate = not self.count_is_exact and bool(estimate)
        if self.count_is_estimate:
            return max(int(estimate), counted)
        return counted

    @property
    def count_label(self):
        """How the admin shows the count when it is not exact (None when it is)."""
        count = self.count
        if self.count_is_exact:
            return None
        if self.count_is_estimate:
            return gettext("about %(count)s") % {"count": number_format(count, force_grouping=True)}
        return gettext("more than %(count)s") % {
            "count": number_format(self.cap, force_grouping=True)
        }


class ChosenFilter(admin.SimpleListFilter):
    """Applied whenever its parameter is given, even if it has no options to show (a deleted
    partner, an empty year): the stock filter would then be dropped and list every row."""

    def has_output(self):
        return self.value() is not None or super().has_output()


class YearFilter(ChosenFilter):
    """One year of activities, instead of a date hierarchy: the years offered come from the
    first and last dates (two ends of an index), not from a scan of every row."""

    title = _("year")
    parameter_name = "year"
    date_field = "starts_on"

    def lookups(self, request, model_admin):
        bounds = Activity.objects.aggregate(first=Min("starts_on"), last=Max("starts_on"))
        if bounds["first"] is None:
            return []
        years = range(bounds["last"].year, bounds["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year = int(value)
            start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        except (TypeError, ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})


class ParticipationYearFilter(YearFilter):
    date_field = "activity__starts_on"


def _id_value(value):
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise IncorrectLookupParameters(error) from error


class PartnerFilter(ChosenFilter):
    """The records of one partner (``?partner=<id>``, linked from each partner's page).

    There are thousands of partners, so the filter never lists them: it shows only the one
    chosen. To find a partner's records by name, use the search box.
    """

    title = _("partner")
    parameter_name = "partner"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []
        partner = Partner.objects.filter(pk=_id_value(value)).first()
        return [(str(partner.pk), partner.display_name)] if partner else []

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        partner_id = _id_value(self.value())
        if queryset.model is Participation:
            return queryset.filter(partner_id=partner_id)
        return queryset.filter(
            pk__in=Participation.objects.filter(partner_id=partner_id).values("activity_id")
        )


class ThemeFilter(ChosenFilter):
    """A theme, matched with a subquery so the list needs no DISTINCT over a join."""

    title = _("theme")
    parameter_name = "theme"

    def lookups(self, request, model_admin):
        return [(str(theme.pk), theme.name) for theme in Theme.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        through = Activity.themes.through
        return queryset.filter(
            pk__in=through.objects.filter(theme_id=_id_value(self.value())).values("activity_id")
        )


def search_terms(search_term):
    """The words of a search, as the stock admin splits them ("quoted phrases" kept)."""
    for bit in smart_split(search_term):
        if bit[:1] in ('"', "'") and bit[-1:] == bit[:1]:
            bit = unescape_string_literal(bit)
        if bit:
            yield bit


def partners_named(term):
    return Partner.objects.filter(Q(name__icontains=term) | Q(short_name__icontains=term))


class ConstraintMessageFormSet(forms.BaseInlineFormSet):
    """Rows repeating a unique combination are refused by Django's check across the rows
    (``validate_unique``, which reads the model's UniqueConstraints); the message shown is
    the constraint's own ``violation_error_message`` rather than Django's generic one."""

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.total_unique_constraints:
            if set(constraint.fields) == set(unique_check):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)


class ParticipationInline(AutocompleteInline):
    model = Participation
    formset = ConstraintMessageFormSet
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
    list_filter = ["kind", "status", YearFilter, "format", "venue_type", ThemeFilter, PartnerFilter]
    list_select_related = ["venue_partner"]
    # The activity's own columns; partner names are searched in get_search_results.
    search_fields = ["title", "slug", "summary"]
    search_help_text = _("Searches titles, summaries and the names of participating partners.")
    # Sorting by these reads an index or sorts a narrow column; the other columns are computed.
    sortable_by = ["title", "kind", "status", "starts_on", "ends_on"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    autocomplete_fields = ["venue_partner", "agreement", "themes"]
    prepopulated_fields = {"slug": ["title"]}
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

        Each side is a subquery the database runs once (the activity's columns through their
        trigram indexes on PostgreSQL, partners through their small table): no join of the
        participations, so no DISTINCT over the whole list.
        """
        for term in search_terms(search_term):
            own_columns = Activity.objects.filter(
                Q(title__icontains=term) | Q(slug__icontains=term) | Q(summary__icontains=term)
            )
            with_partner = Participation.objects.filter(partner__in=partners_named(term))
            queryset = queryset.filter(
                Q(pk__in=own_columns.values("pk")) | Q(pk__in=with_partner.values("activity_id"))
            )
        return queryset, False

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
    search_fields = ["activity__title", "partner__name", "partner__short_name"]
    search_help_text = _("Searches activity titles and partner names.")
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
        """Every word in the activity's title or the partner's name, each matched as a
        subquery on its own (small) table rather than across the join of a million rows."""
        for term in search_terms(search_term):
            queryset = queryset.filter(
                Q(activity__in=Activity.objects.filter(title__icontains=term))
                | Q(partner__in=partners_named(term))
            )
        return queryset, False

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


# ---------------------------------------------------------------------------------------------
# Review of what staff changed on public records (activities.services: change_approve/reject).


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve: the public page shows the change")),
            ("reject", _("Reject: the public page stays as it is")),
        ],
        widget=forms.RadioSelect(attrs={"form": "review-form"}),
    )
    note = forms.CharField(
        label=_("Note to the staff member"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "form": "review-form"}),
        help_text=_("Required when rejecting: the staff member reads it in the staff area."),
    )
    # A rejection without a note is refused by change_reject (the rule is the constraint
    # activities_proposedchange_rejection_has_note), with its message.


class PendingFirstStatusFilter(admin.SimpleListFilter):
    """Opens on what waits for review; every other state is one click away."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ProposedChange.Status.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or ProposedChange.Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or ProposedChange.Status.PENDING
        if value == "all":
            return queryset
        if value not in ProposedChange.Status.values:
            return queryset.none()
        return queryset.filter(status=value)


@admin.register(ProposedChange)
class ProposedChangeAdmin(OperationsAdmin):
    """The review queue: each change with its diff against the live record; the decision is
    a small form on the change page. Changes are made by staff, so none are added or deleted
    here."""

    list_display = ["__str__", "record_kind", "proposed_by", "proposed_at", "status"]
    list_filter = [PendingFirstStatusFilter]
    list_select_related = ["activity", "resource", "proposed_by"]
    search_fields = ["activity__title", "resource__title", "proposed_by__username"]
    ordering = ["proposed_at", "pk"]
    fields = [
        "record_link",
        "status",
        "proposed_by",
        "proposed_at",
        "changes",
        "proposed_file",
        "decided_by",
        "decided_at",
        "note",
    ]
    readonly_fields = fields
    change_form_template = "admin/activities/proposedchange/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).for_review()

    @admin.display(description=_("kind"))
    def record_kind(self, change):
        return change.record._meta.verbose_name

    @admin.display(description=_("record"))
    def record_link(self, change):
        record = change.record
        url = reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
        )
        return format_html('<a href="{}">{}</a>', url, record)

    @admin.display(description=_("changes (live version → proposed)"))
    def changes(self, change):
        # A decided change shows what it proposed against the version it was proposed on.
        rows = review.diff(change, before=None if change.is_pending else change.base)
        if not rows:
            return gettext("Nothing differs from the live version any more.")
        return format_html(
            '<table class="review-diff"><thead><tr><th scope="col">{}</th><th scope="col">{}'
            '</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            gettext("Field"),
            gettext("Live version") if change.is_pending else gettext("Before"),
            gettext("Proposed"),
            format_html_join(
                "",
                '<tr><th scope="row">{}</th><td><del>{}</del></td><td><ins>{}</ins></td></tr>',
                rows,
            ),
        )

    @admin.display(description=_("proposed file"))
    def proposed_file(self, change):
        if not change.file:
            return "—"
        return format_html('<a href="{}">{}</a>', change.file.url, change.file.name)

    def get_urls(self):
        review_url = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="activities_proposedchange_review",
        )
        return [review_url, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = self.get_object(request, object_id)
        pending = change is not None and change.is_pending
        context = {
            **(extra_context or {}),
            "review_form": ReviewForm()
            if pending and self.has_change_permission(request)
            else None,
        }
        return super().change_view(request, object_id, form_url, extra_context=context)

    @method_decorator(require_POST)
    def review_view(self, request, object_id):
        """Approve or reject (POST only); problems come back as messages on the change page."""
        change = self.get_object(request, object_id)
        if change is None or not self.has_change_permission(request, change):
            raise Http404(gettext("No such change."))
        back = reverse("admin:activities_proposedchange_change", args=[change.pk])
        form = ReviewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(back)
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "approve":
                services.change_approve(change=change, by=request.user, note=note)
                text = gettext("The change to “%(record)s” is approved and public.")
            else:
                services.change_reject(change=change, by=request.user, note=note)
                text = gettext("The change to “%(record)s” was not accepted; the note was kept.")
        except services.ReviewError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(back)
        self.message_user(request, text % {"record": change.record}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:activities_proposedchange_changelist"))

"""The work plan in the back-office: periods, objectives, indicators with their targets, and the
figures reported when a period closed (read only).

Each period has a results page for coordinators (``admin:results_period_results``): every
objective and indicator with target, actual, share achieved and status, how each actual is
obtained, a chart per objective with its CSV, and the records behind each computed figure
(``admin:results_period_records``). Closing and reopening are buttons there (POST), written by
``results.services``; the funder's report views (``results.report``) hang from the same admin.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from allas.admin import (
    AutocompleteInline,
    ConstraintMessageFormSet,
    OperationsAdmin,
    TranslatedAdminMixin,
)
from allas.roles import is_coordinator
from allas.templatetags.translations import in_language
from allas.translation import LANGUAGE_CODES, LANGUAGE_NAMES, columns, with_language_note
from results import measures, services
from results.charts import share_chart
from results.models import Indicator, Objective, Period, ReportedFigure, Target
from results.progress import kept_progress

RECORDS_PER_PAGE = 100


def _admin_change_url(record):
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


@admin.register(Period)
class PeriodAdmin(TranslatedAdminMixin, OperationsAdmin):
    """Periods of the work plan, each with its results page (closing it is a button there)."""

    list_display = ["name", "starts_on", "ends_on", "is_closed", "results_link"]
    search_fields = ["slug", *columns("name")]
    prepopulated_fields = {"slug": columns("name")}
    readonly_fields = ["closed_at", "closed_by"]
    list_select_related = ["closed_by"]
    fieldsets = [
        (None, {"fields": ["slug", "starts_on", "ends_on"]}),
        (_("Reported"), {"fields": ["closed_at", "closed_by", "note"]}),
    ]
    change_form_template = "admin/results/period/change_form.html"

    # Sorted by the start: the name differs per language.
    @admin.display(description=_("name"), ordering="starts_on")
    def name(self, period):
        return in_language(period.name)

    @admin.display(description=_("closed"), boolean=True, ordering="closed_at")
    def is_closed(self, period):
        return period.is_closed

    @admin.display(description=_("results"))
    def results_link(self, period):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:results_period_results", args=[period.pk]),
            gettext("Results of this period"),
        )

    def save_model(self, request, obj, form, change):
        # Closed and reopened only by the buttons (results.services), never by restoring an
        # earlier version from the history, which would bring back another closing.
        if change:
            current = Period.objects.filter(pk=obj.pk).values("closed_at", "closed_by").first()
            if current is not None:
                obj.closed_at, obj.closed_by_id = current["closed_at"], current["closed_by"]
        super().save_model(request, obj, form, change)

    def get_urls(self):
        from results import report

        def view(function, route, name):
            return path(route, self.admin_site.admin_view(function), name=f"results_period_{name}")

        return [
            view(self.results_view, "<path:object_id>/results/", "results"),
            view(self.records_view, "<path:object_id>/records/<int:indicator_id>/", "records"),
            view(self.close_view, "<path:object_id>/close/", "close"),
            view(self.reopen_view, "<path:object_id>/reopen/", "reopen"),
            view(report.report_html, "<path:object_id>/report/", "report"),
            view(report.report_pdf, "<path:object_id>/report.pdf", "report_pdf"),
            view(report.report_xlsx, "<path:object_id>/report.xlsx", "report_xlsx"),
            *super().get_urls(),
        ]

    def _period_for_coordinator(self, request, object_id):
        """The period, for a coordinator; 404 for anyone else, and for a key that is none
        ("abc", a number too large): the page does not exist for them."""
        if not is_coordinator(request.user):
            raise Http404("No such page.")
        try:
            return Period.objects.select_related("closed_by").get(pk=int(object_id))
        except (ValueError, OverflowError, Period.DoesNotExist) as error:
            raise Http404("No such period.") from error

    # Each view checks who asks before the method: others get 404 whatever they send.
    def results_view(self, request, object_id):
        period = self._period_for_coordinator(request, object_id)
        return require_safe(self._results)(request, period)

    def _results(self, request, period):
        progress = kept_progress(period)
        charts = [share_chart(objective) for objective in progress.objectives]
        wanted = request.GET.get("csv")
        if wanted is not None:
            chart = next((c for c in charts if c.name == wanted), None)
            if chart is None:
                raise Http404(
                    gettext("There is no chart called “%(name)s”.") % {"name": wanted[:50]}
                )
            return chart.csv_response(f"allas-results-{period.slug}-{chart.name}.csv")

        for figure in progress.figures:
            indicator = figure.indicator
            if indicator.is_computed:
                figure.records_url = reverse(
                    "admin:results_period_records", args=[period.pk, indicator.pk]
                )
            figure.change_url = reverse("admin:results_indicator_change", args=[indicator.pk])
        report_links = [
            {
                "language": LANGUAGE_NAMES[code],
                "code": code,
                "html": reverse("admin:results_period_report", args=[period.pk]) + f"?lang={code}",
                "pdf": reverse("admin:results_period_report_pdf", args=[period.pk])
                + f"?lang={code}",
                "xlsx": reverse("admin:results_period_report_xlsx", args=[period.pk])
                + f"?lang={code}",
            }
            for code in LANGUAGE_CODES
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Results: %(period)s") % {"period": with_language_note(period.name)},
            "opts": self.opts,
            "original": period,
            "period": period,
            "progress": progress,
            "sections": [
                (objective, chart, chart.svg())
                for objective, chart in zip(progress.objectives, charts, strict=True)
            ],
            "counts": [
                (ReportedFigure.Status(status).label, count)
                for status, count in progress.count_by_status().items()
                if count
            ],
            "report_links": report_links,
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/results/period/results.html", context)

    def records_view(self, request, object_id, indicator_id):
        period = self._period_for_coordinator(request, object_id)
        return require_safe(self._records)(request, period, indicator_id)

    def _records(self, request, period, indicator_id):
        indicator = (
            Indicator.objects.select_related("objective", "theme", "network")
            .filter(pk=indicator_id, source=Indicator.Source.COMPUTED)
            .first()
        )
        if indicator is None:
            raise Http404("No such computed indicator.")
        model = measures.RECORDS_OF[indicator.measure][0]
        rows = measures.records(indicator, period).order_by("pk")
        page = Paginator(rows, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
        for record in page:
            record.admin_url = _admin_change_url(record)
        reported = None
        if period.is_closed:
            reported = (
                ReportedFigure.objects.filter(period=period, indicator=indicator)
                .values_list("actual", flat=True)
                .first()
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Records behind “%(indicator)s”")
            % {"indicator": with_language_note(indicator.name)},
            "opts": self.opts,
            "original": period,
            "period": period,
            "indicator": indicator,
            "definition": indicator.definition(),
            "figure": measures.compute(indicator, period),
            "reported": reported,
            "records_name": model._meta.verbose_name_plural,
            "page": page,
            "results_url": reverse("admin:results_period_results", args=[period.pk]),
        }
        return TemplateResponse(request, "admin/results/period/records.html", context)

    def close_view(self, request, object_id):
        period = self._period_for_coordinator(request, object_id)
        return require_POST(self._close_or_reopen)(request, period, services.period_close)

    def reopen_view(self, request, object_id):
        period = self._period_for_coordinator(request, object_id)
        return require_POST(self._close_or_reopen)(request, period, services.period_reopen)

    def _close_or_reopen(self, request, period, service):
        if not self.has_change_permission(request, period):
            raise Http404("No such page.")
        try:
            period = service(period=period, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            done = (
                gettext("“%(period)s” is closed: its figures are reported and frozen.")
                if period.is_closed
                else gettext("“%(period)s” is open again: its figures are live.")
            )
            self.message_user(request, done % {"period": period}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:results_period_results", args=[period.pk]))


@admin.register(Objective)
class ObjectiveAdmin(TranslatedAdminMixin, OperationsAdmin):
    """Objectives in the four languages, each under one or more working themes."""

    list_display = ["title", "theme_names", "position"]
    list_editable = ["position"]
    list_filter = ["themes"]
    search_fields = columns("title")
    fieldsets = [
        (None, {"fields": ["themes", "position"]}),
        (_("Internal"), {"fields": ["note"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            # Few themes: every one visible at once, usable without a script.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Sorted by the position: the title differs per language.
    @admin.display(description=_("title"), ordering="position")
    def title(self, objective):
        return in_language(objective.title)

    @admin.display(description=_("themes"))
    def theme_names(self, objective):
        return format_html_join(
            ", ", "{}", ((in_language(theme.name),) for theme in objective.themes.all())
        )


class SourceLinkMixin:
    """A source link typed without its scheme is read as https (Django 6's default)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "source_note" and formfield is not None:
            formfield.widget.attrs["rows"] = 2
        return formfield


class TargetFormSet(ConstraintMessageFormSet):
    """An indicator computed from the records has no actual entered by hand. Its rows are
    checked here too, since on a new indicator (not yet saved) the target's own check cannot
    see it."""

    def clean(self):
        super().clean()
        if not self.instance.is_computed:
            return
        for form in self.forms:
            if form.cleaned_data.get("actual") is not None and not form.cleaned_data.get("DELETE"):
                form.add_error(
                    "actual",
                    _("This indicator is computed from the records; leave it empty."),
                )


class TargetInline(SourceLinkMixin, AutocompleteInline):
    """Targets of the periods still open (a closed period's are below, read only)."""

    model = Target
    formset = TargetFormSet
    fields = ["period", "value", "actual", "source_note", "source_url", "source_document"]
    show_change_link = False
    verbose_name = _("target of an open period")
    verbose_name_plural = _("targets of open periods")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(period__closed_at__isnull=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            kwargs["queryset"] = Period.objects.filter(closed_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ClosedTargetInline(SourceLinkMixin, AutocompleteInline):
    """Targets of closed periods: reported, so read only (reopen the period to change them)."""

    model = Target
    fields = ["period", "value", "actual", "source_note", "source_url", "source_document"]
    show_change_link = False
    verbose_name = _("target of a closed period")
    verbose_name_plural = _("targets of closed periods (reported: reopen the period to change)")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(period__closed_at__isnull=False)
        ).select_related("period")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(TranslatedAdminMixin, OperationsAdmin):
    """Indicators of the objectives, each with a target per period and the way its actual
    value is obtained: one of the fixed definitions narrowed, or by hand with its source."""

    list_display = ["name", "objective", "unit", "source", "measure", "position", "is_public"]
    list_editable = ["position"]
    list_filter = ["objective", "source", "measure", "is_public"]
    list_select_related = ["objective"]
    search_fields = columns("name")
    autocomplete_fields = ["theme", "network"]
    inlines = [TargetInline, ClosedTargetInline]
    fieldsets = [
        (None, {"fields": ["objective", "position", "baseline", "on_track_from", "is_public"]}),
        (
            _("How the actual value is obtained"),
            {
                "fields": [
                    "source",
                    "measure",
                    "activity_kind",
                    "agreement_status",
                    "theme",
                    "network",
                    "region",
                    "country",
                    "partner_kind",
                ],
                "description": _(
                    "Computed from the records: choose a definition, then narrow it if needed "
                    "(all narrowing fields empty: the whole network). Entered by hand: leave "
                    "the definition and the narrowing empty, and give each target its actual "
                    "value with its source (a note, a link or a document)."
                ),
            },
        ),
    ]

    # Sorted by the plan's order: the name differs per language.
    @admin.display(description=_("name"), ordering="position")
    def name(self, indicator):
        return in_language(indicator.name)

    @admin.display(description=_("unit"))
    def unit(self, indicator):
        return in_language(indicator.unit)


@admin.register(Target)
class TargetAdmin(SourceLinkMixin, OperationsAdmin):
    """Targets one by one, with their history. A closed period's are read only."""

    list_display = ["indicator", "period", "value", "actual"]
    list_filter = ["period", "indicator__objective"]
    list_select_related = ["indicator", "period"]
    search_fields = [f"indicator__{column}" for column in columns("name")]
    autocomplete_fields = ["indicator", "period"]
    fields = [
        "indicator",
        "period",
        "value",
        "actual",
        "source_note",
        "source_url",
        "source_document",
    ]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.period.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.period.is_closed:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReportedFigure)
class ReportedFigureAdmin(OperationsAdmin):
    """Read only: written by closing a period, removed by reopening it (the history keeps
    every figure ever reported)."""

    list_display = [
        "indicator",
        "period",
        "baseline",
        "target",
        "actual",
        "public_actual",
        "status",
    ]
    list_filter = ["period", "status"]
    list_select_related = ["indicator", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

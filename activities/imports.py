"""Spreadsheet import and export of activities and of who took part in them.

Two files that go together: activities (one row per activity, identified by slug) and
participations (one row per activity and partner). Import the activities first.

An activity's texts travel as ``original_language`` and a column per language (``title_es``,
``title_pt``, …, ``summary_es``, …); older files with plain ``title``, ``summary``,
``description``, ``outcomes`` and ``venue_name`` columns still import, as the texts in the
original language (``partners.imports.TranslatedResource``).
"""

from django.utils.translation import gettext as _
from import_export import fields, widgets

from activities.models import Activity, Participation
from allas.translation import columns
from partners.imports import (
    BaseResource,
    ChoiceWidget,
    CountryWidget,
    IsoDateWidget,
    PartnerSlugWidget,
    TranslatedResource,
)
from partners.models import Agreement, Partner, Theme


class ActivitySlugWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Activity, field="slug")

    def clean(self, value, row=None, **kwargs):
        slug = str(value or "").strip()
        if not slug:
            return None
        try:
            return Activity.objects.get(slug=slug)
        except Activity.DoesNotExist:
            raise ValueError(
                _("Unknown activity “%(slug)s”: import the activities first.") % {"slug": slug}
            ) from None


class AgreementSlugWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Agreement, field="slug")

    def clean(self, value, row=None, **kwargs):
        slug = str(value or "").strip()
        if not slug:
            return None
        try:
            return Agreement.objects.get(slug=slug)
        except Agreement.DoesNotExist:
            raise ValueError(_("Unknown agreement “%(slug)s”.") % {"slug": slug}) from None


class ThemeSlugsWidget(widgets.ManyToManyWidget):
    """Themes as slugs separated by commas."""

    def __init__(self):
        super().__init__(Theme, separator=",", field="slug")

    def clean(self, value, row=None, **kwargs):
        slugs = [s.strip() for s in str(value or "").split(",") if s.strip()]
        themes = list(Theme.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {t.slug for t in themes})
        if unknown:
            raise ValueError(_("Unknown theme(s): %(slugs)s.") % {"slugs": ", ".join(unknown)})
        return themes


class ActivityResource(TranslatedResource):
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Activity.Kind))
    status = fields.Field(
        attribute="status", column_name="status", widget=ChoiceWidget(Activity.Status)
    )
    starts_on = fields.Field(attribute="starts_on", column_name="starts_on", widget=IsoDateWidget())
    ends_on = fields.Field(attribute="ends_on", column_name="ends_on", widget=IsoDateWidget())
    venue_type = fields.Field(
        attribute="venue_type", column_name="venue_type", widget=ChoiceWidget(Activity.VenueType)
    )
    venue_partner = fields.Field(
        attribute="venue_partner",
        column_name="venue_partner",
        widget=PartnerSlugWidget(kind=Partner.Kind.CITY),
    )
    venue_country = fields.Field(
        attribute="venue_country", column_name="venue_country", widget=CountryWidget()
    )
    format = fields.Field(
        attribute="format",
        column_name="format",
        widget=ChoiceWidget(Activity.Format, blank=True),
    )
    agreement = fields.Field(
        attribute="agreement", column_name="agreement", widget=AgreementSlugWidget()
    )
    themes = fields.Field(attribute="themes", column_name="themes", widget=ThemeSlugsWidget())

    class Meta:
        model = Activity
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "original_language",
            *columns("title"),
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "venue_type",
            "venue_partner",
            *columns("venue_name"),
            "venue_country",
            *columns("summary", "description", "outcomes"),
            "hours",
            "format",
            "trainers",
            "agreement",
            "themes",
            "notes",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("venue_partner", "agreement")
            .prefetch_related("themes")
        )

    def dehydrate_themes(self, activity):
        return ",".join(sorted(theme.slug for theme in activity.themes.all()))


class ParticipationResource(BaseResource):
    """Who took part: one row per activity and partner, identified by both slugs."""

    activity = fields.Field(
        attribute="activity", column_name="activity", widget=ActivitySlugWidget()
    )
    partner = fields.Field(attribute="partner", column_name="partner", widget=PartnerSlugWidget())
    role = fields.Field(
        attribute="role", column_name="role", widget=ChoiceWidget(Participation.Role)
    )

    class Meta:
        model = Participation
        import_id_fields = ["activity", "partner"]
        fields = ["activity", "partner", "role", "attendees"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("activity", "partner")

"""The work plan and its results: periods, objectives under the working themes, indicators with
a target per period, and the figures frozen when a period is reported.

An indicator's actual value is either computed from the records, by one of the fixed
definitions of ``results.measures`` narrowed by the fields below (no query language, no code
typed in the admin), or entered by hand on its target with the source it comes from. The rules
between fields are named constraints, each with its message; ``full_clean()`` checks them.
Reading the figures: ``results.progress``. Closing a period: ``results.services``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from activities.models import Activity
from allas.choices import ChoiceLabels
from allas.media import RandomFileName
from allas.translation import Translatable, translated, written_in_original_language
from allas.validators import validate_document
from partners.models import Agreement, Partner, Theme

# Figures are counts, hours and sums of them: twelve digits before the point is plenty.
FIGURE = {"max_digits": 14, "decimal_places": 2}
MAX_FIGURE = Decimal("999999999999.99")


class Measure(models.TextChoices):
    """The definitions an actual value can be computed by (``results.measures`` computes
    them). Each counts only what was done: published activities, not drafts."""

    ACTIVITIES = "activities", _("Published activities")
    TRAININGS = "trainings", _("Published trainings")
    TRAINING_HOURS = "training_hours", _("Hours of training")
    ATTENDEES = "attendees", _("Attendees")
    ATTENDEE_HOURS = "attendee_hours", _("Attendee-hours of training")
    PARTNERS_TAKING_PART = "partners_taking_part", _("Distinct partners taking part")
    PARTNERS_JOINING = "partners_joining", _("Partners joining a network")
    AGREEMENTS_REACHING = "agreements_reaching", _("Agreements reaching a status")
    RESOURCES_PUBLISHED = "resources_published", _("Resources published")


# The measures an activity kind narrows (the training measures are trainings already).
MEASURES_OF_ANY_KIND = [Measure.ACTIVITIES, Measure.ATTENDEES, Measure.PARTNERS_TAKING_PART]


class Period(Translatable):
    """A period the work plan sets targets for: a year, or the project's own periods.

    Closed once reported (``results.services.period_close``): its figures are then the
    ``ReportedFigure`` rows written at that moment, whatever the records say later."""

    TRANSLATED_FIELDS = ("name",)
    REQUIRED_IN_ORIGINAL = ("name",)

    name = translated(models.CharField(_("name"), max_length=120))
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Its address on the public site.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    note = models.TextField(
        _("internal note"),
        blank=True,
        help_text=_("Not shown publicly. Mark here which facts are illustrative."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("closed by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "slug"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.CheckConstraint(
                name="results_period_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="results_period_name_in_original_language",
                condition=written_in_original_language("name"),
                violation_error_message=_("Write the name in the original language."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_closed(self):
        return self.closed_at is not None

    def elapsed_share(self, today):
        """The share of the period gone by on ``today``, from 0 to 1."""
        if today < self.starts_on:
            return Decimal(0)
        if today >= self.ends_on:
            return Decimal(1)
        days = (self.ends_on - self.starts_on).days + 1
        return Decimal((today - self.starts_on).days + 1) / days


class Objective(Translatable):
    """What the network sets itself to do, under one or more working themes."""

    TRANSLATED_FIELDS = ("title", "description")
    REQUIRED_IN_ORIGINAL = ("title",)

    title = translated(models.CharField(_("title"), max_length=250))
    description = translated(models.TextField(_("description")))
    themes = models.ManyToManyField(Theme, related_name="objectives", verbose_name=_("themes"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    note = models.TextField(
        _("internal note"),
        blank=True,
        help_text=_("Not shown publicly. Mark here which facts are illustrative."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.CheckConstraint(
                name="results_objective_title_in_original_language",
                condition=written_in_original_language("title"),
                violation_error_message=_("Write the title in the original language."),
            ),
        ]

    def __str__(self):
        return self.title


class IndicatorQuerySet(models.QuerySet):
    def public(self):
        """Indicators visitors see: marked public, and not narrowed to a network that is not
        public (its name and its members would show through the figure)."""
        return self.filter(Q(network__isnull=True) | Q(network__is_public=True), is_public=True)

    def in_plan_order(self):
        """Objectives in their order, then indicators in theirs, with what the figures and
        their definitions (``Indicator.definition``) read (one query)."""
        return self.select_related("objective", "theme", "network").order_by(
            "objective__position", "objective_id", "position", "pk"
        )


class Indicator(ChoiceLabels, Translatable):
    """How an objective is measured: a unit, a baseline, a target per period and the way the
    actual value is obtained."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed from the records")
        BY_HAND = "by_hand", _("Entered by hand, with its source")

    TRANSLATED_FIELDS = ("name", "unit")
    REQUIRED_IN_ORIGINAL = ("name", "unit")

    objective = models.ForeignKey(
        Objective,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    name = translated(models.CharField(_("name"), max_length=250))
    unit = translated(
        models.CharField(
            _("unit"), max_length=60, help_text=_("What is counted: trainings, attendees, hours…")
        )
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    baseline = models.DecimalField(
        _("baseline"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_FIGURE)],
        help_text=_("The value before the work plan began."),
        **FIGURE,
    )
    source = models.CharField(
        _("actual value"), max_length=10, choices=Source.choices, default=Source.COMPUTED
    )
    # The definition and its narrowing, for a computed indicator (results.measures).
    measure = models.CharField(_("computed as"), max_length=30, choices=Measure.choices, blank=True)
    activity_kind = models.CharField(
        _("kind of activity"),
        max_length=20,
        choices=Activity.Kind.choices,
        blank=True,
        help_text=_("Only activities of this kind (published activities, attendees, partners)."),
    )
    agreement_status = models.CharField(
        _("status reached"),
        max_length=20,
        choices=Agreement.Status.choices,
        blank=True,
        help_text=_("For agreements: the status they reach during the period."),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only the theme"),
    )
    region = models.CharField(
        _("only partners of the region"), max_length=10, choices=Partner.Region.choices, blank=True
    )
    country = CountryField(_("only partners of the country"), blank=True)
    partner_kind = models.CharField(
        _("only partners of the kind"), max_length=20, choices=Partner.Kind.choices, blank=True
    )
    network = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Partner.Kind.NETWORK},
        verbose_name=_("only the network"),
        help_text=_(
            "Partners joining: joining this network. Other measures: partners that are members "
            "of it during the period."
        ),
    )
    on_track_from = models.PositiveSmallIntegerField(
        _("on track from (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Share of the expected value (the target, pro rata of the time gone by while the "
            "period runs) from which the indicator is on track rather than behind."
        ),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Shown on the public Results page (computed from public records only)."),
    )

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["objective", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                name="results_indicator_computed_has_measure",
                condition=Q(source="computed", measure__gt="") | Q(source="by_hand", measure=""),
                violation_error_message=_(
                    "A computed indicator needs its definition (“computed as”); one entered by "
                    "hand has none."
                ),
            ),
            models.CheckConstraint(
                name="results_indicator_by_hand_not_narrowed",
                condition=Q(source="computed")
                | Q(
                    activity_kind="",
                    agreement_status="",
                    theme__isnull=True,
                    region="",
                    country="",
                    partner_kind="",
                    network__isnull=True,
                ),
                violation_error_message=_(
                    "An indicator entered by hand is not narrowed: leave the kind, status, "
                    "theme, region, country, partner kind and network empty."
                ),
            ),
            models.CheckConstraint(
                name="results_indicator_status_only_for_agreements",
                condition=Q(measure="agreements_reaching", agreement_status__gt="")
                | (~Q(measure="agreements_reaching") & Q(agreement_status="")),
                violation_error_message=_(
                    "Agreements reaching a status need the status; other definitions have none."
                ),
            ),
            models.CheckConstraint(
                name="results_indicator_kind_only_for_activity_measures",
                condition=Q(activity_kind="") | Q(measure__in=MEASURES_OF_ANY_KIND),
                violation_error_message=_(
                    "Only published activities, attendees and partners taking part are narrowed "
                    "by a kind of activity."
                ),
            ),
            models.CheckConstraint(
                name="results_indicator_no_theme_for_joining",
                condition=Q(theme__isnull=True) | ~Q(measure="partners_joining"),
                violation_error_message=_("Partners joining a network have no theme."),
            ),
            models.CheckConstraint(
                name="results_indicator_region_or_country",
                condition=Q(region="") | Q(country=""),
                violation_error_message=_("Narrow by a region or by a country, not both."),
            ),
            models.CheckConstraint(
                name="results_indicator_baseline_range",
                condition=Q(baseline__gte=0, baseline__lte=MAX_FIGURE),
            ),
            models.CheckConstraint(
                name="results_indicator_on_track_range",
                condition=Q(on_track_from__gte=1, on_track_from__lte=100),
            ),
            models.CheckConstraint(
                name="results_indicator_name_in_original_language",
                condition=written_in_original_language("name")
                & written_in_original_language("unit"),
                violation_error_message=_("Write the name and the unit in the original language."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_computed(self):
        return self.source == self.Source.COMPUTED

    def definition(self):
        """How the actual value is counted, in words of the active language: the definition
        and its narrowing ("Attendees, of the kind “Training”, partners of the region Europe"),
        or that it is entered by hand. Reads the theme and the network: ``in_plan_order()``
        selects them with the indicator."""
        if not self.is_computed:
            return str(self.Source.BY_HAND.label)
        if self.measure == Measure.AGREEMENTS_REACHING:
            words = [
                _("Agreements reaching the status “%(status)s”")
                % {"status": self.get_agreement_status_display()}
            ]
        elif self.measure == Measure.PARTNERS_JOINING and self.network_id:
            words = [_("Partners joining %(network)s") % {"network": self.network}]
        else:
            words = [str(self.get_measure_display())]
        if self.activity_kind:
            words.append(_("of the kind “%(kind)s”") % {"kind": self.get_activity_kind_display()})
        if self.theme_id:
            words.append(_("on the theme “%(theme)s”") % {"theme": self.theme.name})
        if self.region:
            words.append(
                _("partners of the region %(region)s") % {"region": self.get_region_display()}
            )
        if self.country:
            words.append(_("partners of %(country)s") % {"country": self.country.name})
        if self.partner_kind:
            words.append(
                _("partners of the kind “%(kind)s”") % {"kind": self.get_partner_kind_display()}
            )
        if self.network_id and self.measure != Measure.PARTNERS_JOINING:
            words.append(_("partners that are members of %(network)s") % {"network": self.network})
        return ", ".join(str(word) for word in words)


class Target(models.Model):
    """An indicator's target for a period and, for an indicator entered by hand, its actual
    value with the source it comes from."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="targets", verbose_name=_("period")
    )
    value = models.DecimalField(
        _("target"), validators=[MinValueValidator(0), MaxValueValidator(MAX_FIGURE)], **FIGURE
    )
    actual = models.DecimalField(
        _("actual value entered by hand"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_FIGURE)],
        help_text=_("Only for an indicator entered by hand; say where it comes from."),
        **FIGURE,
    )
    source_note = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source link"), blank=True, max_length=500)
    source_document = models.FileField(
        _("source document"),
        upload_to=RandomFileName("results"),
        blank=True,
        validators=[validate_document],
        help_text=_("Seen by coordinators only."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="results_target_one_per_period",
                violation_error_message=_("This indicator already has a target for the period."),
            ),
            models.CheckConstraint(
                name="results_target_actual_has_source",
                condition=Q(actual__isnull=True)
                | ~Q(source_note="")
                | ~Q(source_url="")
                | ~Q(source_document=""),
                violation_error_message=_(
                    "Say where the actual value comes from: a note, a link or a document."
                ),
            ),
            models.CheckConstraint(
                name="results_target_figures_range",
                condition=Q(value__gte=0, value__lte=MAX_FIGURE)
                & (Q(actual__isnull=True) | Q(actual__gte=0, actual__lte=MAX_FIGURE)),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.period}"

    def clean(self):
        if self.period_id and self.period.is_closed:
            raise ValidationError(
                _("The period is closed: its figures were reported. Reopen it to change them.")
            )
        if self.actual is not None and self.indicator_id and self.indicator.is_computed:
            raise ValidationError(
                {"actual": _("This indicator is computed from the records; leave it empty.")}
            )


class ReportedFigure(ChoiceLabels, models.Model):
    """An indicator's figures for a closed period as they were reported: written once by
    ``period_close``, never recomputed."""

    class Status(models.TextChoices):
        EXCEEDED = "exceeded", _("Target met or exceeded")
        ON_TRACK = "on_track", _("On track")
        BEHIND = "behind", _("Behind")
        NO_TARGET = "no_target", _("No target")
        NO_VALUE = "no_value", _("No value yet")

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="reported_figures", verbose_name=_("period")
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="reported_figures",
        verbose_name=_("indicator"),
    )
    baseline = models.DecimalField(_("baseline"), **FIGURE)
    target = models.DecimalField(_("target"), null=True, blank=True, **FIGURE)
    actual = models.DecimalField(_("actual"), null=True, blank=True, **FIGURE)
    # The same figure from public records only: what the public Results page shows.
    public_actual = models.DecimalField(
        _("actual (public records)"), null=True, blank=True, **FIGURE
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    public_status = models.CharField(
        _("status (public records)"), max_length=10, choices=Status.choices
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "indicator"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "indicator"],
                name="results_reportedfigure_one_per_period",
                violation_error_message=_("This indicator already has a reported figure."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.period}"

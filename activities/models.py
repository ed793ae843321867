"""What partners do together: activities (trainings among them) and who took part.

The knowledge hub's resources (``activities.knowledge_hub``) and the proposed changes of
staff (``activities.proposed_changes``) are models of this app too, in their own modules;
they are imported here, where Django and the rest of the code look for the app's models.
The reads are in ``activities.querysets``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from translated_fields import to_attribute

from activities.knowledge_hub import Resource
from activities.proposed_changes import ProposedChange
from activities.querysets import (
    VISIBLE,
    ActivityQuerySet,
    ParticipationQuerySet,
    is_upcoming,
    last_day,
)
from allas.choices import ChoiceLabels
from allas.links import slug_url
from allas.translation import (
    Translatable,
    translated,
    with_language_note,
    written_in_original_language,
)
from partners.models import Agreement, Partner, Theme

__all__ = [
    "MAX_ATTENDEES",
    "MAX_TRAINING_HOURS",
    "MIN_TRAINING_HOURS",
    "VISIBLE",
    "Activity",
    "Participation",
    "ProposedChange",
    "Resource",
    "is_upcoming",
    "last_day",
]

# Sanity limits: beyond these a figure is a typing mistake, not a training.
MAX_TRAINING_HOURS = 500
# A session lasts at least half an hour.
MIN_TRAINING_HOURS = Decimal("0.5")
MAX_ATTENDEES = 100_000


class Activity(ChoiceLabels, Translatable):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        STRATEGIC_MEETING = "strategic_meeting", _("Strategic meeting")
        SEMINAR = "seminar", _("Seminar or workshop")
        STUDY_VISIT = "study_visit", _("Study visit")
        LOBBYING = "lobbying", _("Lobbying action")
        CAMPAIGN = "campaign", _("Communication campaign")
        PUBLICATION = "publication", _("Publication")
        CONFERENCE = "conference", _("Conference")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for publication")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class VenueType(models.TextChoices):
        CITY = "city", _("A partner city")
        PLACE = "place", _("Another place")
        ONLINE = "online", _("Online")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    TRANSLATED_FIELDS = ("title", "summary", "description", "outcomes", "venue_name")
    REQUIRED_IN_ORIGINAL = ("title",)

    title = translated(models.CharField(_("title"), max_length=250))
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    summary = translated(models.TextField(_("summary")))
    description = translated(models.TextField(_("description")))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Empty for a one-day activity.")
    )
    venue_type = models.CharField(
        _("venue"), max_length=10, choices=VenueType.choices, default=VenueType.CITY
    )
    venue_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_activities",
        limit_choices_to={"kind": Partner.Kind.CITY},
        verbose_name=_("host city"),
    )
    venue_name = translated(
        models.CharField(_("place"), max_length=200, help_text=_("Building, town or city."))
    )
    venue_country = CountryField(_("country of the place"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="activities", verbose_name=_("themes")
    )
    outcomes = translated(models.TextField(_("outcomes")))
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("agreement it implements"),
    )
    # Training details; empty for other kinds.
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(MIN_TRAINING_HOURS),
            MaxValueValidator(MAX_TRAINING_HOURS),
        ],
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, blank=True)
    trainers = models.TextField(
        _("trainers"), blank=True, help_text=_("Names or roles of the trainers, one per line.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    participants = models.ManyToManyField(
        Partner, through="Participation", related_name="activities", verbose_name=_("partners")
    )

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        # The slug is the language-neutral tie-breaker (titles differ per language).
        ordering = ["-starts_on", "slug"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["status", "starts_on"], name="activities_status_start"),
            models.Index(fields=["kind", "starts_on"], name="activities_kind_start"),
            # Public list and its filters (see bench/README.md): visible activities in list
            # order, and a narrow copy of the filtered columns so counts and filter options
            # are index-only scans instead of sequential scans of the table.
            models.Index(
                fields=["-starts_on", "slug", "id"],
                condition=VISIBLE,
                name="activities_visible_start",
            ),
            models.Index(
                fields=[
                    "starts_on",
                    "ends_on",
                    "kind",
                    "venue_type",
                    "venue_country",
                    "venue_partner",
                    "id",
                ],
                condition=VISIBLE,
                name="activities_visible_cover",
            ),
            # The sort columns of each visible activity by its key, read without the table
            # (PostgreSQL's INCLUDE; SQLite keeps only the key): a partner's activities are
            # sorted on these, then their page's rows read (allas.listing.KeysFirstPaginator).
            models.Index(
                fields=["id"],
                include=["starts_on", "ends_on", "slug"],
                condition=VISIBLE,
                name="activities_visible_keys",
            ),
            # The admin list of every activity in its order (the admin adds "-pk" as the
            # tie-breaker), so its first page is read from the index instead of sorting.
            models.Index(fields=["-starts_on", "slug", "-id"], name="activities_admin_order"),
            # Upcoming activities (home page, feeds, profiles): see last_day(). Not partial, so
            # that PostgreSQL keeps statistics of the expression and knows how few rows match.
            models.Index(last_day(), "starts_on", name="activities_last_day"),
        ]
        constraints = [
            models.CheckConstraint(
                name="activities_activity_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="activities_activity_hours_range",
                condition=Q(hours__isnull=True)
                | Q(hours__gte=MIN_TRAINING_HOURS, hours__lte=MAX_TRAINING_HOURS),
            ),
            models.CheckConstraint(
                name="activities_activity_training_fields_only_for_trainings",
                condition=Q(kind="training") | Q(hours__isnull=True, format=""),
            ),
            models.CheckConstraint(
                name="activities_activity_city_venue_has_city",
                condition=~Q(venue_type="city") | Q(venue_partner__isnull=False),
            ),
            models.CheckConstraint(
                name="activities_activity_place_venue_has_name",
                condition=~Q(venue_type="place") | written_in_original_language("venue_name"),
            ),
            models.CheckConstraint(
                name="activities_activity_title_in_original_language",
                condition=written_in_original_language("title"),
                violation_error_message=_("Write the title in the original language."),
            ),
            models.CheckConstraint(
                name="activities_activity_published_has_date",
                condition=~Q(status="published") | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("activities:activity-detail", self.slug)

    @property
    def is_training(self):
        return self.kind == self.Kind.TRAINING

    @property
    def is_visible(self):
        return self.status == self.Status.PUBLISHED or (
            self.status == self.Status.CANCELLED and self.published_at is not None
        )

    @property
    def venue_label(self):
        """The venue as plain text; a place's name in another language says so."""
        if self.venue_type == self.VenueType.ONLINE:
            return str(_("Online"))
        if self.venue_type == self.VenueType.CITY and self.venue_partner_id:
            return self.venue_partner.local_name
        place = with_language_note(self.venue_name)
        if self.venue_country:
            return f"{place}, {self.venue_country.name}"
        return place

    def clean_fields(self, exclude=None):
        """Each field, then the rules between fields, each message next to the field it is
        about (the database holds the same rules as the constraints above).

        A rule is skipped when one of its fields is excluded, as Django's documentation of
        ``clean_fields`` advises: a form that does not show the field, or already shows an
        error for it, gets no second message (the services validate the whole record)."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skipped = set(exclude or ()) | set(errors)
        for field, uses, broken, error in self._field_rules():
            if broken and not skipped & {field, *uses}:
                errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)

    def _field_rules(self):
        """(field reported, other fields the rule reads, broken?, error) of each rule. Each
        error has its own code, so a form can word it for its readers (``error_messages``)."""
        not_training = self.kind != self.Kind.TRAINING
        return [
            (
                "ends_on",
                {"starts_on"},
                bool(self.starts_on and self.ends_on and self.ends_on < self.starts_on),
                ValidationError(
                    _("The end date cannot be before the start date."), code="ends_before_start"
                ),
            ),
            (
                "hours",
                {"kind"},
                not_training and self.hours is not None,
                ValidationError(
                    _("Only trainings have hours; leave it empty."), code="not_a_training"
                ),
            ),
            (
                "format",
                {"kind"},
                not_training and bool(self.format),
                ValidationError(
                    _("Only trainings have a format; leave it empty."), code="not_a_training"
                ),
            ),
            (
                "venue_partner",
                {"venue_type"},
                self.venue_type == self.VenueType.CITY and not self.venue_partner_id,
                ValidationError(
                    _("Choose the partner city that hosts the activity."), code="city_missing"
                ),
            ),
            (
                to_attribute("venue_name", self.original_language),
                {"venue_type", "original_language"},
                self.venue_type == self.VenueType.PLACE
                and not self.text_in_original_language("venue_name").strip(),
                ValidationError(
                    _("Name the place where the activity happens."), code="place_missing"
                ),
            ),
        ]

    def clean(self):
        # Set before constraint validation, which full_clean runs after clean().
        self.mark_published()

    def save(self, *args, **kwargs):
        self.mark_published()
        super().save(*args, **kwargs)

    def mark_published(self):
        """Remember when the activity was first published (it stays visible if cancelled)."""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()


class Participation(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Organiser")
        CO_ORGANISER = "co_organiser", _("Co-organiser")
        PARTICIPANT = "participant", _("Participant")
        TRAINER = "trainer", _("Trainer")

    ORGANISING_ROLES = [Role.ORGANISER, Role.CO_ORGANISER]

    # Participations are part of their activity; a partner with participations cannot be deleted.
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("activity"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="participations", verbose_name=_("partner")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )
    attendees = models.PositiveIntegerField(
        _("attendees"), default=0, validators=[MaxValueValidator(MAX_ATTENDEES)]
    )

    history = HistoricalRecords()
    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "role", "partner__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "partner"],
                name="activities_participation_unique",
                violation_error_message=_("This partner is already listed for this activity."),
            ),
            models.CheckConstraint(
                name="activities_participation_attendees_range",
                condition=Q(attendees__gte=0, attendees__lte=MAX_ATTENDEES),
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "activity"], name="activities_participation_p"),
        ]

    def __str__(self):
        return f"{self.partner} – {self.activity} ({self.get_role_display()})"

    @staticmethod
    def repeats(partners):
        """The positions in ``partners`` that name a partner an earlier position names.

        The rule of ``activities_participation_unique`` for rows not written yet (the staff
        form's rows, a service's list): the database sees a repeat only when it is inserted.
        """
        seen = set()
        positions = []
        for position, partner in enumerate(partners):
            if partner.pk in seen:
                positions.append(position)
            seen.add(partner.pk)
        return positions

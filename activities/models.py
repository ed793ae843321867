"""What partners do together (activities, trainings and who took part) and the knowledge hub."""

import datetime
import operator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from allas.choices import ChoiceLabels
from allas.media import RandomFileName
from allas.validators import validate_document
from partners.models import Agreement, Partner, Theme

# Sanity limits: beyond these a figure is a typing mistake, not a training.
MAX_TRAINING_HOURS = 500
MAX_ATTENDEES = 100_000


# What visitors may see (ActivityQuerySet.visible), as the condition of partial indexes.
VISIBLE = Q(status="published") | Q(status="cancelled", published_at__isnull=False)


def last_day():
    """An activity's last day: its end, or its start when it lasts one day. Backs the index
    ``activities_last_day``, so "upcoming" is one index range instead of an OR that
    reads every past activity."""
    return Coalesce("ends_on", "starts_on")


def is_upcoming(today=None):
    """Not over yet: ends today or later (a one-day activity: starts today or later)."""
    today = today or timezone.localdate()
    return Q(GreaterThanOrEqual(last_day(), today))


class ActivityQuerySet(models.QuerySet):
    def visible(self):
        """What visitors may see: published activities, and cancelled ones that had been
        published (shown as cancelled). The same condition backs the partial indexes below."""
        return self.filter(VISIBLE)

    def published(self):
        return self.filter(status=Activity.Status.PUBLISHED)

    def trainings(self):
        return self.filter(kind=Activity.Kind.TRAINING)

    def upcoming(self, today=None):
        return self.filter(is_upcoming(today))

    def past(self, today=None):
        # starts_on < today follows (an activity ends on or after its start); stated, it lets
        # the start-date index begin at today instead of reading every upcoming activity.
        today = today or timezone.localdate()
        return self.exclude(is_upcoming(today)).filter(starts_on__lt=today)

    def soonest(self, limit, today=None, order=("starts_on", "pk")):
        """The first ``limit`` upcoming activities in ``order`` (soonest first), as a list.

        Two index reads instead of one ``upcoming()`` query: PostgreSQL answers that one by
        walking the start-date index from the oldest activity, reading all past ones first.
        Those starting today or later come in index order, bounded by ``limit``; those still
        running (started earlier, not over yet) are few at any time and come whole, unordered,
        through the last-day index."""
        today = today or timezone.localdate()
        starting = list(self.filter(starts_on__gte=today).order_by(*order)[:limit])
        ongoing = list(self.filter(is_upcoming(today), starts_on__lt=today).order_by())
        return sorted(ongoing + starting, key=operator.attrgetter(*order))[:limit]

    def upcoming_first(self, today=None):
        """Upcoming activities first (soonest first), then past ones (latest first)."""
        return self.annotate(
            upcoming_start=models.Case(
                models.When(is_upcoming(today), then=models.F("starts_on")),
                output_field=models.DateField(),
            )
        ).order_by(models.F("upcoming_start").asc(nulls_last=True), "-starts_on", "title", "pk")

    def for_partner(self, partner):
        """Activities the partner organised or took part in (one EXISTS subquery)."""
        return self.filter(
            Exists(Participation.objects.filter(activity=OuterRef("pk"), partner=partner))
        )

    def with_theme(self, theme):
        return self.filter(themes=theme)

    def with_public_organisers(self):
        """Each activity's organisers that are public, as ``public_organisers`` (one prefetch)."""
        return self.prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.of_public_partners().filter(
                    role__in=Participation.ORGANISING_ROLES
                ),
                to_attr="public_organisers",
            )
        )

    def with_participants(self):
        """Each activity's participations with their partners, by role and name (one
        prefetch)."""
        return self.prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("partner").order_by(
                    "role", "partner__name"
                ),
            )
        )

    def for_calendar(self):
        """With what a calendar event needs, and only that (descriptions, outcomes and notes
        can be long)."""
        return self.select_related("venue_partner").only(
            "slug",
            "title",
            "summary",
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "updated_at",
            "venue_type",
            "venue_partner",
            "venue_name",
            "venue_country",
            "venue_partner__name",
            "venue_partner__country",
            "venue_partner__is_public",
        )

    def calendar_window(self, limit, past_days, today=None):
        """Upcoming activities (soonest first) and, while there is room for ``limit``, those
        of the last ``past_days`` (latest first), as one list in date order. Three queries
        along the date indexes, none reading more than ``limit`` rows (and the few activities
        running today)."""
        today = today or timezone.localdate()
        upcoming = self.soonest(limit, today)
        room = limit - len(upcoming)
        past = []
        if room:
            since = today - datetime.timedelta(days=past_days)
            past = list(
                self.past(today).filter(starts_on__gte=since).order_by("-starts_on", "-pk")[:room]
            )
        return past[::-1] + upcoming

    def filter_options(self):
        """The countries (codes, sorted) and years (latest first) these activities have, for
        the public list's filter menus: two scans. A country counts as ActivityFilter's
        filter_country matches it: the place's country, or the host city's."""
        unordered = self.order_by()
        codes = set()
        rows = unordered.values_list(
            "venue_type", "venue_country", "venue_partner__country"
        ).distinct()
        for venue_type, venue_country, city_country in rows:
            codes.add(venue_country)
            if venue_type == Activity.VenueType.CITY:
                codes.add(city_country)
        codes.discard("")
        codes.discard(None)
        years = [d.year for d in unordered.dates("starts_on", "year", order="DESC")]
        return sorted(codes), years

    # The staff area: what a user's organisations keep (the rules are activities.permissions).

    def for_staff(self, user):
        """Activities where one of ``user``'s organisations takes part, in any role (one
        EXISTS subquery)."""
        return self.filter(
            Exists(
                Participation.objects.filter(
                    activity=OuterRef("pk"), partner__staff_links__user=user
                )
            )
        )

    def organised_by(self, user):
        """Activities one of ``user``'s organisations organises (organiser or co-organiser)."""
        return self.filter(_organised_by(user))

    def flag_organised_by(self, user):
        """Each activity with ``organised``: whether one of ``user``'s organisations organises
        it (a subquery)."""
        return self.annotate(organised=_organised_by(user))

    def with_review_state(self):
        return _with_review_state(self, "activity")

    def latest_or_linked(self, limit, resource=None):
        """The ``limit`` latest of these activities, plus those of them linked to
        ``resource``, by date (what a resource's form offers)."""
        condition = Q(pk__in=self.order_by("-starts_on", "-pk").values("pk")[:limit])
        if resource is not None and resource.pk:
            condition |= Q(pk__in=resource.activities.values("pk"))
        return self.filter(condition).order_by("-starts_on", "title")

    def yearly_training_totals(self):
        """Per year: sessions, hours, attendees and attendee-hours (hours × attendees, summed)
        of the trainings among these that are not cancelled. Two queries."""
        trainings = self.trainings().exclude(status=Activity.Status.CANCELLED)
        years = {
            row["year"]: {**row, "attendees": 0, "attendee_hours": 0}
            for row in trainings.annotate(year=ExtractYear("starts_on"))
            .values("year")
            .annotate(sessions=models.Count("pk"), hours=Sum("hours"))
            .order_by("-year")
        }
        attendance = (
            Participation.objects.filter(activity__in=trainings)
            .annotate(year=ExtractYear("activity__starts_on"))
            .values("year")
            .annotate(
                people=Sum("attendees"),
                attendee_hours=Sum(
                    models.F("attendees") * models.F("activity__hours"),
                    output_field=models.DecimalField(max_digits=14, decimal_places=1),
                ),
            )
            .order_by()
        )
        for row in attendance:
            if row["year"] in years:
                years[row["year"]]["attendees"] = row["people"] or 0
                years[row["year"]]["attendee_hours"] = row["attendee_hours"] or 0
        return list(years.values())


def _organised_by(user):
    """The condition "one of ``user``'s organisations organises it", for activities."""
    return Exists(
        Participation.objects.filter(
            activity=OuterRef("pk"),
            partner__staff_links__user=user,
            role__in=Participation.ORGANISING_ROLES,
        )
    )


def _with_review_state(queryset, record):
    """Each record with its review state for the staff lists: ``change_pending`` and the
    latest proposal's ``last_change_status``, ``last_change_note`` and
    ``last_change_decided_at`` (subqueries: the same query count for any number of rows)."""
    changes = ProposedChange.objects.filter(**{record: OuterRef("pk")})
    latest = changes.order_by("-proposed_at", "-pk")
    return queryset.annotate(
        change_pending=Exists(changes.pending()),
        last_change_status=Subquery(latest.values("status")[:1]),
        last_change_note=Subquery(latest.values("note")[:1]),
        last_change_decided_at=Subquery(latest.values("decided_at")[:1]),
    )


class Activity(ChoiceLabels, models.Model):
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

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
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
    venue_name = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Building, town or city.")
    )
    venue_country = CountryField(_("country of the place"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="activities", verbose_name=_("themes")
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
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
        validators=[MinValueValidator(0.5), MaxValueValidator(MAX_TRAINING_HOURS)],
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
        ordering = ["-starts_on", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["status", "starts_on"], name="activities_status_start"),
            models.Index(fields=["kind", "starts_on"], name="activities_kind_start"),
            # Public list and its filters (see bench/README.md): visible activities in list
            # order, and a narrow copy of the filtered columns so counts and filter options
            # are index-only scans instead of sequential scans of the table.
            models.Index(
                fields=["-starts_on", "title", "id"],
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
            # The admin list of every activity in its order (the admin adds "-pk" as the
            # tie-breaker), so its first page is read from the index instead of sorting.
            models.Index(fields=["-starts_on", "title", "-id"], name="activities_admin_order"),
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
                condition=Q(hours__isnull=True) | Q(hours__gt=0, hours__lte=MAX_TRAINING_HOURS),
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
                condition=~Q(venue_type="place") | ~Q(venue_name=""),
            ),
            models.CheckConstraint(
                name="activities_activity_published_has_date",
                condition=~Q(status="published") | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:activity-detail", kwargs={"slug": self.slug})

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
        if self.venue_type == self.VenueType.ONLINE:
            return str(_("Online"))
        if self.venue_type == self.VenueType.CITY and self.venue_partner_id:
            return self.venue_partner.name
        if self.venue_country:
            return f"{self.venue_name}, {self.venue_country.name}"
        return self.venue_name

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
                "venue_name",
                {"venue_type"},
                self.venue_type == self.VenueType.PLACE and not self.venue_name.strip(),
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


class ParticipationQuerySet(models.QuerySet):
    def of_public_partners(self):
        """Participations of public partners, with them, by role and name."""
        return (
            self.filter(partner__is_public=True)
            .select_related("partner")
            .order_by("role", "partner__name")
        )

    def partners_met_by(self, partner_ids, *, recent):
        """The partners (as a ``partner_id`` subquery) on the activities of the ``recent``
        latest participations of ``partner_ids``: a bound, so a large organisation's
        history is not read in full."""
        activities = (
            self.filter(partner__in=partner_ids)
            .order_by("-activity_id")
            .values("activity_id")[:recent]
        )
        return self.filter(activity__in=activities).values("partner_id")


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


class ResourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def for_staff(self, user):
        """Resources one of ``user``'s organisations published (one EXISTS subquery)."""
        return self.filter(
            Exists(
                Resource.partners.through.objects.filter(
                    resource=OuterRef("pk"), partner__staff_links__user=user
                )
            )
        )

    def with_review_state(self):
        return _with_review_state(self, "resource")

    def newest_first(self):
        """Latest publication date first, undated ones last."""
        return self.order_by(models.F("published_on").desc(nulls_last=True), "title", "pk")


class Resource(ChoiceLabels, models.Model):
    """An item of the knowledge hub: a guide, toolkit, report… as a file or a link."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        TOOLKIT = "toolkit", _("Toolkit")
        REPORT = "report", _("Report")
        PRESENTATION = "presentation", _("Presentation")
        VIDEO = "video", _("Video")
        LINK = "link", _("Link")

    class Language(models.TextChoices):
        SPANISH = "es", _("Spanish")
        PORTUGUESE = "pt", _("Portuguese")
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")
        OTHER = "other", _("Other language")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=RandomFileName("resources"),
        blank=True,
        validators=[validate_document],
    )
    url = models.URLField(_("link"), blank=True, max_length=500)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.SPANISH
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="resources", verbose_name=_("themes")
    )
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="resources", verbose_name=_("activities")
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="resources", verbose_name=_("published by")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            # The home page's latest resources, read in this order; the knowledge hub's order
            # (date, then title) reads the dates from it too.
            models.Index(
                fields=["-published_on", "-id"],
                condition=Q(is_public=True),
                name="activities_resource_public",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="activities_resource_file_or_link",
                condition=~Q(file="") | ~Q(url=""),
                violation_error_message=_("Upload a file or give a link."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:resource-detail", kwargs={"slug": self.slug})


class ProposedChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposedChange.Status.PENDING)

    def for_review(self):
        """What the review pages show: the record, who proposed and who decided."""
        return self.select_related("activity", "resource", "proposed_by", "decided_by")

    def newest(self):
        """The latest proposal (with who decided it), or None: one query."""
        return self.select_related("decided_by").first()


class ProposedChange(models.Model):
    """A staff member's edit of a record that is already public, waiting for a coordinator.

    The public page keeps showing the record as approved; ``base`` is the record as it was when
    the change was proposed and ``proposed`` the record as the staff member wants it (both as
    ``activities.review.snapshot()`` writes them), so the coordinator sees a diff and approving
    applies only what the staff member changed. A new file proposed for a resource waits in
    ``file``, served only to coordinators and the resource's publishers. Every proposal and
    decision stays in the history; nothing here is deleted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_changes",
        verbose_name=_("activity"),
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_changes",
        verbose_name=_("resource"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    base = models.JSONField(_("live version when proposed"), encoder=DjangoJSONEncoder)
    proposed = models.JSONField(_("proposed version"), encoder=DjangoJSONEncoder)
    file = models.FileField(
        _("proposed file"),
        upload_to=RandomFileName("proposals"),
        blank=True,
        validators=[validate_document],
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(
        _("note to the staff member"),
        blank=True,
        help_text=_("Why the change was not accepted, or anything the proposer should know."),
    )

    history = HistoricalRecords()
    objects = ProposedChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.CheckConstraint(
                name="activities_proposedchange_one_record",
                condition=Q(activity__isnull=False, resource__isnull=True)
                | Q(activity__isnull=True, resource__isnull=False),
                violation_error_message=_("A proposed change is for one activity or resource."),
            ),
            models.UniqueConstraint(
                fields=["activity"],
                condition=Q(status="pending"),
                name="activities_proposedchange_one_pending_per_activity",
                violation_error_message=_("This activity already has a change waiting."),
            ),
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(status="pending"),
                name="activities_proposedchange_one_pending_per_resource",
                violation_error_message=_("This resource already has a change waiting."),
            ),
            models.CheckConstraint(
                name="activities_proposedchange_decision_dated",
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                violation_error_message=_("A decision has a date; a pending change has none."),
            ),
            models.CheckConstraint(
                name="activities_proposedchange_rejection_has_note",
                condition=~Q(status="rejected") | ~Q(note=""),
                violation_error_message=_(
                    "Say why the change is not accepted: the staff member reads the note."
                ),
            ),
        ]

    def __str__(self):
        return str(_("Change to “%(record)s”") % {"record": self.record})

    @property
    def record(self):
        return self.activity if self.activity_id else self.resource

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

"""Partners of the network, their memberships, agreements between them and the shared themes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from allas.choices import ChoiceLabels
from allas.media import RandomFileName
from allas.validators import validate_document, validate_image
from partners.regions import region_for_country


class Theme(models.Model):
    """One of the network's working themes, named in each of the site's languages."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=120, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the active language, falling back to Spanish."""
        language = (get_language() or "es")[:2]
        return getattr(self, f"name_{language}", "") or self.name_es


# Kept at module level so the proxies below can forward their signals to it.
PARTNER_HISTORY = HistoricalRecords()


class PartnerQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def cities(self):
        return self.filter(kind=Partner.Kind.CITY)

    def networks(self):
        return self.filter(kind=Partner.Kind.NETWORK)

    def institutions(self):
        return self.filter(kind=Partner.Kind.INSTITUTION)


class Partner(ChoiceLabels, models.Model):
    """An organisation of the network's world: a city, a network of local governments or an
    institution."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        NETWORK = "network", _("Network of local governments")
        INSTITUTION = "institution", _("Institution")

    class InstitutionType(models.TextChoices):
        UNIVERSITY = "university", _("University")
        THINK_TANK = "think_tank", _("Think tank")
        NGO = "ngo", _("NGO")
        INTERNATIONAL = "international", _("International organisation")
        FUNDER = "funder", _("Funder")

    class Region(models.TextChoices):
        LATIN_AMERICA = "latam", _("Latin America and the Caribbean")
        EUROPE = "europe", _("Europe")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    institution_type = models.CharField(
        _("type of institution"),
        max_length=20,
        choices=InstitutionType.choices,
        blank=True,
        help_text=_("Required for institutions, empty for cities and networks."),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name or acronym"), max_length=40, blank=True, help_text=_("For example: FAMSI.")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = CountryField(_("country"))
    region = models.CharField(
        _("region"), max_length=10, choices=Region.choices, editable=False, db_index=True
    )
    locality = models.CharField(
        _("location"), max_length=120, blank=True, help_text=_("City or place of the seat.")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(
        _("logo"), upload_to=RandomFileName("logos"), blank=True, validators=[validate_image]
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown on the public site.")
    )
    note = models.TextField(
        _("internal note"),
        blank=True,
        help_text=_("Not shown publicly. Mark here which facts are illustrative."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = PARTNER_HISTORY
    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [
            models.Index(fields=["is_public", "kind", "name"], name="partners_public_kind_name"),
            models.Index(fields=["country", "name"], name="partners_country_name"),
        ]
        constraints = [
            models.CheckConstraint(
                name="partners_partner_institution_type_only_for_institutions",
                condition=(Q(kind="institution") & ~Q(institution_type=""))
                | (~Q(kind="institution") & Q(institution_type="")),
            ),
            models.CheckConstraint(
                name="partners_partner_coordinates_together",
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
            ),
            models.CheckConstraint(
                name="partners_partner_latitude_range",
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="partners_partner_longitude_range",
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            ),
        ]

    def __str__(self):
        if self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def get_absolute_url(self):
        return reverse("partners:partner-detail", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return self.short_name or self.name

    def clean(self):
        errors = {}
        if self.kind == self.Kind.INSTITUTION and not self.institution_type:
            errors["institution_type"] = _("Choose the type of institution.")
        if self.kind != self.Kind.INSTITUTION and self.institution_type:
            errors["institution_type"] = _("Only institutions have a type; leave it empty.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give both latitude and longitude, or neither."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.region = region_for_country(self.country.code if self.country else "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "country" in update_fields:
            kwargs["update_fields"] = {*update_fields, "region"}
        super().save(*args, **kwargs)


class City(Partner):
    """Cities in their own admin section."""

    class Meta:
        proxy = True
        verbose_name = _("city")
        verbose_name_plural = _("cities")


class Network(Partner):
    """Networks of local governments in their own admin section."""

    class Meta:
        proxy = True
        verbose_name = _("network")
        verbose_name_plural = _("networks")


class Institution(Partner):
    """Universities, think tanks, NGOs, international organisations and funders."""

    class Meta:
        proxy = True
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")


# Django sends a proxy's save and delete signals with the proxy as sender, and simple-history
# listens for Partner only: forward them, so edits made as a City, Network or Institution keep
# their history too.
for _proxy in (City, Network, Institution):
    _proxy._meta.simple_history_manager_attribute = "history"
    models.signals.post_save.connect(PARTNER_HISTORY.post_save, sender=_proxy, weak=False)
    models.signals.post_delete.connect(PARTNER_HISTORY.post_delete, sender=_proxy, weak=False)


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships still open (no end date)."""
        return self.filter(left_on__isnull=True)

    def past(self):
        return self.filter(left_on__isnull=False)


class Membership(ChoiceLabels, models.Model):
    """A partner's membership of a network over a dated period.

    Periods are history: ending one sets ``left_on`` and the record stays. The database refuses
    a second open period and overlapping periods (see migration 0002 for the overlap trigger and
    exclusion constraint, which Django's constraint classes cannot express on both databases).
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")
        ASSOCIATE = "associate", _("Associate")
        OBSERVER = "observer", _("Observer")

    member = models.ForeignKey(
        Partner,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    network = models.ForeignKey(
        Partner,
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        related_name="member_links",
        limit_choices_to={"kind": Partner.Kind.NETWORK},
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("Empty while the membership is current.")
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-joined_on", "member__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="partners_membership_left_after_joined",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
            ),
            models.CheckConstraint(
                name="partners_membership_not_member_of_itself",
                condition=~Q(member=models.F("network")),
            ),
            models.UniqueConstraint(
                fields=["member", "network"],
                condition=Q(left_on__isnull=True),
                name="partners_membership_one_open_period",
                violation_error_message=_(
                    "This partner already has a current membership of this network. "
                    "End it before starting a new one."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "left_on"], name="partners_membership_network"),
        ]

    def __str__(self):
        return f"{self.member} → {self.network}"

    @property
    def is_current(self):
        return self.left_on is None

    def clean(self):
        errors = {}
        if self.network_id and self.network.kind != Partner.Kind.NETWORK:
            errors["network"] = _("Only a network of local governments can have members.")
        if self.member_id and self.network_id and self.member_id == self.network_id:
            errors["member"] = _("A network cannot be a member of itself.")
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = _("The end date cannot be before the date the partner joined.")
        if errors:
            raise ValidationError(errors)
        if self.member_id and self.network_id and self.joined_on:
            overlapping = self.overlapping_periods()
            if overlapping:
                other = overlapping[0]
                raise ValidationError(
                    _(
                        "This period overlaps another membership of the same partner in this "
                        "network (from %(joined)s to %(left)s)."
                    )
                    % {"joined": other.joined_on, "left": other.left_on or _("today")}
                )

    def overlapping_periods(self):
        """Other periods of the same member in the same network that share a day with this one.

        Periods are closed intervals [joined_on, left_on]; an open period runs forever.
        """
        others = Membership.objects.filter(member_id=self.member_id, network_id=self.network_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        others = others.filter(Q(left_on__isnull=True) | Q(left_on__gte=self.joined_on))
        if self.left_on:
            others = others.filter(joined_on__lte=self.left_on)
        return list(others[:1])


class AgreementQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Agreement(ChoiceLabels, models.Model):
    """A partnership agreement between two or more partners, with its lifecycle.

    ``status`` changes only through ``partners.services.agreement_change_status``, which checks
    the transition and records it as an ``AgreementStatusChange``.
    """

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        PARTNERSHIP = "partnership", _("Partnership agreement")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
        NEGOTIATION = "negotiation", _("Negotiation")
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")
        DECLINED = "declined", _("Declined")

    # The lifecycle: from each status, where it may go next.
    TRANSITIONS = {
        Status.PROPOSED: [Status.UNDER_EVALUATION, Status.NEGOTIATION, Status.DECLINED],
        Status.UNDER_EVALUATION: [Status.NEGOTIATION, Status.SIGNED, Status.DECLINED],
        Status.NEGOTIATION: [Status.UNDER_EVALUATION, Status.SIGNED, Status.DECLINED],
        Status.SIGNED: [Status.IN_FORCE, Status.TERMINATED],
        Status.IN_FORCE: [Status.EXPIRED, Status.TERMINATED],
        Status.EXPIRED: [],
        Status.TERMINATED: [],
        Status.DECLINED: [],
    }
    SIGNED_STATUSES = [Status.SIGNED, Status.IN_FORCE, Status.EXPIRED, Status.TERMINATED]
    OPEN_STATUSES = [Status.PROPOSED, Status.UNDER_EVALUATION, Status.NEGOTIATION]

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PROPOSED,
        db_index=True,
        help_text=_("Change it with the lifecycle buttons, so each change is recorded."),
    )
    parties = models.ManyToManyField(
        Partner, through="AgreementParty", related_name="agreements", verbose_name=_("parties")
    )
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="agreements", verbose_name=_("themes")
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(
        _("signed document"),
        upload_to=RandomFileName("agreements"),
        blank=True,
        validators=[validate_document],
    )
    is_public = models.BooleanField(_("public"), default=True)
    note = models.TextField(
        _("internal note"),
        blank=True,
        help_text=_("Not shown publicly. Mark here which facts are illustrative."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_on", "title"]
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        constraints = [
            models.CheckConstraint(
                name="partners_agreement_signed_needs_signed_on",
                condition=~Q(status__in=["signed", "in_force", "expired", "terminated"])
                | Q(signed_on__isnull=False),
                violation_error_message=_("A signed agreement needs its signature date."),
            ),
            models.CheckConstraint(
                name="partners_agreement_ends_after_start",
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]
        indexes = [models.Index(fields=["is_public", "status"], name="partners_agreement_public")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partners:agreement-detail", kwargs={"slug": self.slug})

    def allowed_transitions(self):
        return list(self.TRANSITIONS.get(self.status, []))

    @property
    def is_signed(self):
        return self.status in self.SIGNED_STATUSES

    def clean(self):
        errors = {}
        if self.status in self.SIGNED_STATUSES and not self.signed_on:
            errors["signed_on"] = _("A signed agreement needs its signature date.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


class AgreementParty(ChoiceLabels, models.Model):
    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("Signatory")
        COORDINATOR = "coordinator", _("Coordinator")
        FUNDER = "funder", _("Funder")
        WITNESS = "witness", _("Witness")
        PARTNER = "partner", _("Partner")

    # An agreement's parties belong to it; a partner that is party to one cannot be deleted.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="party_links", verbose_name=_("agreement")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreement_links", verbose_name=_("partner")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SIGNATORY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "partner__name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "partner"],
                name="partners_agreementparty_unique",
                violation_error_message=_("This partner is already a party to this agreement."),
            )
        ]

    def __str__(self):
        return f"{self.partner} ({self.get_role_display()})"


class AgreementStatusChange(ChoiceLabels, models.Model):
    """One step of an agreement's lifecycle: written only by agreement_change_status."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("agreement"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Agreement.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Agreement.Status.choices)
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["agreement", "changed_on", "recorded_at", "pk"]
        get_latest_by = "recorded_at"
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                name="partners_agreementstatuschange_changes_status",
                condition=~Q(from_status=models.F("to_status")),
            )
        ]

    def __str__(self):
        return f"{self.agreement}: {self.from_status or '—'} → {self.to_status} ({self.changed_on})"


class AgreementReminder(ChoiceLabels, models.Model):
    """A reminder e-mail already sent, so the daily command never sends one twice."""

    class Reason(models.TextChoices):
        ENDING = "ending", _("Ending soon")
        STUCK = "stuck", _("Waiting too long")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    # What the reminder was about (the end date, or the date the status was entered), so a
    # new end date or a new status gives a new reminder.
    event_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "reason", "event_date"], name="partners_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.agreement} – {self.get_reason_display()} ({self.event_date})"


class PartnerStaff(models.Model):
    """Links a user account to a partner organisation whose records the user may keep."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_links",
        verbose_name=_("user"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="staff_links", verbose_name=_("partner")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner__name", "user__username"]
        verbose_name = _("staff link")
        verbose_name_plural = _("staff links")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partner"],
                name="partners_partnerstaff_unique",
                violation_error_message=_("This user is already staff of this partner."),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.partner}"

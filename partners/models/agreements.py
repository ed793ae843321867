"""Partnership agreements between partners, with their lifecycle and reminders."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, DateField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from allas.choices import ChoiceLabels
from allas.links import slug_url
from allas.media import RandomFileName
from allas.translation import Translatable, translated, written_in_original_language
from allas.validators import validate_document
from partners.models.partners import Partner, Theme


class AgreementStatus(models.TextChoices):
    """``Agreement.Status``; at module level so ``Agreement.Meta`` can name its members."""

    PROPOSED = "proposed", _("Proposed")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    NEGOTIATION = "negotiation", _("Negotiation")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    DECLINED = "declined", _("Declined")


# The statuses of a signed agreement: each needs its signing date
# (constraint partners_agreement_signed_needs_signed_on).
SIGNED_STATUSES = [
    AgreementStatus.SIGNED,
    AgreementStatus.IN_FORCE,
    AgreementStatus.EXPIRED,
    AgreementStatus.TERMINATED,
]
# Agreements whose end date the reminders watch, and those that may wait too long.
ENDING_STATUSES = [AgreementStatus.SIGNED, AgreementStatus.IN_FORCE]
WAITING_STATUSES = [AgreementStatus.UNDER_EVALUATION, AgreementStatus.NEGOTIATION]

SIGNED_NEEDS_SIGNED_ON = _("A signed agreement needs its signature date.")


class AgreementQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def count_by_status(self):
        """``{status: number of agreements}``, statuses with none left out. One query."""
        return dict(self.values_list("status").annotate(n=Count("pk")).order_by("status"))

    def with_party(self, partner):
        """Agreements ``partner`` is a party to."""
        return self.filter(party_links__partner=partner)

    def with_public_parties(self):
        """Prefetches each agreement's public parties (``AgreementParty.objects.public()``) as
        ``public_parties``: one query for all the agreements. Prevents N+1 in lists."""
        return self.prefetch_related(
            Prefetch(
                "party_links", queryset=AgreementParty.objects.public(), to_attr="public_parties"
            )
        )

    def ending_soon(self, *, within_days=None, today=None):
        """Signed or in-force agreements whose end date falls in the next ``within_days`` days
        (today included; default ``settings.AGREEMENT_REMINDER_DAYS_BEFORE_END``), soonest
        first."""
        today = today or timezone.localdate()
        if within_days is None:
            within_days = settings.AGREEMENT_REMINDER_DAYS_BEFORE_END
        return self.filter(
            status__in=ENDING_STATUSES,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=within_days),
        ).order_by("ends_on", "slug")

    def stuck(self, *, after_days=None, today=None):
        """Agreements under evaluation or in negotiation for more than ``after_days`` days
        (default ``settings.AGREEMENT_STUCK_AFTER_DAYS``), counted from their last change into
        that status (or the proposal date when no change was recorded), longest waiting first.
        Annotated with ``entered_on``; one query."""
        today = today or timezone.localdate()
        if after_days is None:
            after_days = settings.AGREEMENT_STUCK_AFTER_DAYS
        entered = (
            AgreementStatusChange.objects.filter(
                agreement=OuterRef("pk"), to_status=OuterRef("status")
            )
            .order_by("-changed_on", "-recorded_at")
            .values("changed_on")[:1]
        )
        return (
            self.filter(status__in=WAITING_STATUSES)
            .annotate(
                entered_on=Coalesce(
                    Subquery(entered, output_field=DateField()),
                    "proposed_on",
                    TruncDate("created_at"),
                    output_field=DateField(),
                )
            )
            .filter(entered_on__lt=today - datetime.timedelta(days=after_days))
            .order_by("entered_on", "slug")
        )


class Agreement(ChoiceLabels, Translatable):
    """A partnership agreement between two or more partners, with its lifecycle.

    Created by ``partners.services.agreement_create`` (which records the first step);
    ``status`` changes only through ``partners.services.agreement_change_status``, which checks
    the transition and records it as an ``AgreementStatusChange``.
    """

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        PARTNERSHIP = "partnership", _("Partnership agreement")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")

    Status = AgreementStatus

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
    SIGNED_STATUSES = SIGNED_STATUSES
    OPEN_STATUSES = [Status.PROPOSED, Status.UNDER_EVALUATION, Status.NEGOTIATION]

    TRANSLATED_FIELDS = ("title", "summary")
    REQUIRED_IN_ORIGINAL = ("title",)

    title = translated(models.CharField(_("title"), max_length=250))
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
    summary = translated(models.TextField(_("summary")))
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
        ordering = ["-proposed_on", "slug"]
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        constraints = [
            models.CheckConstraint(
                name="partners_agreement_signed_needs_signed_on",
                condition=~Q(status__in=SIGNED_STATUSES) | Q(signed_on__isnull=False),
                violation_error_message=SIGNED_NEEDS_SIGNED_ON,
            ),
            models.CheckConstraint(
                name="partners_agreement_ends_after_start",
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="partners_agreement_title_in_original_language",
                condition=written_in_original_language("title"),
                violation_error_message=_("Write the title in the original language."),
            ),
        ]
        indexes = [models.Index(fields=["is_public", "status"], name="partners_agreement_public")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("partners:agreement-detail", self.slug)

    def allowed_transitions(self):
        return list(self.TRANSITIONS.get(self.status, []))

    @property
    def is_signed(self):
        return self.status in self.SIGNED_STATUSES

    def clean(self):
        """The two constraints' messages on their fields (``full_clean`` then skips the
        constraints themselves for a field already in error)."""
        errors = {}
        if self.is_signed and not self.signed_on:
            errors["signed_on"] = SIGNED_NEEDS_SIGNED_ON
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


class AgreementPartyQuerySet(models.QuerySet):
    def public(self):
        """Parties that are public partners, with their partner, by the partner's name."""
        return (
            self.filter(partner__is_public=True).select_related("partner").order_by("partner__name")
        )


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
    objects = AgreementPartyQuerySet.as_manager()

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

"""Applications to join the network or propose a collaboration, and the questions and answers
exchanged about them.

An application holds the only personal data the project stores: its contact person's name, role
and e-mail address (``PERSONAL_FIELDS``), and what the applicant writes in answers. Neither is
kept in the history (django-simple-history would copy them on every save), and
``joining.services.application_erase_personal_data`` blanks them for good, taking the name and
address out of the other texts that quote them (history rows included).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from allas.choices import ChoiceLabels
from partners.models import Membership, Partner

# The contact person: what erasure blanks, what the history never stores.
PERSONAL_FIELDS = ("contact_name", "contact_role", "contact_email")

# References as applicants read them aloud on the phone: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class ApplicationStatus(models.TextChoices):
    """``Application.Status``; at module level so ``Application.Meta`` can name its members."""

    UNCONFIRMED = "unconfirmed", _("Waiting for the e-mail address to be confirmed")
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    # Its own context: "Declined" of agreements agrees with another noun in some languages.
    DECLINED = "declined", pgettext_lazy("application status", "Declined")
    ABANDONED = "abandoned", _("Abandoned (never confirmed)")


class Proposal(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership of a network")
    AGREEMENT = "agreement", _("A partnership agreement")
    ACTIVITY = "activity", _("A joint activity")


# Applications coordinators act on; closed ones are only kept (and later erased).
OPEN_STATUSES = [ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW]
CLOSED_STATUSES = [
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.ABANDONED,
]


class ApplicationQuerySet(models.QuerySet):
    def awaiting_review(self):
        """Confirmed and not yet decided: the coordinators' queue, oldest first."""
        return self.filter(status__in=OPEN_STATUSES).order_by("confirmed_at", "pk")

    def unconfirmed(self):
        return self.filter(status=ApplicationStatus.UNCONFIRMED)

    def unconfirmed_since(self, moment):
        """Unconfirmed applications sent before ``moment``: their link has expired."""
        return self.unconfirmed().filter(submitted_at__lt=moment)

    def closed_before(self, moment):
        """Accepted, declined or abandoned before ``moment``, personal data not yet erased."""
        return self.filter(
            status__in=CLOSED_STATUSES, closed_at__lt=moment, personal_data_erased_at__isnull=True
        )

    def possible_duplicates_of(self, application):
        """Public or not, partners that may be the applicant's organisation: same country and
        a name (or official name, acronym) containing the applicant's, or the reverse."""
        return Partner.objects.possibly_named_as(
            application.organisation_name, country=application.country
        )


class Application(ChoiceLabels, models.Model):
    """A city, network or institution asking to join the network or proposing a collaboration,
    from the public form until a coordinator accepts or declines it."""

    Status = ApplicationStatus
    Proposal = Proposal
    Kind = Partner.Kind

    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_LENGTH,
        unique=True,
        default=new_reference,
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.UNCONFIRMED,
        db_index=True,
    )
    language = models.CharField(
        _("language of the application"),
        max_length=5,
        choices=settings.LANGUAGES,
        help_text=_("The applicant is written to in this language."),
    )

    # Who they are.
    organisation_name = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=Kind.choices)
    institution_type = models.CharField(
        _("type of institution"),
        max_length=20,
        choices=Partner.InstitutionType.choices,
        blank=True,
    )
    official_name = models.CharField(
        _("official name of the local government"),
        max_length=200,
        blank=True,
        help_text=_("For a city: the name of its local government, as it signs."),
    )
    country = CountryField(_("country"))
    locality = models.CharField(_("city or place"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text=_(
            "The organisation's record in the directory: picked by the applicant, linked by a "
            "coordinator, or created on acceptance."
        ),
    )

    # What they propose, and why.
    proposal = models.CharField(_("proposal"), max_length=20, choices=Proposal.choices)
    network = models.ForeignKey(
        Partner,
        verbose_name=_("network to join"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Partner.Kind.NETWORK},
    )
    role = models.CharField(
        _("role asked for"), max_length=20, choices=Membership.Role.choices, blank=True
    )
    proposal_title = models.CharField(
        _("title of the proposal"),
        max_length=250,
        blank=True,
        help_text=_("For an agreement or an activity: what it would be called."),
    )
    motivation = models.TextField(_("why"), max_length=4000)

    # The contact person (PERSONAL_FIELDS).
    # Blank only once erased (constraint joining_application_contact_until_erased).
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_role = models.CharField(_("their role"), max_length=150, blank=True)
    contact_email = models.EmailField(_("their e-mail address"), max_length=254, blank=True)

    # Consent, as shown to the applicant.
    consent_version = models.CharField(_("version of the privacy notice"), max_length=20)
    consent_text = models.TextField(_("privacy notice as shown"))
    consent_given_at = models.DateTimeField(_("consent given"))

    # The lifecycle.
    submitted_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("decided or abandoned"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    # What acceptance created or linked.
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership created"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("agreement created"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity draft created"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("internal note"), blank=True)

    # Personal data is kept out of the history: it would be copied on every save and outlive
    # its erasure (see the module's docstring).
    history = HistoricalRecords(excluded_fields=list(PERSONAL_FIELDS))
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["status", "closed_at"], name="joining_application_closing"),
            models.Index(fields=["contact_email"], name="joining_application_email"),
        ]
        constraints = [
            models.CheckConstraint(
                name="joining_application_institution_type_only_for_institutions",
                condition=(Q(kind=Partner.Kind.INSTITUTION) & ~Q(institution_type=""))
                | (~Q(kind=Partner.Kind.INSTITUTION) & Q(institution_type="")),
                violation_error_message=_(
                    "Institutions give their type; cities and networks leave it empty."
                ),
            ),
            models.CheckConstraint(
                name="joining_application_membership_names_network_and_role",
                condition=~Q(proposal=Proposal.MEMBERSHIP)
                | (Q(network__isnull=False) & ~Q(role="")),
                violation_error_message=_("To ask for a membership, choose the network and role."),
            ),
            models.CheckConstraint(
                name="joining_application_collaboration_has_title",
                condition=Q(proposal=Proposal.MEMBERSHIP) | ~Q(proposal_title=""),
                violation_error_message=_("Give the proposed agreement or activity a title."),
            ),
            models.CheckConstraint(
                name="joining_application_confirmed_before_review",
                condition=Q(status__in=[ApplicationStatus.UNCONFIRMED, ApplicationStatus.ABANDONED])
                | Q(confirmed_at__isnull=False),
                violation_error_message=_(
                    "An application reaches coordinators only once its e-mail address is confirmed."
                ),
            ),
            models.CheckConstraint(
                name="joining_application_closed_has_date",
                condition=~Q(status__in=CLOSED_STATUSES) | Q(closed_at__isnull=False),
                violation_error_message=_("A closed application needs the date it closed."),
            ),
            models.CheckConstraint(
                name="joining_application_declined_has_reason",
                condition=~Q(status=ApplicationStatus.DECLINED) | ~Q(decline_reason=""),
                violation_error_message=_("Say why the application is declined."),
            ),
            models.CheckConstraint(
                name="joining_application_accepted_has_partner",
                condition=~Q(status=ApplicationStatus.ACCEPTED) | Q(partner__isnull=False),
                violation_error_message=_("An accepted application is linked to its partner."),
            ),
            models.CheckConstraint(
                name="joining_application_contact_until_erased",
                condition=(Q(personal_data_erased_at__isnull=True) & ~Q(contact_email=""))
                | Q(
                    personal_data_erased_at__isnull=False,
                    contact_name="",
                    contact_role="",
                    contact_email="",
                ),
                violation_error_message=_(
                    "Give the contact person's e-mail address (erased data stays erased)."
                ),
            ),
        ]

    def __str__(self):
        # No personal data: this text is stored in the admin's log and shown in lists.
        return f"{self.reference} · {self.organisation_name}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def personal_data_erased(self):
        return self.personal_data_erased_at is not None


class Message(models.Model):
    """A coordinator's question to the applicant, or the applicant's answer."""

    class Direction(models.TextChoices):
        QUESTION = "question", _("Question from the network")
        ANSWER = "answer", _("Answer from the applicant")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    # Blank once an answer is erased with the applicant's personal data.
    body = models.TextField(_("text"), max_length=4000, blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Answers are the applicant's own words (personal data, erased with the contact person's);
    # a copy in the history would outlive the erasure.
    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.application.reference} · {self.get_direction_display()}"

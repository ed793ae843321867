"""The life of an application, the only way it changes: sent, confirmed by its e-mail link,
reviewed (questions and answers), accepted (the partner and what was proposed, in one
transaction) or declined, and its personal data erased on request or after the retention
period (``erase_expired``, run daily by the ``joining_retention`` command).

Each function checks the step is allowed and raises ``ApplicationError`` with a message a
coordinator or applicant can act on. E-mails go out once the transaction is committed, in the
language of the application (joining/emails.py).
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from activities.services import ActivityError, activity_log
from activities.services.records import unique_slug
from joining import emails
from joining.models import Application, Message, Proposal
from partners.models import Agreement, AgreementParty, Membership, Partner
from partners.services import agreement_create


class ApplicationError(Exception):
    """A step the application cannot take; the message says why and what to do."""


def _locked(application):
    return Application.objects.select_for_update().get(pk=application.pk)


def _validated(record):
    try:
        record.full_clean()
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error


def _note(record, reason):
    """The reason the history records for this save (django-simple-history's documented
    ``_change_reason``)."""
    record._change_reason = reason[:100]
    return record


@transaction.atomic
def application_submit(*, application: Application) -> Application:
    """Record an application as the public form built it (unsaved, fields set) and mail the
    confirmation link. It reaches coordinators only once the link is followed."""
    application.status = Application.Status.UNCONFIRMED
    application.submitted_at = timezone.now()
    _validated(application)
    application.save()
    transaction.on_commit(lambda: emails.send_confirmation(application))
    return application


@transaction.atomic
def application_confirm(*, application: Application) -> bool:
    """The applicant followed the link: the application joins the coordinators' queue.
    Returns False if it was confirmed already (a second click changes nothing)."""
    application = _locked(application)
    if application.status == Application.Status.ABANDONED:
        raise ApplicationError(
            _("This application was not confirmed in time and has expired. Please apply again.")
        )
    if application.confirmed_at is not None:
        return False
    application.status = Application.Status.RECEIVED
    application.confirmed_at = timezone.now()
    _note(application, "E-mail address confirmed")
    application.save()
    return True


def _check_open(application):
    if not application.is_open:
        raise ApplicationError(
            _("This application is “%(status)s”: it can no longer change.")
            % {"status": application.get_status_display()}
        )


@transaction.atomic
def application_start_review(*, application: Application, by) -> Application:
    """A coordinator takes the application up: the applicant's status page says so."""
    application = _locked(application)
    _check_open(application)
    if application.status == Application.Status.RECEIVED:
        application.status = Application.Status.UNDER_REVIEW
        application.save()
    return application


@transaction.atomic
def application_link_partner(*, application: Application, partner: Partner | None, by):
    """Say which directory record the applicant's organisation is (None: a new one)."""
    application = _locked(application)
    _check_open(application)
    application.partner = partner
    application.save()
    return application


@transaction.atomic
def application_ask(*, application: Application, by, question: str) -> Message:
    """A coordinator's question, mailed to the applicant with the link to answer it."""
    application = _locked(application)
    _check_open(application)
    if application.personal_data_erased:
        raise ApplicationError(_("The applicant's e-mail address was erased: nobody to ask."))
    message = Message(
        application=application, direction=Message.Direction.QUESTION, body=question, sent_by=by
    )
    _validated(message)
    message.save()
    if application.status == Application.Status.RECEIVED:
        application.status = Application.Status.UNDER_REVIEW
        application.save()
    transaction.on_commit(lambda: emails.send_question(application, message))
    return message


@transaction.atomic
def application_answer(*, application: Application, answer: str) -> Message:
    """The applicant's answer, added to the application (at most JOINING_MAX_ANSWERS)."""
    application = _locked(application)
    _check_open(application)
    if not application.messages.filter(direction=Message.Direction.QUESTION).exists():
        raise ApplicationError(_("There is no question to answer yet."))
    answers = application.messages.filter(direction=Message.Direction.ANSWER).count()
    if answers >= settings.JOINING_MAX_ANSWERS:
        raise ApplicationError(
            _(
                "This application has received %(n)s answers, the most it can hold. Please wait "
                "for the coordinators to write to you."
            )
            % {"n": answers}
        )
    message = Message(application=application, direction=Message.Direction.ANSWER, body=answer)
    _validated(message)
    message.save()
    return message


@dataclass(frozen=True)
class Acceptance:
    """What a coordinator decides on acceptance, beside the application's own facts.

    ``partner``: the existing record to link, or None to create one (not public), with the
    official name the applicant gave written in ``official_name_language`` (default: the
    application's language). For a membership: ``network``, ``role``, ``joined_on``. For an
    agreement: ``agreement_kind`` and the ``counterpart`` (the other party). For an activity:
    ``activity_kind`` and ``starts_on``.
    """

    partner: Partner | None = None
    official_name_language: str = ""
    network: Partner | None = None
    role: str = ""
    joined_on: datetime.date | None = None
    agreement_kind: str = Agreement.Kind.MOU
    counterpart: Partner | None = None
    activity_kind: str = Activity.Kind.SEMINAR
    starts_on: datetime.date | None = None


@transaction.atomic
def application_accept(*, application: Application, by, decision: Acceptance) -> Application:
    """Accept: link or create the partner (a new one is not public until a coordinator says
    so), then record what was proposed (a membership from a date with a role, an agreement in
    "proposed" with both parties, or an activity draft), all or nothing, and tell the
    applicant in the language they used."""
    application = _locked(application)
    _check_open(application)
    reason = f"Application {application.reference} accepted"
    partner = (
        decision.partner
        or application.partner
        or _new_partner(application, reason, decision.official_name_language)
    )
    application.partner = partner
    if application.proposal == Proposal.MEMBERSHIP:
        application.membership = _membership(application, decision, partner, reason)
    elif application.proposal == Proposal.AGREEMENT:
        application.agreement = _agreement(application, decision, partner, by)
    else:
        application.activity = _activity(application, decision, partner, by)
    application.status = Application.Status.ACCEPTED
    application.closed_at = timezone.now()
    application.decided_by = by
    _validated(_note(application, reason))
    application.save()
    transaction.on_commit(lambda: emails.send_decision(application))
    return application


def _new_partner(application, reason, official_name_language):
    partner = Partner(
        kind=application.kind,
        institution_type=application.institution_type,
        name=application.organisation_name,
        country=application.country,
        locality=application.locality,
        website=application.website,
        original_language=application.language,
        is_public=False,
        note=_("Created from application %(reference)s; not public until reviewed.")
        % {"reference": application.reference},
    )
    if application.official_name:
        language = official_name_language or application.language
        setattr(partner, f"official_name_{language}", application.official_name)
    partner.slug = unique_slug(
        application.organisation_name, Partner.objects.all(), max_length=100, default="partner"
    )
    _validated(_note(partner, reason))
    partner.save()
    return partner


def _membership(application, decision, partner, reason):
    network = decision.network or application.network
    if network is None:
        raise ApplicationError(_("Choose the network the partner joins."))
    membership = Membership(
        member=partner,
        network=network,
        role=decision.role or application.role or Membership.Role.PARTNER,
        joined_on=decision.joined_on or timezone.localdate(),
        note=_("From application %(reference)s.") % {"reference": application.reference},
    )
    _validated(_note(membership, reason))
    membership.save()
    return membership


def _agreement(application, decision, partner, by):
    if decision.counterpart is None:
        raise ApplicationError(_("Choose the other party to the agreement."))
    title = application.proposal_title
    try:
        return agreement_create(
            by=by,
            parties=[
                (partner, AgreementParty.Role.SIGNATORY),
                (decision.counterpart, AgreementParty.Role.SIGNATORY),
            ],
            title=title,
            original_language=application.language,
            slug=unique_slug(title, Agreement.objects.all(), max_length=120, default="agreement"),
            kind=decision.agreement_kind,
            is_public=False,
            note=_("Proposed in application %(reference)s.") % {"reference": application.reference},
        )
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error


def _activity(application, decision, partner, by):
    fields = {
        "original_language": application.language,
        "title": application.proposal_title,
        "starts_on": decision.starts_on or timezone.localdate(),
    }
    if partner.kind == Partner.Kind.CITY:
        fields.update(venue_type=Activity.VenueType.CITY, venue_partner=partner)
    else:
        fields.update(
            venue_type=Activity.VenueType.PLACE,
            venue_name=application.locality or partner.name,
            venue_country=application.country,
        )
    try:
        return activity_log(
            by=by,
            organiser=partner,
            fields=fields,
            kind=decision.activity_kind,
            status=Activity.Status.DRAFT,
        )
    except ActivityError as error:
        raise ApplicationError(str(error)) from error


@transaction.atomic
def application_decline(*, application: Application, by, reason: str) -> Application:
    """Decline with a reason, which the applicant reads in the e-mail and on the status page."""
    application = _locked(application)
    _check_open(application)
    application.status = Application.Status.DECLINED
    application.decline_reason = reason.strip()
    application.closed_at = timezone.now()
    application.decided_by = by
    _validated(_note(application, f"Application {application.reference} declined"))
    application.save()
    transaction.on_commit(lambda: emails.send_decision(application))
    return application


# Free text where the applicant or a coordinator may have typed the contact person's name or
# address ("write to ana@…"): kept on erasure, but without them.
FREE_TEXT_FIELDS = ("motivation", "note", "decline_reason")
ERASED = "[erased]"


def _redacted(text, needles):
    """``text`` with each of ``needles`` (case-insensitive, as a whole word) replaced."""
    for needle in needles:
        text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", ERASED, text, flags=re.IGNORECASE)
    return text


@transaction.atomic
def application_erase_personal_data(*, application: Application, by=None) -> bool:
    """Blank the contact person's name, role and e-mail address and the applicant's answers,
    for good (the history never stored them: joining/models.py), and take the name and address
    out of the free text that quotes them (motivation, internal note, questions), history rows
    included. What the organisation is and proposed stays. Returns False if they were erased
    already."""
    application = _locked(application)
    if application.personal_data_erased:
        return False
    needles = [value for value in (application.contact_email, application.contact_name) if value]
    for name in FREE_TEXT_FIELDS:
        setattr(application, name, _redacted(getattr(application, name), needles))
    for name in ("contact_name", "contact_role", "contact_email"):
        setattr(application, name, "")
    application.personal_data_erased_at = timezone.now()
    _validated(_note(application, "Personal data erased"))
    application.save()
    application.messages.filter(direction=Message.Direction.ANSWER).update(body="")
    for message in application.messages.filter(direction=Message.Direction.QUESTION):
        if (body := _redacted(message.body, needles)) != message.body:
            Message.objects.filter(pk=message.pk).update(body=body)
    # Earlier versions of the free text, as django-simple-history copied them on each save.
    for row in application.history.all():
        changed = {
            name: redacted
            for name in FREE_TEXT_FIELDS
            if (redacted := _redacted(getattr(row, name), needles)) != getattr(row, name)
        }
        if changed:
            application.history.filter(pk=row.pk).update(**changed)
    return True


def abandon_unconfirmed(*, now=None) -> int:
    """Unconfirmed applications whose link expired become abandoned (their retention period
    starts). Returns how many."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(hours=settings.JOINING_CONFIRMATION_HOURS)
    count = 0
    for application in Application.objects.unconfirmed_since(expired).iterator():
        with transaction.atomic():
            application = _locked(application)
            if application.status != Application.Status.UNCONFIRMED:
                continue
            application.status = Application.Status.ABANDONED
            application.closed_at = now
            _note(application, "Never confirmed").save()
            count += 1
    return count


def erase_expired(*, now=None) -> int:
    """Erase the personal data of applications closed more than JOINING_RETENTION_DAYS ago
    (accepted ones included: the partner record needs none of it). Returns how many."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.JOINING_RETENTION_DAYS)
    count = 0
    for application in Application.objects.closed_before(before).iterator():
        count += application_erase_personal_data(application=application)
    return count

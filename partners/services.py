"""Writes on partners that enforce a rule or touch several rows."""

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partners.models import Agreement, AgreementParty, AgreementStatusChange, Membership


class AgreementTransitionError(Exception):
    """A status change the lifecycle does not allow; the message says why and what to do."""


# The note of an agreement's first step, in the language of whoever records it.
PROPOSAL_NOTE = gettext_noop("Agreement recorded.")


class AgreementStep(NamedTuple):
    """An agreement's status and dates after one step of its lifecycle."""

    status: Agreement.Status
    signed_on: datetime.date | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None


def agreement_step(
    *,
    current: str,
    to_status: str,
    on: datetime.date,
    signed_on: datetime.date | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    previous_on: datetime.date | None = None,
) -> AgreementStep:
    """The lifecycle's rules for one step, without the database: whether an agreement in
    ``current`` (with these dates, its previous step dated ``previous_on``) may go to
    ``to_status`` on ``on``, and the dates the step sets.

    Raises AgreementTransitionError saying why not. ``agreement_change_status`` applies it to
    one agreement; the synthetic data generator (activities/synthetic) to rows in bulk. That a
    signed agreement has its signing date is the model's constraint, not repeated here: the
    step to "signed" sets the date (the date of the change unless one is given), and
    ``agreement_change_status`` checks the result with ``full_clean()``.
    """
    if to_status not in Agreement.Status.values:
        raise AgreementTransitionError(_("“%(status)s” is not a status.") % {"status": to_status})
    current = Agreement.Status(current)
    target = Agreement.Status(to_status)
    if target not in Agreement.TRANSITIONS[current]:
        allowed = ", ".join(str(s.label) for s in Agreement.TRANSITIONS[current]) or _("none")
        raise AgreementTransitionError(
            _(
                "An agreement cannot go from “%(current)s” to “%(target)s”. "
                "From “%(current)s” it can go to: %(allowed)s."
            )
            % {"current": current.label, "target": target.label, "allowed": allowed}
        )
    if target == Agreement.Status.SIGNED and signed_on is None:
        signed_on = on
    if signed_on and signed_on > on and target in Agreement.SIGNED_STATUSES:
        raise AgreementTransitionError(
            _("The signature date (%(signed)s) cannot be after the date of this change.")
            % {"signed": signed_on}
        )
    if previous_on and on < previous_on:
        raise AgreementTransitionError(
            _("This change cannot be dated before the previous one (%(date)s).")
            % {"date": previous_on}
        )
    if target == Agreement.Status.IN_FORCE and starts_on is None:
        starts_on = on
    if target in (Agreement.Status.EXPIRED, Agreement.Status.TERMINATED) and not ends_on:
        ends_on = on
    return AgreementStep(target, signed_on, starts_on, ends_on)


@transaction.atomic
def agreement_change_status(
    *,
    agreement: Agreement,
    to_status: str,
    on: datetime.date | None = None,
    by=None,
    note: str = "",
    signed_on: datetime.date | None = None,
) -> AgreementStatusChange:
    """Move an agreement to ``to_status`` and record the step (from, to, date, who, note).

    The only way an agreement's status changes. Locks the row so two coordinators clicking at
    once cannot both move it from the same status.
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    on = on or timezone.localdate()
    current = agreement.status
    last = agreement.status_changes.order_by("-changed_on").first()
    target, agreement.signed_on, agreement.starts_on, agreement.ends_on = agreement_step(
        current=current,
        to_status=to_status,
        on=on,
        signed_on=agreement.signed_on if signed_on is None else signed_on,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        previous_on=last.changed_on if last else None,
    )
    agreement.status = target
    try:
        agreement.full_clean(exclude=["document"])
    except ValidationError as error:
        raise AgreementTransitionError(" ".join(error.messages)) from error
    agreement.save()
    return AgreementStatusChange.objects.create(
        agreement=agreement,
        from_status=current,
        to_status=target,
        changed_on=on,
        changed_by=by if by is not None and by.is_authenticated else None,
        note=note,
    )


def agreement_parties_check(*, partners) -> None:
    """An agreement has at least two parties: raises ValidationError otherwise.

    The admin's party rows ask it too (partners/admin/agreements.py). That each partner is a
    party once is the constraint ``partners_agreementparty_unique``.
    """
    if len({partner.pk for partner in partners}) < 2:
        raise ValidationError(_("An agreement needs at least two parties."), code="too_few_parties")


@transaction.atomic
def agreement_create(
    *, by=None, parties=(), themes=(), on=None, agreement: Agreement | None = None, **fields
) -> Agreement:
    """Create an agreement in "proposed" with its parties and themes, and record the first
    step of its lifecycle. Raises ValidationError (at least two parties, each once; the
    agreement's own rules).

    ``parties`` is a list of (partner, role) pairs. The agreement's fields come as keyword
    arguments, or as ``agreement``: an unsaved instance with its fields set, as a ModelForm
    builds it (the admin's add view, see AgreementAdmin).
    """
    if agreement is None:
        agreement = Agreement(**fields)
    elif fields or agreement.pk is not None:
        raise TypeError("Give either an unsaved agreement or its fields, not both.")
    parties = list(parties)
    agreement_parties_check(partners=[partner for partner, _role in parties])
    agreement.status = Agreement.Status.PROPOSED
    if agreement.proposed_on is None:
        agreement.proposed_on = on or timezone.localdate()
    agreement.full_clean(exclude=["document"])
    agreement.save()
    for partner, role in parties:
        party = AgreementParty(agreement=agreement, partner=partner, role=role)
        party.full_clean()  # each partner once: the constraint's message, not an IntegrityError
        party.save()
    agreement.themes.set(themes)
    agreement_record_proposal(agreement=agreement, by=by)
    return agreement


def agreement_record_proposal(*, agreement: Agreement, by=None) -> AgreementStatusChange:
    """The first step of a new agreement's lifecycle: proposed, on its proposal date."""
    return AgreementStatusChange.objects.create(
        agreement=agreement,
        from_status="",
        to_status=Agreement.Status.PROPOSED,
        changed_on=agreement.proposed_on or timezone.localdate(),
        changed_by=by if by is not None and by.is_authenticated else None,
        note=_(PROPOSAL_NOTE),
    )


class MembershipError(Exception):
    pass


@transaction.atomic
def membership_end(*, membership: Membership, left_on: datetime.date) -> Membership:
    """End a current membership on ``left_on``; the period stays as history."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise MembershipError(
            _("This membership already ended on %(date)s.") % {"date": membership.left_on}
        )
    membership.left_on = left_on
    try:
        membership.full_clean()
    except ValidationError as error:
        raise MembershipError(" ".join(error.messages)) from error
    membership.save(update_fields=["left_on"])
    return membership

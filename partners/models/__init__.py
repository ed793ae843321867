"""Partners of the network, their memberships, the agreements between them and the themes.

One module per idea: ``partners`` (the organisations, their people and the themes),
``memberships`` (dated periods in a network), ``agreements`` (the agreement and its lifecycle).
Import the models from here: ``from partners.models import Partner``.
"""

from partners.models.agreements import (
    SIGNED_STATUSES,
    Agreement,
    AgreementParty,
    AgreementPartyQuerySet,
    AgreementQuerySet,
    AgreementReminder,
    AgreementStatus,
    AgreementStatusChange,
)
from partners.models.memberships import Membership, MembershipQuerySet
from partners.models.partners import Partner, PartnerQuerySet, PartnerStaff, Theme

__all__ = [
    "SIGNED_STATUSES",
    "Agreement",
    "AgreementParty",
    "AgreementPartyQuerySet",
    "AgreementQuerySet",
    "AgreementReminder",
    "AgreementStatus",
    "AgreementStatusChange",
    "Membership",
    "MembershipQuerySet",
    "Partner",
    "PartnerQuerySet",
    "PartnerStaff",
    "Theme",
]

"""Who may download the partners' uploaded files (registered with allas.media in apps.py)."""

from allas.roles import is_coordinator
from partners.models import Agreement, Partner


def keeps_any(user, partner_ids) -> bool:
    """Whether ``user`` is partner staff of one of these organisations. One query."""
    return Partner.objects.kept_by(user).filter(pk__in=partner_ids).exists()


def may_read_logo(user, partner: Partner) -> bool:
    return is_coordinator(user) or keeps_any(user, [partner.pk])


def may_read_agreement_document(user, agreement: Agreement) -> bool:
    """Coordinators and partner staff of one of the agreement's parties."""
    if is_coordinator(user):
        return True
    return keeps_any(user, agreement.party_links.values("partner_id"))


def register():
    from allas.media import register_file_field

    register_file_field(
        Partner, "logo", is_public=lambda partner: partner.is_public, may_read=may_read_logo
    )
    register_file_field(
        Agreement,
        "document",
        is_public=lambda agreement: agreement.is_public,
        may_read=may_read_agreement_document,
    )

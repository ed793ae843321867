"""Who may download the partners' uploaded files (registered with allas.media in apps.py)."""

from allas.roles import is_coordinator
from partners.models import Agreement, Partner


def is_staff_of_any(user, partner_ids) -> bool:
    """One query."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Partner.objects.kept_by(user).filter(pk__in=partner_ids).exists()


def may_read_logo(user, partner: Partner) -> bool:
    return is_coordinator(user) or is_staff_of_any(user, [partner.pk])


def may_read_agreement_document(user, agreement: Agreement) -> bool:
    """Coordinators and staff of one of the agreement's parties."""
    if is_coordinator(user):
        return True
    return is_staff_of_any(user, agreement.party_links.values("partner_id"))


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

"""The back-office for partners, memberships, agreements, themes and staff accounts.

Every admin keeps a history of changes (simple-history: diff and revert on each record's
"History" page); partners and memberships import and export as CSV or Excel. One module per
area; importing them registers their admins (Django's autodiscovery imports this package).
The base classes every app shares are in ``allas.admin``.
"""

from partners.admin import accounts, agreements, memberships, partners

__all__ = ["accounts", "agreements", "memberships", "partners"]

"""The privacy notice applicants agree to, stored with each application as shown (its version,
its text in the applicant's language, the moment of consent).

Changing what the notice says means a new ``VERSION``: applications keep the text they were
shown.
"""

from django.conf import settings
from django.utils.translation import gettext as _

VERSION = "2026-12-03"


def notice():
    """The notice in the active language."""
    return _(
        "The coordination of AL-LAs records the contact person's name, role and e-mail "
        "address for one purpose: handling this application (confirming the address, writing "
        "about the application, telling the decision). They are never published nor shared. "
        "They are erased %(days)s days after the application is decided or expires, or sooner "
        "on request: write to %(email)s quoting the application's reference."
    ) % {"days": settings.JOINING_RETENTION_DAYS, "email": settings.PRIVACY_CONTACT_EMAIL}

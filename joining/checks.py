"""A production check of the joining settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks


@checks.register(deploy=True)
def check_privacy_contact_is_real(app_configs, **kwargs):
    """The privacy notice tells applicants where to ask for erasure: a placeholder address
    would leave them no way to use that right."""
    domain = settings.PRIVACY_CONTACT_EMAIL.rpartition("@")[2].lower()
    if not domain or domain == "localhost" or domain.endswith((".localhost", ".example")):
        return [
            checks.Error(
                f"PRIVACY_CONTACT_EMAIL is {settings.PRIVACY_CONTACT_EMAIL!r}: the privacy notice"
                " of the application form tells applicants to write there to have their data"
                " erased, and nobody reads that address.",
                hint="Set PRIVACY_CONTACT_EMAIL to the coordination's real address.",
                id="joining.E001",
            )
        ]
    return []

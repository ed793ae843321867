"""The signed links an applicant follows without an account: confirm the e-mail address, see
the application's state, answer a question.

A link carries the application's id signed with SECRET_KEY and a purpose (salt), so a link of
one application or purpose cannot open another. The confirmation link expires after
JOINING_CONFIRMATION_HOURS; the status link (which also answers questions) lasts as long as the
application, and shows no personal data.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import override

CONFIRM = "joining.confirm"
STATUS = "joining.status"


def token(application, purpose):
    return signing.TimestampSigner(salt=purpose).sign_object({"a": application.pk})


def application_id(value, purpose, *, max_age=None):
    """The application id a token was signed for, or None if it is forged, altered, of
    another purpose or too old."""
    try:
        data = signing.TimestampSigner(salt=purpose).unsign_object(value, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    pk = data.get("a") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) else None


def confirmation_max_age():
    return settings.JOINING_CONFIRMATION_HOURS * 3600


def absolute(application, view_name, purpose):
    """The link on SITE_URL (never the request's Host header), in the application's
    language."""
    with override(application.language):
        path = reverse(view_name, args=[token(application, purpose)])
    return settings.SITE_URL + path


def confirm_url(application):
    return absolute(application, "joining:confirm", CONFIRM)


def status_url(application):
    return absolute(application, "joining:status", STATUS)

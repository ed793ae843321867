"""What keeps the public form from being used by programs or to flood the database or a
mailbox, without an outside CAPTCHA service (no request may leave the site):

- a honeypot field people do not see (``HONEYPOT``): filled in, the form answers as if sent
  and records nothing;
- a signed time of display (``form_started``): sent sooner than JOINING_MIN_FILL_SECONDS after
  display, or with a missing, forged or day-old time, the form is shown again to be resent;
- per client address and per e-mail address limits in the shared cache
  (JOINING_LIMIT_PER_ADDRESS an hour, JOINING_LIMIT_PER_EMAIL a day);
- site-wide ceilings: at most JOINING_MAX_UNCONFIRMED applications waiting for confirmation
  in the database and JOINING_MAX_EMAILS_PER_HOUR confirmation e-mails an hour.
"""

import hashlib
import time

from django.conf import settings
from django.core import signing

from allas.cache import count_in_window
from allas.login_throttling import client_address
from joining.models import Application

HONEYPOT = "homepage"
STARTED_SALT = "joining.form-started"
FORM_MAX_AGE = 24 * 3600

HOUR, DAY = 3600, 24 * 3600


def form_started_token(now=None):
    return signing.Signer(salt=STARTED_SALT).sign(str(int(now or time.time())))


def seconds_since_display(value, now=None):
    """Seconds since the form was displayed, or None if the token is missing, forged or older
    than a day."""
    try:
        shown = int(signing.Signer(salt=STARTED_SALT).unsign(value))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    seconds = (now or time.time()) - shown
    return seconds if 0 <= seconds <= FORM_MAX_AGE else None


def _key(kind, value):
    # Hashed: no address is stored in the cache, and any text makes a valid key.
    return f"allas:joining:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def address_allowed(request):
    """One more application from the client's address within the hour."""
    address = client_address(request) or ""
    return count_in_window(_key("address", address), HOUR) <= settings.JOINING_LIMIT_PER_ADDRESS


def email_allowed(email):
    """One more application for this e-mail address within the day (whoever sends it, so
    nobody can fill another's mailbox)."""
    email = email.strip().lower()
    return count_in_window(_key("email", email), DAY) <= settings.JOINING_LIMIT_PER_EMAIL


def site_has_room():
    """The site-wide ceilings: unconfirmed applications stored, confirmation e-mails sent this
    hour. One query."""
    if Application.objects.unconfirmed().count() >= settings.JOINING_MAX_UNCONFIRMED:
        return False
    return count_in_window(_key("site", "emails"), HOUR) <= settings.JOINING_MAX_EMAILS_PER_HOUR

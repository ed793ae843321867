"""Throttling of logins (django-axes) and of password-reset requests (the default cache).

Behind the TLS proxy every request comes from the proxy's address; the client's address is the
one the trusted proxies wrote into X-Forwarded-For (TRUSTED_PROXY_COUNT of them). django-axes
would read it through django-ipware, which is not installed, so its AXES_IPWARE_* settings had
no effect: client_address() is its AXES_CLIENT_IP_CALLABLE.
"""

import hashlib
import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.db.models import Sum
from django.shortcuts import render

from allas.cache import count_in_window

RECORDED_LENGTH = 255  # AccessAttempt.username and AccessFailureLog.username


def attempted_username(request, credentials=None):
    """The typed user name, cut to what django-axes' tables hold.

    A longer one (a login posted with 300 characters) could not be recorded on PostgreSQL: a
    server error instead of "wrong user name or password". No account has a name that long
    (150 characters at most), so cutting merges no real user's attempts.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return username[:RECORDED_LENGTH] if isinstance(username, str) else username


def client_address(request):
    """The client's address: the connecting one, or behind TRUSTED_PROXY_COUNT proxies the
    entry the outermost of them appended to X-Forwarded-For (entries further left are written
    by the client and can be forged). A header shorter than the proxy chain or not holding an
    address (a request that did not come through the proxies) gives the connecting address."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    forwarded = [entry.strip() for entry in forwarded if entry.strip()]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def address_failures(request):
    """Failed logins from the request's address within the cool-off time, whatever user name
    they tried (one query)."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    failures = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return failures or 0


def failure_limit(request, credentials=None):
    """AXES_FAILURE_LIMIT: how many failures of this user name from this address lock it.

    django-axes compares one limit with the failures of every lockout parameter set, so it
    cannot lock a user name from an address after 5 failures and an address after 20 whatever
    names it tried. The lock stays per user name and address (AXES_LOCKOUT_PARAMETERS), and an
    address that used up LOGIN_FAILURE_LIMIT_PER_ADDRESS gets a limit of 0: locked for every
    name until the cool-off time passes. The failures stay in django-axes' table, so the admin
    shows them and `axes_reset` lifts them; a successful login clears only its own user name's.
    """
    if address_failures(request) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
        return 0
    return settings.LOGIN_FAILURE_LIMIT_PER_USER


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, saying which limit was reached."""
    context = {
        "failure_limit": settings.LOGIN_FAILURE_LIMIT_PER_USER,
        "address_limit": settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
        "address_locked": failure_limit(request, credentials) == 0,
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def _count(kind, value, seconds):
    """One more request under (kind, value); the number in this window. The value is hashed:
    no e-mail address is stored in the cache, and any text makes a valid key."""
    key = f"allas:throttle:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"
    return count_in_window(key, seconds)


def password_reset_allowed(request, email):
    """Whether one more password-reset e-mail may be sent: at most
    PASSWORD_RESET_LIMIT_PER_ADDRESS requests from the client's address and
    PASSWORD_RESET_LIMIT_PER_EMAIL for the e-mail address per PASSWORD_RESET_THROTTLE_MINUTES
    (counted whether or not an account has that address, so the answer reveals nothing)."""
    seconds = settings.PASSWORD_RESET_THROTTLE_MINUTES * 60
    address = client_address(request) or ""
    if _count("reset-address", address, seconds) > settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
        return False
    email = email.strip().lower()
    return _count("reset-email", email, seconds) <= settings.PASSWORD_RESET_LIMIT_PER_EMAIL

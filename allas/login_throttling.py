"""The user name that django-axes records for a login attempt (AXES_USERNAME_CALLABLE)."""

from axes.conf import settings

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

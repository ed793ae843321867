"""Response headers the other middleware do not add everywhere."""

import re

from csp.utils import build_policy
from django.conf import settings

# Browser features no page of the site uses (the map needs none: no "where am I").
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)
PRIVATE_PATH = re.compile(r"^/(?:admin/|[a-z]{2}(?:-[a-z]+)?/staff/)")


class SecurityHeadersMiddleware:
    """First in MIDDLEWARE, so it sees every response, including the 400 of a request whose
    Host is not allowed (DisallowedHost is raised by the first middleware that reads the host,
    and its error page skips the middleware below that one).

    - Permissions-Policy on every response;
    - the headers of SecurityMiddleware, XFrameOptionsMiddleware and CSPMiddleware on the
      responses that did not pass through them (error pages);
    - ``Cache-Control: no-store, private`` on every page of the admin and the staff area and on
      every response to a signed-in user: neither the browser's cache nor a shared one keeps
      them. Anonymous visitors' public pages keep their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            response.setdefault("X-Content-Type-Options", "nosniff")
        if settings.SECURE_REFERRER_POLICY:
            response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            response.setdefault(
                "Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
            )
        if not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if self.wants_policy(response):
            response["Content-Security-Policy"] = build_policy()
        if self.is_private(request):
            response["Cache-Control"] = "no-store, private"
        return response

    @staticmethod
    def wants_policy(response):
        # As CSPMiddleware: Django's debug pages (500, 404 with DEBUG) use inline styles.
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        return not (
            debug_page
            or getattr(response, "_csp_exempt", False)
            or response.has_header("Content-Security-Policy")
        )

    @staticmethod
    def is_private(request):
        if PRIVATE_PATH.match(request.path_info):
            return True
        # Only a request with a session can be signed in; reading request.user without one
        # would mark every anonymous page as varying on the cookie.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)

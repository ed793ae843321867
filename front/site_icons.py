"""The site's icon and web manifest at the addresses browsers and crawlers ask for.

Pages name their icons with ``<link rel="icon">`` (``templates/base.html``), but feed readers,
crawlers and some browsers still ask for ``/favicon.ico`` at the root; without it every such
request was a 404 in the log. The icons themselves are static files (``allas/static/icons/``,
``icon.svg`` drawn by hand, the PNG and ICO copies rendered from the same drawing).
"""

import functools
import json

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

THEME_COLOUR = "#12355b"  # --brand in site.css
ICON_SECONDS = 24 * 60 * 60


@functools.cache
def favicon_bytes():
    # The file from the source tree (the static finders), so it answers the same whether or not
    # collectstatic ran; 8 KB read once per process.
    with open(finders.find("icons/favicon.ico"), "rb") as icon:
        return icon.read()


@require_safe
def favicon(request):
    response = HttpResponse(favicon_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=ICON_SECONDS)
    return response


@require_safe
def web_manifest(request):
    """The web app manifest, named in the visitor's language (LocaleMiddleware chooses it from
    the language cookie or Accept-Language, and adds the Vary header)."""
    manifest = {
        "name": _("AL-LAs Network"),
        "short_name": "AL-LAs",
        "description": _("Euro-Latin-American Alliance of Cooperation among Cities"),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "browser",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json"
    )
    patch_cache_control(response, public=True, max_age=ICON_SECONDS)
    return response

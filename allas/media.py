"""Uploaded files served by the app (only when DEBUG is on; see README "Uploaded files").

In production the web server or the object storage serves MEDIA_URL with the same headers:
``X-Content-Type-Options: nosniff`` on everything, ``Content-Disposition: attachment`` on all
but raster images, and a CSP ``sandbox`` so even a file opened directly runs nothing.
"""

import mimetypes

from django.views.static import serve

# Only these types are shown inline; everything else is downloaded.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def serve_media(request, path, document_root=None):
    response = serve(request, path, document_root=document_root)
    content_type = mimetypes.guess_type(path)[0]
    if content_type not in INLINE_TYPES:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

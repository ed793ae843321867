"""Uploaded files served by the app (only when DEBUG is on; see README "Uploaded files").

In production the web server or the object storage serves MEDIA_URL with the same headers:
``X-Content-Type-Options: nosniff`` on everything, ``Content-Disposition: attachment`` on all
but raster images, and a CSP ``sandbox`` so even a file opened directly runs nothing.
"""

import mimetypes
import re
import secrets

from django.utils.deconstruct import deconstructible
from django.views.static import serve

# Only these types are shown inline; everything else is downloaded.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@deconstructible
class RandomFileName:
    """``upload_to`` that stores an upload as ``<folder>/<random token>.<ext>``.

    The token (128 random bits) makes an address impossible to guess, so knowing what a file
    was called does not find it; the original extension is kept (lower-cased, letters and digits
    only) because the validators and the download headers go by it.
    """

    def __init__(self, folder):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename):
        extension = filename.rpartition(".")[2].lower() if "." in filename else ""
        extension = re.sub(r"[^a-z0-9]", "", extension)[:10]
        token = secrets.token_urlsafe(16)
        return f"{self.folder}/{token}.{extension}" if extension else f"{self.folder}/{token}"

    def __eq__(self, other):
        return isinstance(other, RandomFileName) and other.folder == self.folder


def serve_media(request, path, document_root=None):
    response = serve(request, path, document_root=document_root)
    content_type = mimetypes.guess_type(path)[0]
    if content_type not in INLINE_TYPES:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

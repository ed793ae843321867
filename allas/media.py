"""Uploaded files: stored under random names, served by the app after it checks who asks.

Every address under MEDIA_URL goes through ``serve_media``, in production as with DEBUG on. It
finds the record owning the path among the registered file fields (``register_file_field``)
and answers 404 unless the record is public or the user may read it. The bytes are sent by
Django or, with ``MEDIA_SERVE``, by the web server (``X-Accel-Redirect`` for nginx,
``X-Sendfile`` for Apache); see README "Uploaded files". Headers on every file:
``X-Content-Type-Options: nosniff``, ``Content-Disposition: attachment`` on all but raster
images, a CSP ``sandbox`` so even a file opened directly runs nothing, and
``Cache-Control: private, no-store`` on files of records that are not public.

This module imports no domain app: the apps register their fields in ``AppConfig.ready()``.
"""

import mimetypes
import posixpath
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible

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


# -- who may read which file ---------------------------------------------------------------


@dataclass(frozen=True)
class RegisteredFileField:
    model: Any
    field_name: str
    is_public: Callable[[Any], bool]
    may_read: Callable[[Any, Any], bool]


_FILE_FIELDS: list[RegisteredFileField] = []


def register_file_field(model, field_name, *, is_public, may_read):
    """Serve the files of ``model.field_name`` under MEDIA_URL, to whom the record allows.

    - ``is_public(obj) -> bool``: everyone may download the file (it gets the public headers);
    - ``may_read(user, obj) -> bool``: asked only when the record is not public; ``user`` may be
      anonymous. Typically "a coordinator, or staff of the owning organisation".

    Call it from the app's ``AppConfig.ready()``; registering the same field twice replaces the
    first registration. A path that no registered field holds answers 404, so a model whose
    files should be downloadable must be registered. Cost: one query per registered field
    (``field=path``, not indexed: a scan of the table, fine at our sizes), plus what the
    callables query.
    """
    _FILE_FIELDS[:] = [
        entry
        for entry in _FILE_FIELDS
        if not (entry.model is model and entry.field_name == field_name)
    ]
    _FILE_FIELDS.append(RegisteredFileField(model, field_name, is_public, may_read))


def registered_file_fields():
    return list(_FILE_FIELDS)


def find_owner(path):
    """(registration, record) of the first record whose registered field stores ``path``."""
    for entry in _FILE_FIELDS:
        record = entry.model._default_manager.filter(**{entry.field_name: path}).first()
        if record is not None:
            return entry, record
    return None, None


# -- serving --------------------------------------------------------------------------------

# Only these types are shown inline; everything else is downloaded.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
SERVE_MODES = ("django", "x-accel-redirect", "x-sendfile")


def clean_path(path):
    """The stored name ``path`` stands for, or None if it could leave MEDIA_ROOT."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        return None
    normalised = posixpath.normpath(path)
    if normalised != path or normalised.startswith((".", "/")) or ".." in path.split("/"):
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = (root / normalised).resolve()
    except (OSError, ValueError):
        return None
    if root not in full.parents:
        return None
    return normalised


def serve_media(request, path):
    """The file stored as ``path``, if the record owning it lets this user read it; else 404."""
    name = clean_path(path)
    if name is None:
        raise Http404
    entry, record = find_owner(name)
    if entry is None:
        raise Http404
    public = entry.is_public(record)
    if not public and not entry.may_read(request.user, record):
        raise Http404
    full = Path(settings.MEDIA_ROOT).resolve() / name
    if not full.is_file():
        raise Http404
    response = _file_response(name, full)
    content_type = mimetypes.guess_type(name)[0]
    if content_type in INLINE_TYPES:
        response.headers["Content-Type"] = content_type
    else:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not public:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _file_response(name, full):
    mode = settings.MEDIA_SERVE
    if mode == "x-accel-redirect":
        # nginx streams the file from an ``internal`` location; the body stays empty.
        response = HttpResponse()
        response.headers["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + name
        return response
    if mode == "x-sendfile":
        response = HttpResponse()
        response.headers["X-Sendfile"] = str(full)
        return response
    return FileResponse(full.open("rb"))

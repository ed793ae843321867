"""Limits on uploaded files: size, type and content, with messages a person can act on.

A file is accepted only when its extension is on the list *and* its first bytes are what that
extension promises (a PDF starts with ``%PDF-``, an image opens with Pillow, an Office file is a
ZIP or OLE2 container…). HTML, SVG, scripts and executables are refused whatever they are called,
so nothing a browser would run can be uploaded. The names stay as they were (migrations refer to
``validate_image`` and ``validate_document``).

Content is checked only for a new upload; a file already stored was checked when it arrived,
and re-validating a form must not fail because the storage is slow or the file was moved.
"""

import io
import os
import re
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".gif"}
DOCUMENT_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".txt",
    ".xls",
    ".xlsx",
    ".ods",
    ".csv",
    ".ppt",
    ".pptx",
    ".odp",
    ".png",
    ".jpg",
    ".jpeg",
    ".zip",
    ".mp4",
    ".webm",
}

# Pillow's name for the formats each image extension may hold.
IMAGE_FORMATS = {
    ".png": {"PNG"},
    ".jpg": {"JPEG", "MPO"},
    ".jpeg": {"JPEG", "MPO"},
    ".webp": {"WEBP"},
    ".gif": {"GIF"},
}
# An image bigger than this (in pixels) is refused: it would only be a decompression bomb.
MAX_IMAGE_PIXELS = 50_000_000

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a ZIP with files, an empty ZIP
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": ZIP_MAGIC,
    ".xlsx": ZIP_MAGIC,
    ".pptx": ZIP_MAGIC,
    ".odt": ZIP_MAGIC,
    ".ods": ZIP_MAGIC,
    ".odp": ZIP_MAGIC,
    ".zip": ZIP_MAGIC,
    ".doc": (OLE2_MAGIC,),
    ".xls": (OLE2_MAGIC,),
    ".ppt": (OLE2_MAGIC,),
    ".rtf": (b"{\\rtf",),
    ".webm": (b"\x1a\x45\xdf\xa3",),
}
TEXT_EXTENSIONS = {".txt", ".csv"}
# What a browser would take for HTML or script when it sniffs a text file (WHATWG MIME
# sniffing looks at the start; we look at the whole head of the file to be safe).
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|img|style|\?xml|meta|"
    rb"link|form|frame|frameset|title|math|base)\b",
    re.IGNORECASE,
)
HEAD_BYTES = 8192


def _reject_type(extension, allowed):
    return ValidationError(
        _("Files of type “%(extension)s” are not accepted. Accepted: %(allowed)s."),
        params={"extension": extension or "?", "allowed": ", ".join(sorted(allowed))},
        code="file_type",
    )


def _reject_content(extension):
    return ValidationError(
        _(
            "This file does not look like a “%(extension)s” file. Save or export it again as "
            "“%(extension)s” and upload that."
        ),
        params={"extension": extension},
        code="file_content",
    )


def _is_new_upload(upload):
    """True for a file arriving in this request; False for one already in storage."""
    return not getattr(upload, "_committed", False)


def _head(upload):
    file = getattr(upload, "file", upload)
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        return file.read(HEAD_BYTES) or b""
    finally:
        if position is not None:
            file.seek(position)


def _check_image(upload, extension):
    from PIL import Image

    file = getattr(upload, "file", upload)
    position = file.tell()
    try:
        file.seek(0)
        data = file.read()
    finally:
        file.seek(position)
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a huge image; make it an error so it is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _reject_content(extension)
            image_format = image.format
            image.verify()
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds for a broken or hostile file.
        raise _reject_content(extension) from error
    if image_format not in IMAGE_FORMATS[extension]:
        raise _reject_content(extension)


def _check_text(head, extension):
    # UTF-16 and binary files have NUL bytes; markup would be rendered if a browser sniffed it.
    if b"\x00" in head or MARKUP.search(head):
        raise _reject_content(extension)


def _check_content(upload, extension):
    if extension in IMAGE_FORMATS:
        _check_image(upload, extension)
        return
    head = _head(upload)
    if extension in TEXT_EXTENSIONS:
        _check_text(head, extension)
    elif extension == ".mp4":
        if head[4:8] != b"ftyp":
            raise _reject_content(extension)
    elif not head.startswith(SIGNATURES[extension]):
        raise _reject_content(extension)


def _check(upload, allowed):
    if not _is_new_upload(upload):
        return
    size = getattr(upload, "size", 0) or 0
    if size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            params={
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
            },
            code="file_too_large",
        )
    extension = os.path.splitext(os.path.basename(upload.name or ""))[1].lower()
    if extension not in allowed:
        raise _reject_type(extension, allowed)
    if size == 0:
        raise ValidationError(_("This file is empty."), code="file_empty")
    _check_content(upload, extension)


def validate_image(upload):
    _check(upload, IMAGE_EXTENSIONS)


def validate_document(upload):
    _check(upload, DOCUMENT_EXTENSIONS)

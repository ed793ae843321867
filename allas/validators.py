"""Limits on uploaded files: size and type, with messages a person can act on."""

import os

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


def _check(upload, allowed):
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
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Accepted: %(allowed)s."),
            params={"extension": extension or "?", "allowed": ", ".join(sorted(allowed))},
            code="file_type",
        )


def validate_image(upload):
    _check(upload, IMAGE_EXTENSIONS)


def validate_document(upload):
    _check(upload, DOCUMENT_EXTENSIONS)

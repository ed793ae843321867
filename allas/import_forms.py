"""A stricter confirmation step for django-import-export's admin imports.

The confirmation form of django-import-export carries the format's index and the name of the
temporary file from the preview step in hidden fields, and uses them unchecked: a forged
``format`` ("x", "99") or a missing file was a server error, and any file name in the
temporary folder would be read as a spreadsheet and then deleted. This form accepts only an
existing format index and a temporary file that the preview step could have written; anything
else shows the form again with a message.
"""

import os
import re
import tempfile

import tablib
from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm

TEMP_NAME = re.compile(r"\Atmp[a-z0-9_]{4,}\Z", re.IGNORECASE)  # what NamedTemporaryFile makes


class SafeConfirmImportForm(ConfirmImportForm):
    format_count = 1
    resource_count = 1

    @classmethod
    def limited(cls, *, formats, resources):
        """The form for an admin offering ``formats`` formats and ``resources`` resources."""
        return type(cls.__name__, (cls,), {"format_count": formats, "resource_count": resources})

    def clean_format(self):
        value = self.cleaned_data["format"]
        if not _is_index(value, self.format_count):
            raise forms.ValidationError(_("Unknown file format; start the import again."))
        return value

    def clean_resource(self):
        value = self.cleaned_data.get("resource") or ""
        if value and not _is_index(value, self.resource_count):
            raise forms.ValidationError(_("Unknown import type; start the import again."))
        return value

    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        path = os.path.join(tempfile.gettempdir(), name)
        if not TEMP_NAME.match(name) or not os.path.isfile(path):
            raise forms.ValidationError(
                _("The uploaded file is no longer available; upload it again.")
            )
        return name


def _is_index(value, count):
    """Whether ``value`` is one of "0" … "count - 1"; compared as text, since int() fails on
    what str.isdigit() lets through: "²", or over 4,300 digits."""
    return value in {str(index) for index in range(count)}


class _HeadersRequired:
    """A file whose first line is empty ("\\n\\nslug,name") gives rows without headers, on
    which django-import-export fails (a server error, in the preview and in the confirmation):
    it is read as an empty file, refused with the import form's message."""

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        return dataset if dataset.headers else tablib.Dataset()


class CSV(_HeadersRequired, base_formats.CSV):
    pass


class XLSX(_HeadersRequired, base_formats.XLSX):
    pass

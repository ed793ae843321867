"""A stricter confirmation step for django-import-export's admin imports.

The confirmation form of django-import-export carries the format's index and the name of the
temporary file from the preview step in hidden fields, and uses them unchecked: a forged
``format`` ("x", "99") or a missing file was a server error, and any file name in the
temporary folder would be read as a spreadsheet and then deleted. This form accepts only an
existing format index and a temporary file that the preview step could have written; anything
else shows the form again with a message.
"""

import csv
import io
import os
import re
import tempfile
import zipfile

import openpyxl
import tablib
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm

from allas import spreadsheets

TEMP_NAME = re.compile(r"\Atmp[a-z0-9_]{4,}\Z", re.IGNORECASE)  # what NamedTemporaryFile makes


class LimitedImportForm(ImportForm):
    """The import form, refusing before anything is parsed a file too big, an XLSX that
    unpacks to too much (a 2 MB zip of 500 MB of XML would take a worker's memory), or a file
    of too many rows (IMPORT_MAX_FILE_SIZE, IMPORT_MAX_UNPACKED_SIZE, IMPORT_MAX_ROWS)."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("This file is too big (%(size)s); import at most %(limit)s at a time.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_FILE_SIZE),
                }
            )
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        try:
            rows = _xlsx_rows(upload) if head == b"PK\x03\x04" else _csv_rows(upload)
        finally:
            upload.seek(0)
        if rows > settings.IMPORT_MAX_ROWS:
            raise forms.ValidationError(
                _("This file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": f"{settings.IMPORT_MAX_ROWS:,}"}
            )
        return upload


def _xlsx_rows(upload):
    """Data rows of the first sheet, counted while streaming (at most the limit plus one),
    after the zip directory shows the archive unpacks to no more than the limit. Python's
    zipfile never unpacks a member past the size its directory states, so the check holds
    for a forged directory too."""
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return 0  # not a spreadsheet: the import itself says it cannot read it
    if unpacked > settings.IMPORT_MAX_UNPACKED_SIZE:
        raise forms.ValidationError(
            _("This spreadsheet unpacks to %(size)s, more than the %(limit)s allowed.")
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(settings.IMPORT_MAX_UNPACKED_SIZE),
            }
        )
    try:
        book = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is reported by the import itself
        return 0
    try:
        sheet = book.active
        rows = -1  # the header
        for _row in sheet.iter_rows(values_only=True):
            rows += 1
            if rows > settings.IMPORT_MAX_ROWS:
                break
        return max(rows, 0)
    finally:
        book.close()


def _csv_rows(upload):
    """Data rows of a CSV file (at most the limit plus one); cells may span several lines."""
    text = io.TextIOWrapper(upload, encoding="utf-8", errors="replace", newline="")
    try:
        rows = -1
        for _row in csv.reader(text):
            rows += 1
            if rows > settings.IMPORT_MAX_ROWS:
                break
        return max(rows, 0)
    except csv.Error:
        return 0  # the import itself reports the file it cannot read
    finally:
        text.detach()


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
    def export_data(self, dataset, **kwargs):
        # A control character ("\x03" in a note) would make openpyxl refuse the whole file.
        clean = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            clean.append([spreadsheets.xlsx_safe(value) for value in row])
        return super().export_data(clean, **kwargs)

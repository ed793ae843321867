"""Writing iCalendar text (RFC 5545): the few value types the calendar feeds use.

The feeds used to be built with the icalendar library, which folds lines one character at a
time and was the largest cost of a feed (bench/README.md has the figures). These functions write
the same content lines (text escaping as in section 3.3.11, line folding as in section 3.1); the
library stays in the tests, which parse every feed back.
"""

import datetime
import re

# RFC 5545 TEXT allows no control character but tab; line breaks are escaped as \n.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLD_OCTETS = 75


def text(value):
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value).replace("\\", "\\\\").replace(";", "\\;")
    # (str.replace beats str.translate here, four to one.)
    return value.replace(",", "\\,").replace("\n", "\\n")


def date(value: datetime.date):
    return value.strftime("%Y%m%d")


def utc_datetime(value: datetime.datetime):
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> bytes:
    """One content line, folded into lines of at most 75 octets (continuations start with a
    space) without splitting a UTF-8 character, and ended by CRLF."""
    raw = line.encode()
    if len(raw) <= _FOLD_OCTETS:
        return raw + b"\r\n"
    parts, start, width = [], 0, _FOLD_OCTETS
    while start < len(raw):
        end = min(start + width, len(raw))
        while end < len(raw) and raw[end] & 0xC0 == 0x80:  # inside a multi-byte character
            end -= 1
        parts.append(raw[start:end])
        start, width = end, _FOLD_OCTETS - 1  # the leading space counts
    return b"\r\n ".join(parts) + b"\r\n"


def component(name, properties, components=()):
    """BEGIN:name, each (property, value) pair as a folded line, the nested components
    (bytes), END:name. ``properties`` are already formatted: a name (with its parameters) and
    a value."""
    lines = [fold(f"BEGIN:{name}")]
    lines.extend(fold(f"{key}:{value}") for key, value in properties)
    lines.extend(components)
    lines.append(fold(f"END:{name}"))
    return b"".join(lines)

"""The iCalendar writer of the feeds: escaping and folding as RFC 5545 asks, checked against
the icalendar library's parser."""

import datetime

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from activities import ical


def parsed_summary(value):
    event = ical.component("VEVENT", [("UID", "1@test"), ("SUMMARY", ical.text(value))])
    body = ical.component("VCALENDAR", [("VERSION", "2.0"), ("PRODID", "-//test//EN")], [event])
    (parsed,) = Calendar.from_ical(body).walk("VEVENT")
    return str(parsed["SUMMARY"]), body


def test_special_characters_are_escaped_and_read_back_unchanged():
    value = 'Taller; "agua", saneamiento\\ y\nresiliencia'
    read, body = parsed_summary(value)
    assert read == value
    assert b'Taller\\; "agua"\\, saneamiento\\\\ y\\nresiliencia' in body.replace(b"\r\n ", b"")


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    value = "Cooperação descentralizada — São Paulo, Médellín, Montevidéu 🌎 " * 6
    read, body = parsed_summary(value)
    assert read == value
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # a split multi-byte character would not decode


@given(st.text(max_size=300))
def test_any_text_survives_the_round_trip_but_control_characters(value):
    read, _body = parsed_summary(value)
    expected = "".join(
        c for c in value.replace("\r\n", "\n").replace("\r", "\n") if c in "\t\n" or c >= " "
    ).replace("\x7f", "")
    assert read == expected


def test_dates_and_utc_times():
    assert ical.date(datetime.date(2026, 2, 9)) == "20260209"
    moment = datetime.datetime(
        2026, 2, 9, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-3))
    )
    assert ical.utc_datetime(moment) == "20260210T023000Z"

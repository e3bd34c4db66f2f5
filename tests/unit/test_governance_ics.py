"""The steering invitation file (governance/domain/ics.py) read back by a strict RFC 5545 reader."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from governance.domain import ics, rhythm

from .ical_strict import StrictError, parse, unescape, unfold


def series(**overrides) -> ics.Series:
    values = {
        "uid": "steering-abc@cxgov",
        "sequence": 2,
        "stamp": datetime(2026, 12, 1, 13, 14, 15, tzinfo=UTC),
        "start": datetime(2027, 1, 5, 9, 0),
        "duration_minutes": 90,
        "rule": rhythm.rrule("monthly", date(2027, 1, 5)),
        "summary": "Comité de pilotage de l'expérience client — Demo Retail",
        "organizer": ics.Person("consultant@demo.test", "Claire Martin"),
        "attendees": (
            ics.Person("ceo@demo.test", "Marc Lefèvre"),
            ics.Person("cfo@demo.test", 'Nadia "the CFO" Benali'),
            ics.Person("sponsor@demo.test", ""),
        ),
        "description": "Ordre du jour: la veille.\nDeuxième ligne",
        "location": "Salle 3, 2e étage; Paris",
    }
    values.update(overrides)
    return ics.Series(**values)


def test_the_file_is_a_valid_invitation():
    text = ics.calendar(series())
    root = parse(text.encode("utf-8"))
    assert root.name == "VCALENDAR"
    assert root.one("VERSION").value == "2.0"
    assert root.one("PRODID").value
    assert root.one("METHOD").value == "REQUEST"
    zone = root.child("VTIMEZONE")
    assert zone.one("TZID").value == "Europe/Paris"
    assert zone.child("DAYLIGHT").one("RRULE").value == "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
    assert zone.child("STANDARD").one("RRULE").value == "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
    assert zone.child("DAYLIGHT").one("TZOFFSETTO").value == "+0200"
    event = root.child("VEVENT")
    assert event.one("UID").value == "steering-abc@cxgov"
    assert event.one("SEQUENCE").value == "2"
    assert event.one("DTSTAMP").value == "20261201T131415Z"
    start = event.one("DTSTART")
    assert start.params == {"TZID": "Europe/Paris"} and start.value == "20270105T090000"
    assert event.one("DURATION").value == "PT1H30M"
    assert event.one("RRULE").value == "FREQ=MONTHLY;BYDAY=1TU"
    assert unescape(event.one("SUMMARY").value) == "Comité de pilotage de l'expérience client — Demo Retail"
    assert unescape(event.one("DESCRIPTION").value) == "Ordre du jour: la veille.\nDeuxième ligne"
    assert unescape(event.one("LOCATION").value) == "Salle 3, 2e étage; Paris"
    organizer = event.one("ORGANIZER")
    assert organizer.value == "mailto:consultant@demo.test" and organizer.params["CN"] == "Claire Martin"
    attendees = event.all("ATTENDEE")
    assert [a.value for a in attendees] == ["mailto:ceo@demo.test", "mailto:cfo@demo.test", "mailto:sponsor@demo.test"]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT" and attendee.params["RSVP"] == "TRUE"
    assert attendees[0].params["CN"] == "Marc Lefèvre"
    assert attendees[1].params["CN"] == "Nadia 'the CFO' Benali"  # a double quote cannot close the parameter
    assert "CN" not in attendees[2].params


def test_lines_end_with_crlf_and_fold_at_75_octets():
    long_summary = "Comité de pilotage de l'expérience client — " + "Société générale des épiceries réunies " * 4
    text = ics.calendar(series(summary=long_summary))
    data = text.encode("utf-8")
    assert all(len(raw) <= 75 for raw in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")
    event = parse(data).child("VEVENT")
    assert unescape(event.one("SUMMARY").value) == long_summary


@given(st.text(min_size=0, max_size=300))
def test_any_typed_text_stays_one_value(typed):
    """Whatever a person types in a place or a name adds no property and no parameter, and reads back as typed."""
    text = ics.calendar(series(location=typed or "x", summary=typed or "x", attendees=(ics.Person("a@b.test", typed),)))
    root = parse(text.encode("utf-8"))
    event = root.child("VEVENT")
    names = [line.name for line in event.lines]
    assert names.count("LOCATION") == 1 and names.count("SUMMARY") == 1 and names.count("ATTENDEE") == 1
    assert set(names) <= {
        "UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DURATION", "RRULE", "SUMMARY", "DESCRIPTION",
        "LOCATION", "ORGANIZER", "ATTENDEE", "STATUS", "TRANSP",
    }  # fmt: skip
    expected = ics.escape_text(typed or "x")
    assert event.one("LOCATION").value == expected
    assert set(event.one("ATTENDEE").params) <= {"CN", "CUTYPE", "ROLE", "PARTSTAT", "RSVP"}


def test_an_injection_attempt_is_inert():
    hostile = "Salle 1\r\nATTENDEE:mailto:intruder@evil.test\r\nEND:VEVENT"
    text = ics.calendar(series(location=hostile, attendees=(ics.Person("a@b.test", 'X";ROLE=CHAIR:mailto:evil@x.test'),)))
    event = parse(text.encode("utf-8")).child("VEVENT")
    assert [a.value for a in event.all("ATTENDEE")] == ["mailto:a@b.test"]
    assert event.one("ATTENDEE").params["ROLE"] == "REQ-PARTICIPANT"
    assert unescape(event.one("LOCATION").value) == "Salle 1\nATTENDEE:mailto:intruder@evil.test\nEND:VEVENT"


def test_escaping_and_addresses():
    assert ics.escape_text("a\\b;c,d\ne\r\nf\rg\x07") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert ics.param_value('A "B"\x0b') == "\"A 'B'\""
    assert ics.mailto("o'brien+cx@demo.test") == "mailto:o'brien+cx@demo.test"
    assert ics.mailto("a,b;c:d@x.test") == "mailto:a%2Cb%3Bc%3Ad@x.test"
    assert ics.duration(45) == "PT45M" and ics.duration(120) == "PT2H" and ics.duration(90) == "PT1H30M"


def test_a_fold_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100 + "€" * 40
    folded = ics.fold(line)
    for raw in folded.encode("utf-8").split(b"\r\n"):
        assert len(raw) <= 75
        raw.decode("utf-8")
    assert folded.replace("\r\n ", "") == line


def test_the_strict_reader_refuses_what_it_should():
    with pytest.raises(StrictError):
        unfold(b"BEGIN:VCALENDAR\nEND:VCALENDAR\r\n")
    with pytest.raises(StrictError):
        unfold(b"X:" + b"a" * 80 + b"\r\n")
    with pytest.raises(StrictError):
        unescape("a,b")


def test_the_series_in_paris_time_across_the_clock_change():
    """DTSTART is Paris wall-clock time: 09:00 in winter and in summer (UTC 08:00, then 07:00)."""
    event = parse(ics.calendar(series()).encode("utf-8")).child("VEVENT")
    start = datetime.strptime(event.one("DTSTART").value, "%Y%m%dT%H%M%S")
    from zoneinfo import ZoneInfo  # noqa: PLC0415 — only this test needs it

    paris = ZoneInfo(event.one("DTSTART").params["TZID"])
    dates = [d.replace(tzinfo=paris) for d in islice(rrulestr(event.one("RRULE").value, dtstart=start), 6)]
    assert [d.astimezone(UTC).hour for d in dates] == [8, 8, 8, 7, 7, 7]  # January–March, then April–June
    assert all(d.hour == 9 for d in dates)
    assert dates[1] - dates[0] == timedelta(days=28)


def test_with_icalendar_when_installed():
    icalendar = pytest.importorskip("icalendar")
    calendar = icalendar.Calendar.from_ical(ics.calendar(series()))
    event = next(c for c in calendar.walk("VEVENT"))
    assert str(event["UID"]) == "steering-abc@cxgov"
    assert event.decoded("DTSTART").tzinfo is not None
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.combine(date(2027, 1, 5), time(9, 0))
    assert dict(event["RRULE"]) == {"FREQ": ["MONTHLY"], "BYDAY": ["1TU"]}
    assert len(event.get("ATTENDEE")) == 3

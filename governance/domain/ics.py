"""The steering meetings as an iCalendar invitation (RFC 5545): one VEVENT series in Europe/Paris time.

Pure: the caller gives every value (the time stamp included); the result is the file's text.

What a calendar needs from it
    * ``METHOD:REQUEST`` with an ORGANIZER and one ATTENDEE per person: the file is an invitation
      that mail clients offer to accept, not a bare event.
    * ``UID`` stays the same for the life of the series and ``SEQUENCE`` grows with each change, so
      a calendar replaces the series it holds instead of adding a second one.
    * ``DTSTART;TZID=Europe/Paris`` with the zone's definition (VTIMEZONE, its summer-time rules as
      RRULEs): 09:00 stays 09:00 in Paris across the clock changes.

No text typed by a person can add a property or a parameter: TEXT values are escaped (backslash,
semicolon, comma, line breaks) and stripped of control characters, parameter values are quoted
without their double quotes, addresses are percent-encoded, and every line is folded at 75 octets
without cutting a UTF-8 character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

TZID = "Europe/Paris"
PRODID = "-//cxgov//Steering rhythm//EN"
MAX_OCTETS = 75
CRLF = "\r\n"

# Europe/Paris since 1996 (EU rules): summer time from the last Sunday of March 02:00 to the last
# Sunday of October 03:00.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    f"X-LIC-LOCATION:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)

# Control characters have no place in a content line (RFC 5545 §3.1: TSAFE-CHAR, QSAFE-CHAR).
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_RULE = re.compile(r"[A-Z0-9=;,+-]+")


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True)
class Series:
    """One recurring meeting: ``start`` is the first meeting's wall-clock time in :data:`TZID` (naive)."""

    uid: str
    sequence: int
    stamp: datetime
    start: datetime
    duration_minutes: int
    rule: str
    summary: str
    organizer: Person
    attendees: tuple[Person, ...]
    description: str = ""
    location: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): ``\\`` ``;`` ``,`` escaped, line breaks as ``\\n``, controls removed."""
    value = _LINE_BREAKS.sub("\n", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROLS.sub("", value)


def param_value(value: str) -> str:
    """A parameter value, always quoted: no control character and no double quote can end it early."""
    return '"' + _CONTROLS.sub("", value.replace("\t", " ")).replace('"', "'") + '"'


def mailto(email: str) -> str:
    """A CAL-ADDRESS: the address percent-encoded but for the characters an e-mail address usually has."""
    return "mailto:" + quote(email.strip(), safe="@.+-_~!$&'*=")


def fold(line: str) -> str:
    """The content line folded at :data:`MAX_OCTETS` octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # a continuation line starts with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form (``…Z``); a naive value is taken as UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def local_time(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def duration(minutes: int) -> str:
    """A DURATION value: ``PT1H30M``, ``PT45M``, ``PT2H``."""
    if minutes <= 0:
        raise ValueError(f"duration of {minutes} minutes")
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def _person(name: str, person: Person, extra: str = "") -> str:
    cn = f";CN={param_value(person.name)}" if person.name.strip() else ""
    return f"{name}{cn}{extra}:{mailto(person.email)}"


def calendar(series: Series, *, method: str = "REQUEST") -> str:
    """The whole file (CRLF line ends, folded lines)."""
    if not _RULE.fullmatch(series.rule):
        raise ValueError(f"not an RRULE value: {series.rule!r}")
    event = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(series.uid)}",
        f"SEQUENCE:{int(series.sequence)}",
        f"DTSTAMP:{utc_stamp(series.stamp)}",
        f"DTSTART;TZID={TZID}:{local_time(series.start)}",
        f"DURATION:{duration(series.duration_minutes)}",
        f"RRULE:{series.rule}",
        f"SUMMARY:{escape_text(series.summary)}",
    ]
    if series.description:
        event.append(f"DESCRIPTION:{escape_text(series.description)}")
    if series.location:
        event.append(f"LOCATION:{escape_text(series.location)}")
    event.append(_person("ORGANIZER", series.organizer))
    event += [
        _person("ATTENDEE", person, ";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE")
        for person in series.attendees
    ]
    event += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *VTIMEZONE,
        *event,
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)

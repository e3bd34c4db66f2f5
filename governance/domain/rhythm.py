"""When steering meetings fall: the default proposal, the series' dates and its RRULE.

Pure: dates in, dates out; "today" is an argument.

Rules
    * Cadences: ``weekly`` (every 7 days), ``fortnightly`` (every 14 days), ``monthly`` and
      ``quarterly`` (every month, every third month).
    * A monthly or quarterly series keeps the *weekday position* of its first meeting: a first
      meeting on the first Tuesday of a month recurs on the first Tuesday (``BYDAY=1TU``); the
      second, third or fourth weekday likewise; a first meeting on day 29–31 is the month's last
      such weekday and recurs on the last one (``BYDAY=-1TU``). Committees book "the first
      Tuesday", not "the 3rd", and a weekday position exists in every month (a 31st does not).
    * The proposed first meeting is the first Tuesday of a month at least
      :data:`MIN_NOTICE_DAYS` days after today: enough notice for an executive diary, and never
      more than about five weeks away.
    * The series has no end: the committee meets until it changes its rhythm.

The dates computed here and the RRULE written in the calendar file describe the same series
(``tests/unit/test_governance_rhythm.py`` expands the RRULE with a standard implementation).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

WEEKLY, FORTNIGHTLY, MONTHLY, QUARTERLY = "weekly", "fortnightly", "monthly", "quarterly"
CADENCES = (WEEKLY, FORTNIGHTLY, MONTHLY, QUARTERLY)
DEFAULT_CADENCE = MONTHLY
#: Tuesday (``date.weekday()``): the default meeting day.
DEFAULT_WEEKDAY = 1
MIN_NOTICE_DAYS = 7

_STEP_DAYS = {WEEKLY: 7, FORTNIGHTLY: 14}
_STEP_MONTHS = {MONTHLY: 1, QUARTERLY: 3}
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _check(cadence: str) -> None:
    if cadence not in CADENCES:
        raise ValueError(f"unknown cadence {cadence!r}")


def weekday_position(day: date) -> int:
    """Which of its month's weekdays ``day`` is: 1–4, or -1 for a day 29–31 (the month's last such weekday)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def nth_weekday(year: int, month: int, weekday: int, position: int) -> date:
    """The ``position``-th ``weekday`` (0 = Monday) of a month; ``position`` -1 is the last one."""
    if position == -1:
        last = calendar.monthrange(year, month)[1]
        day = date(year, month, last)
        return day - timedelta(days=(day.weekday() - weekday) % 7)
    if not 1 <= position <= 4:
        raise ValueError(f"weekday position {position} outside 1–4 and -1")
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (position - 1))


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + months
    return total // 12, total % 12 + 1


def default_first_meeting(today: date) -> date:
    """The first Tuesday of a month at least :data:`MIN_NOTICE_DAYS` days after ``today``."""
    earliest = today + timedelta(days=MIN_NOTICE_DAYS)
    year, month = earliest.year, earliest.month
    while True:
        candidate = nth_weekday(year, month, DEFAULT_WEEKDAY, 1)
        if candidate >= earliest:
            return candidate
        year, month = _add_months(year, month, 1)


def meetings(cadence: str, first: date) -> Iterator[date]:
    """Every meeting of the series, from ``first`` on (endless)."""
    _check(cadence)
    if cadence in _STEP_DAYS:
        step = timedelta(days=_STEP_DAYS[cadence])
        day = first
        while True:
            yield day
            day += step
    position, weekday = weekday_position(first), first.weekday()
    k = 0
    while True:
        year, month = _add_months(first.year, first.month, k * _STEP_MONTHS[cadence])
        yield nth_weekday(year, month, weekday, position)
        k += 1


def next_meeting(cadence: str, first: date, on_or_after: date) -> date:
    """The first meeting of the series on or after ``on_or_after``."""
    _check(cadence)
    if on_or_after <= first:
        return first
    if cadence in _STEP_DAYS:
        step = _STEP_DAYS[cadence]
        periods = -(-(on_or_after - first).days // step)  # ceiling
        return first + timedelta(days=periods * step)
    # Skip whole years of months at once, then walk: a series is a few meetings a year.
    months = _STEP_MONTHS[cadence]
    skipped = max(0, ((on_or_after.year - first.year) * 12 + on_or_after.month - first.month) // months - 1)
    position, weekday = weekday_position(first), first.weekday()
    k = skipped
    while True:
        year, month = _add_months(first.year, first.month, k * months)
        day = nth_weekday(year, month, weekday, position)
        if day >= on_or_after:
            return day
        k += 1


def meetings_between(cadence: str, first: date, start: date, end: date) -> list[date]:
    """The meetings from ``start`` to ``end``, both included."""
    found = []
    day = next_meeting(cadence, first, start)
    while day <= end:
        found.append(day)
        day = next_meeting(cadence, first, day + timedelta(days=1))
    return found


def is_meeting_day(cadence: str, first: date, day: date) -> bool:
    return day >= first and next_meeting(cadence, first, day) == day


def rrule(cadence: str, first: date) -> str:
    """The RFC 5545 RRULE value of the series starting on ``first`` (a DTSTART of the same day)."""
    _check(cadence)
    day = _ICAL_DAYS[first.weekday()]
    if cadence == WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if cadence == FORTNIGHTLY:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    interval = "" if cadence == MONTHLY else ";INTERVAL=3"
    return f"FREQ=MONTHLY{interval};BYDAY={weekday_position(first)}{day}"

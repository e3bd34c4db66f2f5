"""The steering series' dates (governance/domain/rhythm.py) and its RRULE, expanded by a standard implementation."""

from datetime import date, datetime, time, timedelta
from itertools import islice

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from governance.domain import rhythm

FIRSTS = st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31))
CADENCES = st.sampled_from(rhythm.CADENCES)


def expanded(rule: str, first: date, count: int) -> list[date]:
    """What a calendar computes from DTSTART and the RRULE (dateutil: the RFC 5545 recurrence rules)."""
    start = datetime.combine(first, time(9, 0))
    return [moment.date() for moment in islice(rrulestr(rule, dtstart=start), count)]


@pytest.mark.parametrize(
    ("cadence", "first", "rule"),
    [
        ("weekly", date(2027, 1, 5), "FREQ=WEEKLY;BYDAY=TU"),
        ("fortnightly", date(2027, 1, 5), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("monthly", date(2027, 1, 5), "FREQ=MONTHLY;BYDAY=1TU"),
        ("monthly", date(2027, 1, 21), "FREQ=MONTHLY;BYDAY=3TH"),
        ("monthly", date(2027, 3, 30), "FREQ=MONTHLY;BYDAY=-1TU"),
        ("quarterly", date(2027, 1, 5), "FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU"),
    ],
)
def test_rrule_values(cadence, first, rule):
    assert rhythm.rrule(cadence, first) == rule


def test_monthly_on_the_first_tuesday():
    first = date(2027, 1, 5)
    assert list(islice(rhythm.meetings("monthly", first), 4)) == [
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
    ]


def test_quarterly_keeps_the_weekday_position():
    assert list(islice(rhythm.meetings("quarterly", date(2027, 1, 5)), 3)) == [
        date(2027, 1, 5),
        date(2027, 4, 6),
        date(2027, 7, 6),
    ]


def test_a_last_weekday_stays_the_last():
    # 30 March 2027 is the last Tuesday of March; April's last Tuesday is the 27th, June's the 29th.
    assert list(islice(rhythm.meetings("monthly", date(2027, 3, 30)), 4)) == [
        date(2027, 3, 30),
        date(2027, 4, 27),
        date(2027, 5, 25),
        date(2027, 6, 29),
    ]


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 12, 1), date(2027, 1, 5)),  # December's first Tuesday is today: a week's notice at least
        (date(2026, 11, 20), date(2026, 12, 1)),  # eleven days ahead
        (date(2026, 11, 25), date(2027, 1, 5)),  # 1 December is six days away: too short
        (date(2026, 11, 24), date(2026, 12, 1)),  # exactly seven days
    ],
)
def test_default_first_meeting(today, first):
    assert rhythm.default_first_meeting(today) == first
    assert first.weekday() == 1 and first.day <= 7


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 1, 1)))
def test_default_first_meeting_is_a_first_tuesday_with_notice(today):
    first = rhythm.default_first_meeting(today)
    assert first.weekday() == 1 and first.day <= 7
    assert timedelta(days=7) <= first - today <= timedelta(days=7 + 35)


@given(CADENCES, FIRSTS)
def test_the_rrule_describes_the_dates_computed_here(cadence, first):
    ours = list(islice(rhythm.meetings(cadence, first), 14))
    assert expanded(rhythm.rrule(cadence, first), first, 14) == ours


@given(CADENCES, FIRSTS, st.integers(min_value=-30, max_value=800))
def test_next_meeting_is_the_first_on_or_after(cadence, first, offset):
    day = first + timedelta(days=offset)
    expected = next(d for d in rhythm.meetings(cadence, first) if d >= day)
    assert rhythm.next_meeting(cadence, first, day) == expected
    assert rhythm.is_meeting_day(cadence, first, day) == (expected == day)


def test_meetings_between():
    assert rhythm.meetings_between("weekly", date(2027, 1, 5), date(2027, 1, 1), date(2027, 1, 31)) == [
        date(2027, 1, 5),
        date(2027, 1, 12),
        date(2027, 1, 19),
        date(2027, 1, 26),
    ]
    assert rhythm.meetings_between("fortnightly", date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 19)) == [date(2027, 1, 19)]


def test_unknown_cadence_is_refused():
    with pytest.raises(ValueError, match="cadence"):
        rhythm.rrule("daily", date(2027, 1, 5))

"""cxgov.numbers: the one formatter of every output (issue #13, item 1). Half-up at every boundary."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from assessments.domain.types import round_half_up
from assessments.templatetags.cx import num, percent
from cxgov.numbers import DASH, exact, format_number, format_percent, plain_number, rounded, whole_percent
from reports.templatetags.report import num as pdf_num

places = st.integers(min_value=0, max_value=4)


def reference(value: Decimal, p: int) -> Decimal:
    """Decimal's own ROUND_HALF_UP with a context wide enough never to truncate."""
    with localcontext() as ctx:
        ctx.prec = 500
        return value.quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP)


@given(k=st.integers(min_value=-(10**30), max_value=10**30), p=places)
def test_a_tie_rounds_away_from_zero(k, p):
    # Built in a wide context: at 28 digits (the default) 10**27 + 0.5 would itself be rounded.
    with localcontext() as ctx:
        ctx.prec = 500
        tie = (Decimal(abs(k)) + Decimal("0.5")).scaleb(-p) * (1 if k >= 0 else -1)
        expected = (Decimal(abs(k)) + 1).scaleb(-p) * (1 if k >= 0 else -1)
    assert rounded(tie, p) == expected
    assert rounded(Fraction(tie), p) == expected
    assert rounded(str(tie), p) == expected


@given(k=st.integers(min_value=0, max_value=10**12), p=places)
def test_just_below_a_tie_rounds_down(k, p):
    below = (Decimal(k) + Decimal("0.4999999")).scaleb(-p)
    assert rounded(below, p) == Decimal(k).scaleb(-p)
    assert rounded(-below, p) == -Decimal(k).scaleb(-p) or k == 0


@given(value=st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e40"), max_value=Decimal("1e40")), p=places)
def test_decimals_round_as_decimal_half_up(value, p):
    result = rounded(value, p)
    assert result == reference(value, p)
    assert result.as_tuple().exponent == -p
    assert not (result.is_zero() and result.is_signed())  # never "-0,00"


@given(value=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15), p=places)
def test_a_float_is_rounded_from_the_decimal_it_was_written_from(value, p):
    assert rounded(value, p) == reference(Decimal(repr(value)), p)


@given(value=st.fractions(max_denominator=10**6).filter(lambda f: abs(f) < 10**12))
def test_fractions_round_exactly_like_the_domain(value):
    assert Fraction(rounded(value, 2)) == round_half_up(value, 2)
    assert abs(Fraction(rounded(value, 2)) - value) <= Fraction(1, 200)


@given(value=st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9, places=6), p=places)
def test_negative_values_mirror_positive_ones(value, p):
    assert rounded(-value, p) == -rounded(value, p)


@pytest.mark.parametrize(
    ("value", "places", "fr", "en"),
    [
        (68.75, 0, "69", "69"),
        (1.795, 2, "1,80", "1.80"),
        (4 - 2.205, 2, "1,80", "1.80"),  # the float 1.79499… written as 1.795
        (Fraction(359, 200), 2, "1,80", "1.80"),
        (Decimal("2.605"), 2, "2,61", "2.61"),
        (2.605, 1, "2,6", "2.6"),
        (-1.795, 2, "-1,80", "-1.80"),
        (-0.004, 2, "0,00", "0.00"),
        (0.125, 2, "0,13", "0.13"),
        (3, 2, "3,00", "3.00"),
        (None, 2, DASH, DASH),
        ("", 2, DASH, DASH),
    ],
)
def test_every_output_formats_the_same(value, places, fr, en):
    for language, expected in (("fr", fr), ("en", en)):
        with translation.override(language):
            assert format_number(value, places) == expected
            assert num(value, places) == expected  # pages
            assert pdf_num(value, places) == expected  # PDF


def test_huge_values_are_exact_and_grouped_on_request():
    huge = Decimal("123456789012345678901234567890.125")
    assert rounded(huge) == Decimal("123456789012345678901234567890.13")
    with translation.override("en"):
        assert format_number(huge) == "123456789012345678901234567890.13"
        assert format_number(1250, 0, grouping=True) == "1,250"
    with translation.override("fr"):
        assert format_number(Decimal("1250.5"), 2, grouping=True).replace("\u202f", " ").replace("\u00a0", " ") == "1 250,50"


def test_percentages_and_plain_numbers():
    assert format_percent(Decimal("0.125")) == "13" == percent(0.125)  # banker's rounding said 12
    assert format_percent(0.083) == "8" and format_percent(None) == DASH
    assert plain_number(1.795) == 1.8 and plain_number(Decimal("3.00")) == 3 and plain_number(None) is None


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN")])
def test_what_is_not_a_number_is_refused(bad):
    with pytest.raises(ValueError):
        exact(bad)


@given(whole=st.integers(min_value=1, max_value=10**6), data=st.data())
def test_whole_percentages_round_half_up_exactly(whole, data):
    part = data.draw(st.integers(min_value=0, max_value=whole))
    assert whole_percent(part, whole) == (200 * part + whole) // (2 * whole)  # integer half-up, independently


def test_whole_percentages_of_people():
    assert whole_percent(1, 8) == 13  # round() said 12 (half to even)
    assert whole_percent(2, 3) == 67  # // said 66
    assert whole_percent(0, 0) == 0 and whole_percent(5, 5) == 100

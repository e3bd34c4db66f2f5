"""The one way a figure leaves the application: rounded half-up, written in the active language.

Pages, the PDF, CSV/XLSX downloads and charts all call :func:`format_number` (or
:func:`rounded` for a spreadsheet cell that stays a number), so a figure reads the same
everywhere. PRODUCT.md: values are exact inside the domain and rounded half-up (away from zero on
a tie) only when shown or exported; French writes a decimal comma.

Which value is rounded. The domain hands out ``Fraction`` or ``Decimal`` (exact), the stored
snapshot holds ``float`` carriers of already-rounded 2-decimal figures (``68.75``, ``1.795``).
``Decimal(1.795)`` is the binary value 1.79499999…, which would round *down* to 1.79 although
everybody (and the snapshot's JSON) reads 1.795. A float is therefore read through its shortest
``repr`` — the decimal it was written from, the same reading ``assessments.domain.types.to_fraction``
uses — and everything else exactly. Rounding itself is done on integers (``Fraction``), so no
``Decimal`` context precision can truncate a huge value.

This module is part of the kernel: it imports Django but nothing from the apps.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import overload

from django.utils import formats
from django.utils.functional import Promise

DASH = "—"

Number = int | float | Decimal | Fraction | str


def exact(value: Number) -> Fraction:
    """``value`` as the exact number it stands for (a float as its shortest repr, see above)."""
    if isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(value)
    if isinstance(value, str | Promise):
        return Fraction(Decimal(str(value).strip()))
    raise TypeError(f"expected a number, got {type(value).__name__}")


@overload
def rounded(value: int | float | Decimal | Fraction, places: int = 2) -> Decimal: ...
@overload
def rounded(value: Number | None, places: int = 2) -> Decimal | None: ...
def rounded(value: Number | None, places: int = 2) -> Decimal | None:
    """``value`` rounded half-up (ties away from zero) to ``places`` decimals; ``None`` (or "") stays ``None``.

    The result carries exactly ``places`` decimals (``Decimal("1.80")``) and never a negative zero.
    """
    if value is None or value == "":
        return None
    x = exact(value)
    k = math.floor(abs(x) * 10**places + Fraction(1, 2))
    sign = "-" if x < 0 and k else ""
    # Built from a string: exact, whatever the size (arithmetic would round to the context precision).
    return Decimal(f"{sign}{k}e-{places}")


def format_number(value: Number | None, places: int = 2, *, grouping: bool = False) -> str:
    """A figure as people read it: "1,80" in French, "1.80" in English, "—" when unknown.

    ``grouping`` separates thousands (register figures); scores and percentages never need it.
    """
    result = rounded(value, places)
    if result is None:
        return DASH
    return formats.number_format(result, places, use_l10n=True, force_grouping=grouping)


def format_percent(rate: Number | None, places: int = 0) -> str:
    """A rate (0.125) as a percentage figure ("13"): the rate is scaled exactly, then rounded once."""
    if rate is None or rate == "":
        return DASH
    return format_number(exact(rate) * 100, places)


def plain_number(value: Number | None, places: int = 2) -> int | float | None:
    """A figure for a spreadsheet cell that stays a number: an ``int`` when whole, else the rounded float.

    The float carries the rounded decimal (``float(Decimal("1.80"))``), so the cell reads as written.
    """
    result = rounded(value, places)
    if result is None:
        return None
    return int(result) if result == result.to_integral_value() else float(result)


def whole_percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage, half-up (1 of 8 is 13, 2 of 3 is 67); 0 of nothing is 0.

    For shares of people shown as text and as a bar width (completion, workshop distributions):
    computed exactly, so 12.5 % never becomes 12 as Python's round() (half-to-even) or // would.
    """
    return int(rounded(Fraction(100 * part, whole), 0)) if whole else 0

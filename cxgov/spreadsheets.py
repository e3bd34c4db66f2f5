"""CSV and XLSX downloads: UTF-8 with BOM, `;` and decimal commas in French, formula injection neutralised.

Every spreadsheet the apps hand out (scores, answers, roadmap, RACI…) is written here, so each cell
is a plain value and no cell runs as a formula. This module is part of the kernel: it imports
Django but nothing from the apps.
"""

import csv
import datetime
import io
from decimal import Decimal
from fractions import Fraction

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify

from cxgov.numbers import plain_number

# A cell starting with one of these is run as a formula by spreadsheet software.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def plain(value):
    """A cell as a plain value both writers accept: None, bool, int, float, str, naive date/datetime.

    openpyxl refuses anything else (it checks exact types), so a lazy translation, a str or int
    subclass (choices, safe strings), a Decimal or Fraction, an aware datetime would raise on write:
    every value is brought back to its plain form here, once, for every download. Non-integral
    numbers are rounded half-up to 2 decimals like every shown figure (cxgov.numbers).
    """
    if value is None or type(value) in (bool, str):
        return value
    if isinstance(value, int):  # bool was returned above; IntegerChoices members become ints
        return int(value)
    if isinstance(value, float | Decimal | Fraction):
        return plain_number(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, Promise | str):
        return str.__str__(str(value))  # str.__str__ returns an exact str even for a subclass
    return str(value)


def _csv_cell(value, language: str):
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        text = str(value)
        # French spreadsheets read "2,61" as a number and "2.61" as text.
        return text.replace(".", ",") if language == "fr" else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def csv_response(filename: str, headers: list[str], rows, *, language: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel needs the byte-order mark to read UTF-8
    writer = csv.writer(buffer, delimiter=";" if language == "fr" else ",", lineterminator="\r\n")
    writer.writerow([neutralise(plain(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v, language) for v in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.csv"'
    return response


def xlsx_response(filename: str, sheets: list[tuple[str, list[str], list]]) -> HttpResponse:
    from openpyxl import Workbook  # noqa: PLC0415 — openpyxl costs ~20 MB per process: only a process that writes an .xlsx pays for it
    from openpyxl.styles import Font  # noqa: PLC0415 — openpyxl costs ~20 MB per process: only a process that writes an .xlsx pays for it

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(plain(title)[:31])
        sheet.append([neutralise(plain(h)) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise(plain(v)) for v in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename)}.xlsx"'
    return response

"""Streaming CSV import of the KPI register: period values or raw survey responses (no database here).

Two formats, told apart by their header line (PRODUCT.md, "Measurement practice"):

- period values: ``metric, period, value, n, source`` (``n`` and ``source`` may be left empty for
  the financial KPIs and the response time);
- raw survey responses: ``metric, period, score``, aggregated into counts per metric and period by
  the domain's RawResponseAggregator as the file is read, so the rows are never all in memory.

The file is read as a text stream, line by line: UTF-8 with or without a byte-order mark, ``,`` or
``;`` as separator (sniffed on the header line), a decimal comma accepted. Every row is checked;
the caller writes nothing when any row is bad, and shows each bad row's line number and reason.

The import runs inside a web request, so a file is answered quickly whatever it holds: one with
more lines than ``CXGOV_IMPORT_MAX_ROWS`` is refused before a row is parsed (its newlines are
counted, which reads 50 MB in a few hundredths of a second), and checking stops at the
``CXGOV_IMPORT_MAX_ERRORS``-th bad row, telling how many lines were left unread.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO, Literal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .domain.metrics import (
    METRICS,
    RAW_RESPONSE_METRICS,
    MetricError,
    Period,
    RawResponseAggregator,
    check_metric,
    export_round,
    parse_period,
    validate_score,
)
from .presentation import metric_error_text

VALUE_COLUMNS: tuple[str, ...] = ("metric", "period", "value", "n", "source")
RESPONSE_COLUMNS: tuple[str, ...] = ("metric", "period", "score")
# Survey metrics are only meaningful with their sample size.
SAMPLE_REQUIRED: tuple[str, ...] = RAW_RESPONSE_METRICS
SOURCE_MAX = 200
COUNT_CHUNK = 1 << 16  # bytes read at a time when counting a file's lines (64 KB: little memory, few reads)
HEADER_MAX = 4096  # characters read for the header line, whatever the file holds
VALUE_LIMIT = Decimal("1e14")  # what the register's DecimalField(16, 2) can hold
_NUMBER_RE = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", re.ASCII)

Kind = Literal["values", "responses"]


def max_errors() -> int:
    """Bad rows after which checking stops (all of them are listed): the file needs correcting anyway."""
    return settings.CXGOV_IMPORT_MAX_ERRORS


def max_rows() -> int:
    return settings.CXGOV_IMPORT_MAX_ROWS


def max_bytes() -> int:
    return settings.CXGOV_IMPORT_MAX_BYTES


class RowProblem(ValueError):
    """A problem with one cell, already worded for the user."""


def parse_number(text: str) -> Decimal:
    """A decimal number, with a point or a comma ("12.08", "12,08"); no thousands separator."""
    cleaned = text.strip()
    if not _NUMBER_RE.fullmatch(cleaned):
        raise RowProblem(metric_error_text(MetricError("not_a_number", value=text)))
    try:
        number = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise RowProblem(metric_error_text(MetricError("not_a_number", value=text))) from None
    if abs(number) >= VALUE_LIMIT:
        raise RowProblem(_("%(value)s is too large.") % {"value": text})
    return number


def parse_count(text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isascii() or not cleaned.isdigit():
        raise RowProblem(metric_error_text(MetricError("bad_count", value=text)))
    count = int(cleaned)
    if count == 0:
        raise RowProblem(metric_error_text(MetricError("empty_sample")))
    return count


def value_range(metric: str, *, ces_scale: int | None = None) -> tuple[Decimal, Decimal | None]:
    """The values a metric can take: NPS −100…100, shares 0…100, CES on its scale, the rest ≥ 0 (no upper bound: None)."""
    unit = METRICS[metric].unit
    if metric == "nps":
        return Decimal(-100), Decimal(100)
    if unit == "percent":
        return Decimal(0), Decimal(100)
    if metric == "ces":
        return Decimal(1), Decimal(ces_scale or 7)
    return Decimal(0), None


def check_value(metric: str, value: Decimal, *, ces_scale: int | None = None) -> Decimal:
    low, high = value_range(metric, ces_scale=ces_scale)
    if high is None and value < low:
        raise RowProblem(_("A %(metric)s value cannot be negative; got %(value)s.") % {"metric": metric, "value": value})
    if high is not None and not low <= value <= high:
        raise RowProblem(
            _("A %(metric)s value must be between %(low)s and %(high)s; got %(value)s.")
            % {"metric": metric, "low": low, "high": high, "value": value}
        )
    return value


def clean_metric(text: str) -> str:
    try:
        return check_metric(text.strip().lower())
    except MetricError as error:
        raise RowProblem(
            metric_error_text(MetricError("unknown_metric", value=text, expected=error.params["expected"]))
        ) from None


def clean_period(text: str) -> Period:
    try:
        return parse_period(text.strip().upper())
    except MetricError:
        raise RowProblem(metric_error_text(MetricError("bad_period", value=text))) from None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass(frozen=True)
class ValueRow:
    line: int
    metric: str
    period: Period
    value: Decimal
    n: int | None
    source: str


@dataclass
class ParsedImport:
    kind: Kind | None = None
    rows: int = 0
    values: list[ValueRow] = field(default_factory=list)
    aggregator: RawResponseAggregator | None = None
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # Set when checking stopped at the error limit: the last line read, and how many came after it
    # (None when the stream could not be counted).
    stopped_at: int | None = None
    unread_lines: int | None = None
    error_limit: int = field(default_factory=max_errors)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        self.errors.append(RowError(line, message))
        if self.error_count >= self.error_limit:
            self.stopped_at = line


def _header(line: str) -> tuple[str, list[str]]:
    delimiter = ";" if line.count(";") > line.count(",") else ","
    cells = next(csv.reader([line], delimiter=delimiter), [])
    return delimiter, [cell.strip().lstrip("\ufeff").strip().lower() for cell in cells]


def _kind_of(names: list[str]) -> Kind | None:
    if len(set(names)) != len(names):
        return None
    if {"metric", "period", "value"} <= set(names) <= set(VALUE_COLUMNS):
        return "values"
    if set(names) == set(RESPONSE_COLUMNS):
        return "responses"
    return None


def count_lines(binary: BinaryIO) -> int | None:
    """The number of lines of a seekable file (a last line without a newline counts), read back to where it was."""
    if not getattr(binary, "seekable", lambda: False)():
        return None
    start = binary.tell()
    lines, last = 0, b""
    while chunk := binary.read(COUNT_CHUNK):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    binary.seek(start)
    return lines + (1 if last and last != b"\n" else 0)


def _too_many_rows(result: ParsedImport, line: int, lines: int | None) -> None:
    limit = number_format(max_rows(), force_grouping=True)
    if lines is None:
        message = _("The file has more than %(max)s rows, the most one import takes. Split it into smaller files.") % {
            "max": limit
        }
    else:
        message = _("The file has %(lines)s lines; one import takes at most %(max)s rows. Split it into smaller files.") % {
            "lines": number_format(lines, force_grouping=True),
            "max": limit,
        }
    result.add_error(line, message)
    result.stopped_at = line


def parse_csv(binary: BinaryIO, *, ces_scale: int | None = None, fcr_window_days: int | None = None) -> ParsedImport:
    """Reads and checks the file in one streaming pass (up to a limit); the result says what to write, if anything."""
    result = ParsedImport()
    lines = count_lines(binary)
    if lines is not None and lines - 1 > max_rows():  # the header is not a row
        _too_many_rows(result, 1, lines)
        return result
    stream = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    try:
        _parse(stream, result, ces_scale=ces_scale, fcr_window_days=fcr_window_days)
    finally:
        stream.detach()  # leave the upload open for its owner
    if result.stopped_at is not None and lines is not None:  # stopped early: say how much was left unread
        result.unread_lines = max(0, lines - result.stopped_at)
    return result


def _not_utf8(result: ParsedImport, line: int) -> None:
    # Text is decoded by blocks, so the faulty byte may sit a few lines further down.
    result.add_error(line, _("The file is not UTF-8 text (from about this line). Save it as “CSV UTF-8” and import it again."))


def _parse(stream: io.TextIOWrapper, result: ParsedImport, *, ces_scale, fcr_window_days) -> None:
    try:
        header_line = stream.readline(HEADER_MAX)
    except UnicodeDecodeError:
        _not_utf8(result, 1)
        return
    if not header_line.strip():
        result.add_error(1, _("The file is empty: the first line must be the header."))
        return
    delimiter, names = _header(header_line)
    result.kind = _kind_of(names)
    if result.kind is None:
        result.add_error(
            1,
            _("The first line must be the header “%(values)s” (period values) or “%(responses)s” (raw responses); got “%(got)s”.")
            % {"values": ", ".join(VALUE_COLUMNS), "responses": ", ".join(RESPONSE_COLUMNS), "got": header_line.strip()[:200]},
        )
        return
    columns = {name: index for index, name in enumerate(names)}
    reader = csv.reader(stream, delimiter=delimiter)
    if result.kind == "responses":
        result.aggregator = RawResponseAggregator(ces_scale=ces_scale, fcr_window_days=fcr_window_days)
        handle = _response_row(result, result.aggregator, columns)
    else:
        handle = _value_row(result, columns, {}, ces_scale=ces_scale)
    limit = max_rows()
    while not result.stopped:
        line = reader.line_num + 2  # the header is line 1; a row starts on the line after the last one read
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.add_error(line, _("This line cannot be read as CSV (%(error)s).") % {"error": error})
            break
        except UnicodeDecodeError:
            _not_utf8(result, line)
            break
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are allowed anywhere
        result.rows += 1
        if result.rows > limit:  # only reached when the stream could not be counted beforehand
            _too_many_rows(result, line, None)
            break
        if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
            result.add_error(
                line,
                _("This line has %(cells)d cells; the header has %(columns)d.") % {"cells": len(cells), "columns": len(names)},
            )
            continue
        handle(line, cells)


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _response_row(result: ParsedImport, aggregator: RawResponseAggregator, columns: dict[str, int]):
    periods: dict[str, Period] = {}
    i_metric, i_period, i_score = columns["metric"], columns["period"], columns["score"]
    width = len(columns)

    def handle(line: int, cells: list[str]) -> None:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        metric, period_text, score = cells[i_metric].strip().lower(), cells[i_period], cells[i_score].strip()
        period = periods.get(period_text)
        problems = []
        if period is None:
            try:
                period = periods[period_text] = clean_period(period_text)
            except RowProblem as problem:
                problems.append(str(problem))
        if not score:
            problems.append(_("The score is missing."))
        elif period is not None:
            try:
                aggregator.feed(metric, period, score)
                return
            except MetricError as error:
                problems.append(metric_error_text(error))
        else:
            try:  # the period is bad already: still say what else is wrong with the row
                validate_score(metric, score, ces_scale=aggregator.ces_scale)
            except MetricError as error:
                problems.append(metric_error_text(error))
        result.add_error(line, " ".join(problems))

    return handle


def _value_row(result: ParsedImport, columns: dict[str, int], seen: dict[tuple[str, str], int], *, ces_scale: int | None):
    def handle(line: int, cells: list[str]) -> None:
        problems = []
        metric = period = value = n = None
        try:
            metric = clean_metric(_cell(cells, columns, "metric"))
        except RowProblem as problem:
            problems.append(str(problem))
        try:
            period = clean_period(_cell(cells, columns, "period"))
        except RowProblem as problem:
            problems.append(str(problem))
        value_text = _cell(cells, columns, "value")
        try:
            if not value_text.strip():
                raise RowProblem(_("The value is missing."))
            value = parse_number(value_text)
            if metric is not None:
                check_value(metric, value, ces_scale=ces_scale)
        except RowProblem as problem:
            problems.append(str(problem))
        n_text = _cell(cells, columns, "n")
        try:
            if n_text.strip():
                n = parse_count(n_text)
            elif metric in SAMPLE_REQUIRED:
                raise RowProblem(_("The sample size n is required for %(metric)s.") % {"metric": metric})
        except RowProblem as problem:
            problems.append(str(problem))
        source = _cell(cells, columns, "source").strip()
        if len(source) > SOURCE_MAX:
            problems.append(_("The source is longer than %(max)d characters.") % {"max": SOURCE_MAX})
        if metric is not None and period is not None:
            key = (metric, str(period))
            if key in seen:
                problems.append(
                    _("%(metric)s for %(period)s is already on line %(line)d.")
                    % {"metric": metric, "period": period, "line": seen[key]}
                )
            else:
                seen[key] = line
        if problems:
            result.add_error(line, " ".join(problems))
            return
        # Each of these is set unless its check added a problem, and there is none.
        assert metric is not None and period is not None and value is not None
        result.values.append(ValueRow(line, metric, period, export_round(value), n, source))

    return handle

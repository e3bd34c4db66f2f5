"""Writes on the KPI register: validate, run the domain, save in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .domain.metrics import (
    CesResult,
    CsatResult,
    FcrResult,
    MetricError,
    MetricResult,
    NpsResult,
    Period,
    ces_from_counts,
    csat_from_counts,
    export_round,
    fcr_from_counts,
    nps_from_counts,
)
from .imports import ParsedImport, RowError, RowProblem, check_value, parse_csv
from .models import Measurement
from .presentation import metric_error_text

COUNT_FIELDS = ("promoters", "passives", "detractors", "score_counts", "resolved", "ces_scale", "recontact_window_days")


def period_fields(period: Period) -> dict:
    """The period as stored: normalised text plus the fields it sorts by."""
    return {
        "period": str(period),
        "period_year": period.year,
        "period_kind": period.kind,
        "period_number": period.number,
        "period_first_month": period.first_month,
    }


def _score_key(score: int | Fraction) -> str:
    score = Fraction(score)
    if score.denominator == 1:
        return str(score.numerator)
    return format((Decimal(score.numerator) / Decimal(score.denominator)).normalize(), "f")


def fields_from_result(result: MetricResult) -> dict:
    """The register's fields for a survey result: its value and n, and the counts behind them."""
    fields: dict = dict.fromkeys(COUNT_FIELDS)
    fields.update(value=export_round(result.value), n=result.n)
    if isinstance(result, NpsResult):
        fields.update(promoters=result.promoters, passives=result.passives, detractors=result.detractors)
    elif isinstance(result, CsatResult):
        fields.update(score_counts={str(score): count for score, count in enumerate(result.counts, start=1)})
    elif isinstance(result, CesResult):
        fields.update(score_counts={_score_key(score): count for score, count in result.counts}, ces_scale=result.scale_max)
    elif isinstance(result, FcrResult):
        fields.update(resolved=result.resolved, recontact_window_days=result.recontact_window_days)
    return fields


@dataclass(frozen=True)
class MeasurementInput:
    """What a member typed (or a CSV row), already parsed; counts, when given, decide the value."""

    metric: str
    period: Period
    value: Decimal | None = None
    n: int | None = None
    source: str = ""
    promoters: int | None = None
    passives: int | None = None
    detractors: int | None = None
    score_counts: Mapping[str, int] | None = None
    resolved: int | None = None
    ces_scale: int | None = None
    recontact_window_days: int | None = None


def measurement_fields(data: MeasurementInput) -> dict:
    """Model fields for an input, computed by the domain; raises ValidationError worded for the user."""
    try:
        result = _result(data)
        if result is not None:
            fields = fields_from_result(result)
        else:
            if data.value is None:
                raise ValidationError(_("Give a value."))
            fields = dict.fromkeys(COUNT_FIELDS)
            fields.update(value=export_round(check_value(data.metric, data.value, ces_scale=data.ces_scale)), n=data.n)
            # A value entered without its counts still states how it was measured.
            fields.update(ces_scale=data.ces_scale if data.metric == "ces" else None)
            fields.update(recontact_window_days=data.recontact_window_days if data.metric == "fcr" else None)
    except MetricError as error:
        raise ValidationError(metric_error_text(error)) from None
    except RowProblem as problem:
        raise ValidationError(str(problem)) from None
    fields.update(source=data.source, **period_fields(data.period))
    return fields


def _result(data: MeasurementInput) -> MetricResult | None:
    if data.metric == "nps" and data.promoters is not None:
        return nps_from_counts(data.promoters, data.passives or 0, data.detractors or 0)
    if data.metric == "csat" and data.score_counts:
        return csat_from_counts({int(score): count for score, count in data.score_counts.items()})
    if data.metric == "ces" and data.score_counts:
        if data.ces_scale is None:  # the error validate_score raises for the first count
            raise MetricError("ces_scale_required")
        return ces_from_counts(dict(data.score_counts), scale=data.ces_scale)
    if data.metric == "fcr" and data.resolved is not None:
        if data.recontact_window_days is None:  # the error FcrResult raises before anything else
            raise MetricError("bad_window", value=None)
        return fcr_from_counts(data.resolved, data.n or 0, window_days=data.recontact_window_days)
    return None


@transaction.atomic
def measurement_save(*, organisation, user, data: MeasurementInput, measurement: Measurement | None = None) -> Measurement:
    """Creates a value, or updates `measurement`; one value per metric and period."""
    fields = measurement_fields(data)
    clash = Measurement.objects.filter(organisation=organisation, metric=data.metric, period=fields["period"])
    if measurement is not None:
        clash = clash.exclude(pk=measurement.pk)
    if clash.exists():
        raise ValidationError(
            _("There is already a %(metric)s value for %(period)s: edit that one instead.")
            % {"metric": data.metric, "period": fields["period"]}
        )
    if measurement is None:
        measurement = Measurement(organisation=organisation, metric=data.metric)
    measurement.metric = data.metric
    for name, value in fields.items():
        setattr(measurement, name, value)
    measurement.updated_by = user
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:  # the same value was created meanwhile (two people, one period)
        raise ValidationError(
            _("There is already a %(metric)s value for %(period)s: edit that one instead.")
            % {"metric": data.metric, "period": fields["period"]}
        ) from None
    return measurement


def measurement_delete(*, measurement: Measurement) -> None:
    measurement.delete()


@dataclass(frozen=True)
class ImportOutcome:
    kind: str | None
    rows: int
    created: int
    updated: int
    errors: list[RowError]
    error_count: int
    # Checking stopped at a limit (too many rows or bad rows): the line it stopped on, and the lines left unread.
    stopped_at: int | None = None
    unread_lines: int | None = None

    @property
    def imported(self) -> bool:
        return self.error_count == 0


def _upsert(organisation, user, metric: str, fields: dict, existing: dict) -> bool:
    """Writes one (metric, period); True when it was new."""
    current = existing.get((metric, fields["period"]))
    if current is None:
        Measurement.objects.create(organisation=organisation, metric=metric, updated_by=user, **fields)
        return True
    for name, value in fields.items():
        setattr(current, name, value)
    current.updated_by = user
    current.save()
    return False


def measurement_import(
    *, organisation, user, file: BinaryIO, source: str = "", ces_scale: int | None = None, fcr_window_days: int | None = None
) -> ImportOutcome:
    """Imports a CSV of period values or raw responses: all rows, or none when any row is bad.

    A (metric, period) already in the register is replaced: re-importing a file gives the same
    register. Raw responses are counted per metric and period while the file streams by; only
    those counts are written, with `source` as their source.
    """
    parsed: ParsedImport = parse_csv(file, ces_scale=ces_scale, fcr_window_days=fcr_window_days)
    if not parsed.ok:
        return ImportOutcome(
            parsed.kind, parsed.rows, 0, 0, parsed.errors, parsed.error_count, parsed.stopped_at, parsed.unread_lines
        )
    if parsed.aggregator is not None:  # set exactly when the file holds raw responses (kind "responses")
        writes = [
            (metric, {**fields_from_result(result), "source": source, **period_fields(period)})
            for (metric, period), result in parsed.aggregator.results().items()
        ]
    else:
        writes = []
        for row in parsed.values:
            fields = dict.fromkeys(COUNT_FIELDS)
            fields.update(value=row.value, n=row.n, source=row.source, **period_fields(row.period))
            if row.metric == "ces":
                fields["ces_scale"] = ces_scale
            if row.metric == "fcr":
                fields["recontact_window_days"] = fcr_window_days
            writes.append((row.metric, fields))
    created = updated = 0
    with transaction.atomic():
        existing = {
            (m.metric, m.period): m
            for m in Measurement.objects.select_for_update().filter(
                organisation=organisation, metric__in={metric for metric, _fields in writes}
            )
        }
        for metric, fields in writes:
            if _upsert(organisation, user, metric, fields, existing):
                created += 1
            else:
                updated += 1
    return ImportOutcome(parsed.kind, parsed.rows, created, updated, [], 0)

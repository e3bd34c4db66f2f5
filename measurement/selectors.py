"""Reads of the KPI register, scoped to an organisation the caller reached through `membership_get`.

Rows become domain inputs here; every statistic (margins, intervals, the noise rule) is the
domain's, recomputed from the stored counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal, cast

from django.db.models import QuerySet
from django.http import Http404

from organisations.models import Organisation

from .domain.metrics import (
    ALL_METRICS,
    CX_METRICS,
    FINANCIAL_METRICS,
    KPI_TREE,
    CesResult,
    CsatResult,
    FcrResult,
    MetricError,
    NpsResult,
    Period,
    Proportion,
    ces_from_counts,
    change_is_noise,
    csat_from_counts,
    export_round,
    fcr_from_counts,
    nps_from_counts,
    previous_period,
)
from .models import Measurement

Estimate = NpsResult | CsatResult | CesResult | FcrResult | Proportion


def measurements_list(*, organisation: Organisation) -> QuerySet[Measurement]:
    return Measurement.objects.filter(organisation=organisation).order_by(
        "metric", "period_year", "period_first_month", "-period_kind"
    )


def measurement_get(*, organisation: Organisation, measurement_id: int) -> Measurement:
    try:
        return Measurement.objects.get(organisation=organisation, pk=measurement_id)
    except Measurement.DoesNotExist:
        raise Http404 from None


def period_of(measurement: Measurement) -> Period:
    # The column's choices are PeriodKind's two values, and Period checks the kind again on creation.
    kind = cast(Literal["month", "quarter"], measurement.period_kind)
    return Period(measurement.period_year, kind, measurement.period_number)


def estimate_of(measurement: Measurement) -> Estimate | None:
    """The domain estimate behind a stored value, when there is enough to know its sampling error.

    Counts give the exact estimate. A CSAT or FCR share entered with its sample size stands for
    round(value × n / 100) successes out of n; an NPS or a CES entered as a bare value has no
    known error (its counts are needed), nor has any financial KPI.
    """
    m = measurement
    try:
        if m.metric == "nps" and m.promoters is not None:
            return nps_from_counts(m.promoters, m.passives or 0, m.detractors or 0)
        if m.metric == "csat" and m.score_counts:
            return csat_from_counts({int(score): count for score, count in m.score_counts.items()})
        if m.metric == "ces" and m.score_counts and m.ces_scale:
            return ces_from_counts(dict(m.score_counts), scale=m.ces_scale)
        if m.metric == "fcr" and m.resolved is not None and m.n:
            if m.recontact_window_days:
                return fcr_from_counts(m.resolved, m.n, window_days=m.recontact_window_days)
            return Proportion(m.resolved, m.n)
        if m.metric in ("csat", "fcr") and m.n:
            successes = int((m.value * m.n / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            return Proportion(min(max(successes, 0), m.n), m.n)
    except MetricError:
        return None
    return None


@dataclass(frozen=True)
class Row:
    """One register value with its statistics, ready for a page, a chart or an export."""

    measurement: Measurement
    period: Period
    estimate: Estimate | None
    previous: Row | None = None
    noise: bool | None = None  # change vs previous within sampling error; None when unknown

    @property
    def metric(self) -> str:
        return self.measurement.metric

    @property
    def value(self) -> Decimal:
        return self.measurement.value

    @property
    def n(self) -> int | None:
        return self.measurement.n

    @property
    def source(self) -> str:
        return self.measurement.source

    @property
    def margin(self) -> Decimal | None:
        """Half-width of the 95 % interval (NPS, CES); shares show their Wilson interval instead."""
        e = self.estimate
        if isinstance(e, NpsResult | CesResult):
            return export_round(e.margin_of_error)
        return None

    @property
    def ci_low(self) -> Decimal | None:
        e = self.estimate
        if isinstance(e, NpsResult):
            return export_round(e.value - Fraction(e.margin_of_error))
        if isinstance(e, CsatResult):
            return export_round(e.top_2_box.ci_low)
        if isinstance(e, CesResult | FcrResult | Proportion):
            return export_round(e.ci_low)
        return None

    @property
    def ci_high(self) -> Decimal | None:
        e = self.estimate
        if isinstance(e, NpsResult):
            return export_round(e.value + Fraction(e.margin_of_error))
        if isinstance(e, CsatResult):
            return export_round(e.top_2_box.ci_high)
        if isinstance(e, CesResult | FcrResult | Proportion):
            return export_round(e.ci_high)
        return None

    @property
    def top_box(self) -> Decimal | None:
        return export_round(self.estimate.top_box.value) if isinstance(self.estimate, CsatResult) else None

    @property
    def delta(self) -> Decimal | None:
        return None if self.previous is None else self.value - self.previous.value

    @property
    def from_counts(self) -> bool:
        return isinstance(self.estimate, NpsResult | CsatResult | CesResult | FcrResult)


def _noise(current: Measurement, estimate: Estimate | None, previous: Row) -> bool | None:
    """The domain's noise rule, when both periods have a known sampling error on the same footing."""
    if estimate is None or previous.estimate is None:
        return None
    before = previous.measurement
    if current.ces_scale != before.ces_scale or current.recontact_window_days != before.recontact_window_days:
        return None  # a 1–5 mean is not comparable with a 1–7 one, nor FCR over different windows
    try:
        return change_is_noise(estimate, previous.estimate)
    except MetricError:  # a CES of a single answer has no standard error
        return None


def rows_for(measurements) -> dict[str, list[Row]]:
    """Rows per metric, chronological, each linked to the previous period of the same kind."""
    by_metric: dict[str, list[Measurement]] = defaultdict(list)
    for m in measurements:
        by_metric[m.metric].append(m)
    rows: dict[str, list[Row]] = {}
    for metric in ALL_METRICS:
        items = sorted(by_metric.get(metric, []), key=lambda m: period_of(m).sort_key())
        if not items:
            continue
        built: dict[Period, Row] = {}
        periods = [period_of(m) for m in items]
        for m, period in zip(items, periods, strict=True):
            estimate = estimate_of(m)
            before = previous_period(period, periods)
            previous = built.get(before) if before is not None else None
            noise = _noise(m, estimate, previous) if previous is not None else None
            built[period] = Row(m, period, estimate, previous, noise)
        rows[metric] = [built[p] for p in periods]
    return rows


def register(*, organisation: Organisation) -> dict[str, list[Row]]:
    """Every value of the organisation, per metric (CX first, then financial), with statistics."""
    return rows_for(measurements_list(organisation=organisation))


@dataclass(frozen=True)
class GridLine:
    metric: str
    cells: list[Row | None]  # one per period of the grid, None where there is no value
    sources: list[str]  # distinct sources of the cells shown, in order of appearance
    older: int  # values of this metric and kind before the grid's first period


@dataclass(frozen=True)
class Grid:
    """The register for one kind of period: metrics down, the latest periods across."""

    kind: str
    periods: list[Period]
    groups: list[tuple[str, list[GridLine]]]  # ("cx" | "financial", lines of the metrics that have values)


def register_grids(rows: dict[str, list[Row]], *, max_periods: int = 6) -> list[Grid]:
    """Quarters first, then months; each grid shows its latest `max_periods` periods."""
    grids = []
    for kind in ("quarter", "month"):
        periods = sorted({r.period for metric_rows in rows.values() for r in metric_rows if r.period.kind == kind})[-max_periods:]
        if not periods:
            continue
        groups = []
        for group, metrics in metric_groups():
            lines = []
            for metric in metrics:
                by_period = {r.period: r for r in rows.get(metric, []) if r.period.kind == kind}
                if not by_period:
                    continue
                cells = [by_period.get(p) for p in periods]
                sources = list(dict.fromkeys(c.source for c in cells if c is not None and c.source))
                lines.append(GridLine(metric, cells, sources, sum(1 for p in by_period if p < periods[0])))
            if lines:
                groups.append((group, lines))
        grids.append(Grid(kind, periods, groups))
    return grids


def metric_rows(*, organisation: Organisation, metric: str) -> list[Row]:
    if metric not in ALL_METRICS:
        raise Http404
    return rows_for(measurements_list(organisation=organisation).filter(metric=metric)).get(metric, [])


def latest(rows: list[Row]) -> Row | None:
    """The most recent value: the period that ends last (a month beats the quarter it closes)."""
    if not rows:
        return None
    return max(rows, key=lambda r: (r.period.year, r.period.last_month, r.period.kind == "month"))


@dataclass(frozen=True)
class TreeBranch:
    cx: str
    cx_latest: Row | None
    drives: list[tuple[str, Row | None]]


def kpi_tree(*, organisation: Organisation) -> list[TreeBranch]:
    """The CX-to-finance tree of PRODUCT.md with the latest value of each metric, where known."""
    rows = register(organisation=organisation)
    return [
        TreeBranch(cx, latest(rows.get(cx, [])), [(kpi, latest(rows.get(kpi, []))) for kpi in drives])
        for cx, drives in KPI_TREE.items()
    ]


def metric_groups() -> list[tuple[str, tuple[str, ...]]]:
    return [("cx", CX_METRICS), ("financial", FINANCIAL_METRICS)]


EXPORT_KEYS = {
    "nps": ("margin_of_error", "promoters", "passives", "detractors"),
    "csat": ("top_box", "ci_low", "ci_high"),
    "ces": ("margin_of_error", "ci_low", "ci_high", "scale_min", "scale_max"),
    "fcr": ("ci_low", "ci_high", "recontact_window_days"),
}


def measurements_export(*, organisation: Organisation, until: date | None = None) -> list[dict]:
    """The `measurements` list of EXPORTS.md (every period that started by `until`, when given).

    Numbers are Decimals rounded half-up to 2 places (the caller writes them as JSON numbers);
    `noise_vs_previous` is null when either period lacks a known sampling error.
    """
    out = []
    for metric, rows in register(organisation=organisation).items():
        for row in rows:
            if until is not None and date(row.period.year, row.period.first_month, 1) > until:
                continue
            item: dict = {"metric": metric, "period": str(row.period), "value": row.value, "n": row.n}
            estimate = row.estimate
            if isinstance(estimate, NpsResult | CsatResult | CesResult | FcrResult):
                item.update(estimate.export_fields())
                item["value"] = row.value
            elif isinstance(estimate, Proportion):
                item.update(ci_low=export_round(estimate.ci_low), ci_high=export_round(estimate.ci_high))
            if metric == "ces" and row.measurement.ces_scale:
                item.setdefault("scale_min", 1)
                item.setdefault("scale_max", row.measurement.ces_scale)
            if metric == "fcr" and row.measurement.recontact_window_days:
                item.setdefault("recontact_window_days", row.measurement.recontact_window_days)
            for key in EXPORT_KEYS.get(metric, ()):  # a survey figure always carries its keys; unknown is null
                item.setdefault(key, None)
            item["noise_vs_previous"] = row.noise
            item["source"] = row.source
            out.append(item)
    return out

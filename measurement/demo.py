"""The KPI register of `seed_demo`: four quarters of Demo Retail's CX metrics and financial KPIs.

A retailer whose NPS climbed out of negative territory after a bad Christmas quarter, then
plateaued: 2025-Q4 → 2026-Q1 is a real change, 2026-Q2 → 2026-Q3 is within the noise (the
2026-Q3 survey is the example of EXPORTS.md: 86 / 97 / 57 → 12.08 ± 9.65).
"""

from decimal import Decimal

from django.db import transaction

from .domain.metrics import parse_period
from .models import Measurement
from .services import MeasurementInput, measurement_fields

QUARTERS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")

SURVEY = "Enquête post-achat (magasins et e-commerce)"
CONTACT_SURVEY = "Enquête après contact — service client"
CONTACT_CENTRE = "Centre de contacts — outil de ticketing"
FINANCE = "Contrôle de gestion — reporting trimestriel"
LOYALTY = "Base fidélité — programme Carte+"

NPS = {  # promoters, passives, detractors
    "2025-Q4": (55, 90, 95),
    "2026-Q1": (72, 100, 58),
    "2026-Q2": (80, 95, 55),
    "2026-Q3": (86, 97, 57),
}
CSAT = {  # answers scoring 1..5
    "2025-Q4": (22, 38, 60, 170, 110),
    "2026-Q1": (18, 30, 52, 180, 120),
    "2026-Q2": (15, 25, 50, 178, 132),
    "2026-Q3": (12, 24, 38, 158, 168),
}
CES = {  # answers scoring 1..7 ("the company made it easy to handle my request")
    "2025-Q4": (10, 18, 30, 55, 80, 70, 37),
    "2026-Q1": (9, 16, 28, 52, 82, 75, 38),
    "2026-Q2": (8, 14, 25, 50, 84, 78, 41),
    "2026-Q3": (6, 12, 22, 48, 86, 82, 44),
}
FCR = {  # resolved at first contact (no re-contact within 7 days), contacts
    "2025-Q4": (1240, 1800),
    "2026-Q1": (1290, 1820),
    "2026-Q2": (1350, 1850),
    "2026-Q3": (1410, 1870),
}
FCR_WINDOW_DAYS = 7

VALUES = {  # metric: (source, n, values per quarter)
    "response_time": (CONTACT_CENTRE, None, ("95", "88", "80", "72")),
    "retention_rate": (LOYALTY, None, ("74.2", "74.8", "75.9", "76.4")),
    "churn_rate": (LOYALTY, None, ("7.1", "6.8", "6.4", "6.1")),
    "repeat_purchase_rate": (LOYALTY, None, ("41.5", "42.3", "43.8", "44.6")),
    "renewal_rate": (LOYALTY, None, ("68.0", "69.5", "70.2", "71.8")),
    "cost_per_contact": (FINANCE, None, ("6.85", "6.70", "6.42", "6.10")),
    "cost_to_serve": (FINANCE, None, ("14.20", "13.95", "13.60", "13.10")),
    "revenue_per_customer": (FINANCE, None, ("312.40", "298.10", "305.70", "321.90")),
    "referral_revenue": (FINANCE, None, ("1850000", "1920000", "2080000", "2140000")),
}


def _inputs():
    for quarter in QUARTERS:
        period = parse_period(quarter)
        promoters, passives, detractors = NPS[quarter]
        yield MeasurementInput(
            metric="nps", period=period, source=SURVEY, promoters=promoters, passives=passives, detractors=detractors
        )
        yield MeasurementInput(
            metric="csat", period=period, source=SURVEY, score_counts={str(s): c for s, c in enumerate(CSAT[quarter], start=1)}
        )
        yield MeasurementInput(
            metric="ces",
            period=period,
            source=CONTACT_SURVEY,
            ces_scale=7,
            score_counts={str(s): c for s, c in enumerate(CES[quarter], start=1)},
        )
        resolved, contacts = FCR[quarter]
        yield MeasurementInput(
            metric="fcr",
            period=period,
            source=CONTACT_CENTRE,
            resolved=resolved,
            n=contacts,
            recontact_window_days=FCR_WINDOW_DAYS,
        )
    for metric, (source, n, values) in VALUES.items():
        for quarter, value in zip(QUARTERS, values, strict=True):
            yield MeasurementInput(metric=metric, period=parse_period(quarter), value=Decimal(value), n=n, source=source)


@transaction.atomic
def seed_demo_measurements(organisation) -> int:
    """Creates or refreshes Demo Retail's register (idempotent); returns the number of values."""
    count = 0
    for data in _inputs():
        fields = measurement_fields(data)
        Measurement.objects.update_or_create(
            organisation=organisation, metric=data.metric, period=fields.pop("period"), defaults=fields
        )
        count += 1
    return count

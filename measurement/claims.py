"""Claims against evidence for a round (issue #18): what the committee claims, what the KPI register supports.

Reads only. The rules are the round's framework's (``evidence_rules.rules_for``), the facts are its
organisation's register in the window that ends with the round's close (this month while it is
open), and the claimed levels come from the results snapshot: each question's score *before any
cap*, i.e. the agreed level, else the mean of the answers, rounded half-up to a level by the domain
(``measurement/domain/claims.py``). So a round that caps by evidence still shows what the
committee claimed, and the cap is the supported level.

Three readers: :func:`evidence_caps` (registered with ``assessments.score_caps``, for "cap by
evidence"), :func:`round_claims` (the results page, the workshop and the PDF, with texts in the
active language) and :func:`claims_export` (``export_assessment``'s ``claims``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils import timezone

from assessments.domain.snapshot import QuestionResult, Results
from cxgov.language import active_language
from organisations.models import Organisation

from .domain.claims import Claim, ClaimedQuestion, ClaimsReport, MetricFacts, Observation, assess, caps, facts_from
from .evidence_rules import LoadedRules, rules_for
from .presentation import metric_label
from .selectors import Row, register


def reference_month(round_) -> tuple[int, int]:
    """The month the window ends with: the round's close (local time), this month while it is not closed."""
    day = timezone.localtime(round_.closed_at).date() if round_.closed_at else timezone.localdate()
    return day.year, day.month


def _has_sample(row: Row) -> bool:
    # A sample size typed with the value, or the counts behind it (NPS, CSAT, CES, FCR).
    return bool(row.n) or row.estimate is not None


def observations(rows: dict[str, list[Row]]) -> list[Observation]:
    """The register's rows as the domain reads them: period, sample size, change and the noise rule's verdict."""
    return [
        Observation(
            metric=metric,
            period=row.period,
            sample_size=_has_sample(row),
            delta=None if row.delta is None else Fraction(row.delta),
            noise=row.noise,
        )
        for metric, metric_rows in rows.items()
        for row in metric_rows
    ]


def register_facts(*, organisation: Organisation, year: int, month: int, months: int) -> dict[str, MetricFacts]:
    """What the organisation's KPI register holds, per metric, in the ``months`` months ending with ``year``-``month``."""
    return facts_from(observations(register(organisation=organisation)), year=year, month=month, months=months)


def round_facts(round_, rules: LoadedRules) -> dict[str, MetricFacts]:
    year, month = reference_month(round_)
    return register_facts(organisation=round_.organisation, year=year, month=month, months=rules.rules.window_months)


def evidence_caps(round_) -> dict[str, int]:
    """Question key → the level the register supports, for the questions with a rule (``assessments.score_caps``)."""
    rules = rules_for(round_.framework)
    if rules is None:
        return {}
    return caps(rules.rules, round_facts(round_, rules))


def claimed_score(question: QuestionResult) -> Fraction | None:
    """The question's score before any cap: the agreed level, else the mean as stored (2 decimals)."""
    if question.consensus_level is not None:
        return Fraction(question.consensus_level)
    return None if question.mean is None else Fraction(str(question.mean))


def claimed_questions(results: Results) -> list[ClaimedQuestion]:
    return [
        ClaimedQuestion(key=q.key, dimension=q.dimension, score=claimed_score(q), weight=Fraction(str(q.weight)))
        for q in results.questions
    ]


def assess_round(round_, results: Results) -> tuple[LoadedRules, ClaimsReport] | None:
    """The domain's comparison for the round, or None when its framework has no evidence rules."""
    rules = rules_for(round_.framework)
    if rules is None:
        return None
    return rules, assess(claimed_questions(results), rules.rules, round_facts(round_, rules))


# --------------------------------------------------------------------------- for people


@dataclass(frozen=True)
class ClaimView:
    """A claim with what people read: the missing requirements explained, the KPIs that fell named."""

    claim: Claim
    missing_texts: tuple[str, ...]
    falling_labels: tuple[str, ...]
    capped: bool  # the round caps by evidence: the question's score is at most ``supported``

    def as_data(self) -> dict[str, Any]:
        """Plain data (the PDF's ReportData)."""
        c = self.claim
        return {
            "question": c.question,
            "dimension": c.dimension,
            "claimed": c.claimed,
            "supported": c.supported,
            "over_claimed": c.over_claimed,
            "optimistic": c.optimistic,
            "missing": list(self.missing_texts),
            "falling": list(self.falling_labels),
        }


@dataclass(frozen=True)
class RoundClaims:
    claims: tuple[ClaimView, ...]
    capped: bool  # the round caps by evidence
    window_months: int  # how far back from the close the register counts

    def for_question(self, key: str) -> ClaimView | None:
        return next((c for c in self.claims if c.claim.question == key), None)

    @property
    def flagged(self) -> tuple[ClaimView, ...]:
        """Flagged claims, the widest over-claim first (then framework order)."""
        flagged = [c for c in self.claims if c.claim.flags]
        return tuple(sorted(flagged, key=lambda c: c.claim.supported - c.claim.claimed))


def round_claims(round_, results: Results | None = None, *, language: str | None = None) -> RoundClaims | None:
    """Every claim of the round with its texts in ``language`` (the active one by default); None without
    rules for its framework or without results."""
    if results is None:
        snapshot = getattr(round_, "snapshot", None)
        if snapshot is None:
            return None
        results = snapshot.results
    assessed = assess_round(round_, results)
    if assessed is None:
        return None
    rules, report = assessed
    language = language or active_language()
    views = tuple(
        ClaimView(
            claim=c,
            missing_texts=tuple(rules.explanation(key, language) for key in c.missing),
            falling_labels=tuple(metric_label(m) for m in c.falling),
            capped=round_.cap_by_evidence,
        )
        for c in report.claims
    )
    return RoundClaims(views, round_.cap_by_evidence, rules.rules.window_months)


def claims_export(round_, results: Results) -> list[dict[str, Any]]:
    """The ``claims`` list of ``export_assessment`` (docs/exports.md): keys only, no text."""
    assessed = assess_round(round_, results)
    if assessed is None:
        return []
    return [_exported(c) for c in assessed[1].claims]


def _exported(c: Claim) -> dict[str, Any]:
    return {
        "question": c.question,
        "dimension": c.dimension,
        "claimed": c.claimed,
        "supported": c.supported,
        "flags": list(c.flags),
        "missing": list(c.missing),
        "falling": list(c.falling),
    }

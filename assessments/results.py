"""Builds a round's results (scores, alignment, distributions) from its answers, through the pure domain."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cxgov.numbers import format_number, whole_percent

from . import charts, score_caps
from .domain.alignment import align_round
from .domain.answers import committee_importance
from .domain.ownership import DONT_KNOW, NOBODY, OwnershipRow, Respondent, contested_first, ownership_map
from .domain.sample import SampleCheck, SampleRule, check_sample, respondents_by_dimension
from .domain.scoring import score_round
from .domain.snapshot import (
    LEVEL_KEYS,
    AlignmentResult,
    DimensionResult,
    OwnershipResult,
    PerceptionGapResult,
    QuestionResult,
    Results,
    answer_details,
)
from .domain.types import Answer as DomainAnswer
from .domain.types import DimensionSpec, FrameworkSpec, QuestionSpec
from .models import Answer, Consensus, DimensionImportance, Function, RaciAnswer, RaciLetter, Round
from .raci_catalogue import Catalogue, catalogue_for

#: The framework schema whose rounds carry the answer details ("not applicable", confidence, importance).
DETAILS_SCHEMA = "cxgov.framework/2"


def framework_spec(framework, keys: Collection[str] | None = None) -> FrameworkSpec:
    """The framework as the domain scores it; with `keys` (a short-form round), only those questions.

    A dimension keeps its place and weight with fewer questions: a short form is mapped to the full
    dimensions, on the same scale (issue #16).
    """
    dimensions = list(framework.dimensions.order_by("position"))
    questions: dict[int, list] = defaultdict(list)
    # Plain values: model rows deferred with .only() each loaded their framework_id again (a query per question).
    rows = framework.questions.order_by("position")
    if keys is not None:
        rows = rows.filter(key__in=keys)
    for dimension_id, key, weight in rows.values_list("dimension_id", "key", "weight"):
        questions[dimension_id].append(QuestionSpec(key=key, weight=weight))
    return FrameworkSpec(
        dimensions=tuple(DimensionSpec(key=d.key, weight=d.weight, questions=tuple(questions[d.pk])) for d in dimensions)
    )


def counted_answers(round_: Round):
    """(participant id, function, question key, level) of every answer that counts: not withdrawn."""
    return list(
        Answer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True).values_list(
            "participant_id", "participant__function", "question__key", "level"
        )
    )


def _domain_answers(round_: Round) -> list[DomainAnswer]:
    """The answers that count, with "not applicable" and confidence, as the domain scores them.

    A "not applicable" answer has no level too: passed as a plain null level it would count as a
    don't-know, which is what question bank 2.0 rules out (assessments/domain/scoring.py).
    """
    rows = Answer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True).values_list(
        "participant_id", "question__key", "level", "not_applicable", "confidence"
    )
    return [
        DomainAnswer(participant_id=pid, question_key=key, level=level, not_applicable=na, confidence=confidence)
        for pid, key, level, na, confidence in rows
    ]


def committee_importances(round_: Round) -> dict[str, Fraction | None]:
    """Dimension key → the committee's importance (mean of the 1–3 values the counted participants gave, None without)."""
    given: dict[str, list[int]] = {d.key: [] for d in round_.framework.dimensions.all()}
    values = DimensionImportance.objects.filter(
        participant__round=round_, participant__withdrawn_at__isnull=True, importance__isnull=False
    ).values_list("dimension__key", "importance")
    for key, value in values:
        if value is not None:  # filtered above; the column itself is nullable ("not said")
            given.setdefault(key, []).append(value)
    return {key: committee_importance(values) for key, values in given.items()}


def ownership_rows(round_: Round, *, anonymous: bool | None = None) -> tuple[OwnershipRow, ...]:
    """The ownership map of the round's as-is RACI answers that count (assessments/domain/ownership.py).

    Over the activities and roles of the round's catalogue (raci_catalogue.catalogue_for), in two
    queries whatever the number of respondents. ``anonymous`` defaults to the round's; the
    workshop passes True so that no function ever comes out, whatever the round.
    """
    catalogue = catalogue_for(round_)
    counted = {"participant__round": round_, "participant__withdrawn_at__isnull": True}
    people: dict[int, tuple[str | None, dict[str, str], dict[str, dict[str, str]]]] = {}
    for pid, function, activity, choice in RaciAnswer.objects.filter(**counted).values_list(
        "participant_id", "participant__function", "activity__key", "choice"
    ):
        people.setdefault(pid, (function or None, {}, {}))[1][activity] = choice
    for pid, function, activity, role, letter in RaciLetter.objects.filter(**counted).values_list(
        "participant_id", "participant__function", "activity__key", "role", "letter"
    ):
        people.setdefault(pid, (function or None, {}, {}))[2].setdefault(activity, {})[role] = letter
    return ownership_map(
        (Respondent(function=f, accountable=a, letters=letters) for f, a, letters in people.values()),
        [a.key for a in catalogue.activities],
        [r.key for r in catalogue.roles],
        round_.anonymous if anonymous is None else anonymous,
    )


def compute_results(round_: Round) -> dict:
    """The results of the round as JSON-ready data (EXPORTS.md's `scores` and `alignment`, plus distributions).

    On a schema-2 framework the rows also carry the answer details ("not applicable" counts,
    confidence, the committee's importance: snapshot.answer_details), and the document the
    ownership map of the as-is RACI (``ownership``); a 1.0 round's document has none of them, so
    it stays what it always was.
    """
    spec = framework_spec(round_.framework, round_.question_keys)
    rows = counted_answers(round_)
    answers = _domain_answers(round_)
    functions = {pid: function for pid, function, _k, _l in rows}
    consensus = {c.question.key: c for c in Consensus.objects.filter(round=round_).select_related("question")}
    scores = score_round(spec, answers, {key: c.level for key, c in consensus.items()}, score_caps.caps_for(round_))
    alignment = align_round(spec, answers, functions, round_.anonymous)
    exported = scores.as_export()
    for row in exported["questions"]:
        entry = consensus.get(row["key"])
        row["consensus_rationale"] = entry.rationale if entry else None
    if round_.framework.schema == DETAILS_SCHEMA:
        answer_details(exported, scores.questions, scores.dimensions, committee_importances(round_))
    distributions: dict[str, dict[str, int]] = {q.key: dict.fromkeys(LEVEL_KEYS, 0) for d in spec.dimensions for q in d.questions}
    for answer in answers:
        # A "not applicable" answer is no level and no don't-know: it is counted in the scores only.
        if answer.question_key in distributions and not answer.not_applicable:
            distributions[answer.question_key]["dk" if answer.level is None else str(answer.level)] += 1
    participants = round_.participants.filter(withdrawn_at__isnull=True)
    counted, submitted = participants.count(), participants.filter(submitted_at__isnull=False).count()
    schema_2 = round_.framework.schema == DETAILS_SCHEMA
    return {
        "scores": exported,
        "alignment": alignment.as_export(),
        **({"ownership": {"activities": [row.as_export() for row in ownership_rows(round_)]}} if schema_2 else {}),
        "distributions": distributions,
        "participants": {"counted": counted, "submitted": submitted},
        # Stored with the results so a delivered report says, forever, on how few answers it rests.
        "sample": sample_check(round_, spec, rows, invited=counted, submitted=submitted).as_export(),
        "computed_at": timezone.now().isoformat(),
    }


def sample_check(round_: Round, spec: FrameworkSpec | None = None, rows=None, *, invited=None, submitted=None) -> SampleCheck:
    """The minimum response rule on the round's answers that count (assessments/domain/sample.py)."""
    spec = spec or framework_spec(round_.framework, round_.question_keys)
    rows = counted_answers(round_) if rows is None else rows
    if invited is None or submitted is None:
        participants = round_.participants.filter(withdrawn_at__isnull=True)
        invited, submitted = participants.count(), participants.filter(submitted_at__isnull=False).count()
    dimension_of = {q.key: d.key for d in spec.dimensions for q in d.questions}
    respondents = respondents_by_dimension(
        dimension_of, [d.key for d in spec.dimensions], ((pid, key) for pid, _f, key, _l in rows)
    )
    rule = SampleRule.from_percent(round_.min_respondents, round_.min_response_percent)
    return check_sample(rule, invited=invited, submitted=submitted, respondents=respondents)


def low_sample(results: Results | None) -> dict | None:
    """The low-sample caveat every output carries (pages, share page, PDF, CSV/XLSX), or None above the rule.

    Read from the snapshot, so a delivered report says the same thing forever. ``text`` names the
    counts: participants invited and submitted, what each dimension needs, the dimensions below it.
    A snapshot stored before the rule existed has no ``sample``: no caveat, as then.
    """

    sample = results.sample if results is not None else None
    if sample is None or not sample.low:
        return None
    short = sample.short
    figures = {
        "invited": sample.invited,
        "submitted": sample.submitted,
        "required": sample.required,
        "min_respondents": sample.min_respondents,
        "min_percent": sample.min_percent,
    }
    counts = _("%(submitted)s of the %(invited)s invited participants submitted their answers.") % figures
    need = (
        ngettext(
            "Each dimension needs at least %(required)s respondent (at least %(min_respondents)s people and %(min_percent)s %% of those invited).",
            "Each dimension needs at least %(required)s respondents (at least %(min_respondents)s people and %(min_percent)s %% of those invited).",
            sample.required,
        )
        % figures
    )
    below = ", ".join(
        ngettext("%(key)s: %(n)s respondent", "%(key)s: %(n)s respondents", d.respondents) % {"key": d.key, "n": d.respondents}
        for d in short
    )
    parts = [counts, need]
    if below:
        parts.append(_("Below that: %(dimensions)s.") % {"dimensions": below})
    return {
        "title": _("Low sample: these results rest on too few answers to be read with confidence."),
        "text": " ".join(parts),
        "sample": sample.to_data(),
        "short": [d.to_data() for d in short],
    }


def _fields(result: object, kind: type) -> dict[str, Any]:
    """The fields ``kind`` declares, read from ``result``: what a display row copies from the stored one."""
    return {f.name: getattr(result, f.name) for f in fields(kind)}


@dataclass(frozen=True)
class SummaryRow(DimensionResult):
    """A dimension's stored result with what the summary adds: its title, its target and the gap to it."""

    title: str
    target: int | None
    gap: Decimal | None

    @classmethod
    def of(cls, result: DimensionResult, *, title: str, target: int | None) -> SummaryRow:
        # Exact difference of the two decimals as written (4 − 2.205 is 1.795, not the float 1.79499…),
        # so the gap rounds half-up the same way on every output (cxgov.numbers).
        score = result.score
        gap = (Decimal(str(target)) - Decimal(str(score))) if (target is not None and score is not None) else None
        return cls(**_fields(result, DimensionResult), title=title, target=target, gap=gap)

    def as_data(self) -> dict[str, Any]:
        """The row as plain data (the PDF's ReportData)."""
        return {**self.to_data(), "title": self.title, "target": self.target, "gap": self.gap}


@dataclass(frozen=True)
class QuestionRow(QuestionResult):
    """A question's stored result with its text in the active language, as pages and the PDF list it."""

    text: str

    @classmethod
    def of(cls, result: QuestionResult, text: str) -> QuestionRow:
        return cls(**_fields(result, QuestionResult), text=text)

    def as_data(self) -> dict[str, Any]:
        """The row as plain data (the PDF's ReportData)."""
        return {**self.to_data(), "text": self.text}


@dataclass(frozen=True)
class GapRow(PerceptionGapResult):
    """A perception gap with its dimension's title."""

    title: str

    def as_data(self) -> dict[str, Any]:
        """The row as plain data (the PDF's ReportData)."""
        return {**self.to_data(), "title": self.title}


@dataclass(frozen=True)
class Summary:
    """What the executive summary shows (web page, share page and PDF)."""

    rows: list[SummaryRow]  # every dimension, framework order
    strengths: list[SummaryRow]  # the three best scored
    gaps: list[SummaryRow]  # the three furthest below their target
    contested: list[QuestionResult]  # most divided first


def _descending(value: float | Decimal | None) -> float | Decimal:
    # Only scored rows (and positive gaps) are sorted, so ``value`` is never None there.
    return -value if value is not None else 0


def summary_rows(results: Results, titles: dict[str, str], targets: dict) -> Summary:
    """What the executive summary shows (web page and PDF): rows, strengths, gaps, contested questions."""
    rows = [
        SummaryRow.of(d, title=titles[d.key], target=getattr(targets.get(d.key), "target", targets.get(d.key)))
        for d in results.dimensions
    ]
    scored = [r for r in rows if not r.unscored]
    return Summary(
        rows=rows,
        strengths=sorted(scored, key=lambda r: _descending(r.score))[:3],
        gaps=sorted((r for r in scored if r.gap and r.gap > 0), key=lambda r: _descending(r.gap))[:3],
        contested=results.contested(),
    )


# ----------------------------------------------------------------- what pages and the PDF both draw


def chart_words(**overrides: str) -> dict[str, str]:
    """Every word the chart builders print (their DEFAULT_LABELS), in the active language."""

    words = {
        "score": _("Score"),
        "target": _("Target"),
        "no_data": _("no data"),
        "na": _("n/a"),
        "dimension": _("Dimension"),
        "level": _("Level"),
        "count": _("Count"),
        "dont_know": _("Don't know"),
        "previous": _("Previous"),
        "current": _("Current"),
        "change": _("Change"),
        "increase": _("Up"),
        "decrease": _("Down"),
        "value": _("Value"),
        "minimum": _("Minimum"),
        "maximum": _("Maximum"),
    }
    return {**words, **overrides}


def radar_chart(rows: Sequence[SummaryRow], brand: str):
    """Scores against targets by dimension (rows of `summary_rows`), in the active language."""

    return charts.radar(
        [(f"{r.key} {r.title}", r.score) for r in rows],
        [r.target for r in rows],
        id_prefix="radar",
        title=_("Scores and targets by dimension"),
        description=_(
            "Radar chart of the score of each dimension (filled) against the committee's target (dashed), on a scale of 1 to 5."
        ),
        brand=brand,
        labels=chart_words(),
        number_format=format_number,
    )


def function_heatmap(alignment: AlignmentResult, dimensions, titles: dict[str, str]):
    """Mean score per dimension and function (the groups the snapshot may show), or None without any group."""

    by_function = alignment.by_function
    functions = [f for f, _label in Function.choices if any(m.function == f for m in by_function)]
    if not functions:
        return None
    labels = dict(Function.choices)
    means = {(m.dimension, m.function): m.mean for m in by_function}
    return charts.heatmap(
        [(f"{d.key} {titles[d.key]}", [means.get((d.key, f)) for f in functions]) for d in dimensions],
        [str(labels[f]) for f in functions],  # the choice labels are lazy translations
        id_prefix="heatmap",
        title=_("How each function sees each dimension"),
        description=_("Mean score per dimension (rows) and function (columns), on a scale of 1 to 5."),
        labels=chart_words(),
        number_format=format_number,
    )


def perception_gaps(alignment: AlignmentResult, titles: dict[str, str]) -> list[GapRow]:
    """Perception gaps that exist, widest first, with the dimension's title."""
    gaps = [
        GapRow(**_fields(g, PerceptionGapResult), title=titles[g.dimension])
        for g in alignment.perception_gaps
        if g.gap is not None
    ]
    return sorted(gaps, key=lambda g: _descending(g.gap))


# ----------------------------------------------------------------- the ownership map, as people read it


def live_ownership(round_: Round) -> OwnershipResult:
    """The ownership map of the answers given so far, without any function (the workshop's projector view)."""
    return OwnershipResult.from_data({"activities": [row.as_export() for row in ownership_rows(round_, anonymous=True)]})


def ownership_view(ownership: OwnershipResult, catalogue: Catalogue, *, functions_shown: bool) -> list[dict[str, Any]]:
    """The map as the results page, the workshop and the PDF list it: contested activities first, in plain data.

    Each activity has its title, the bars of its answers (each role named A, then "nobody" and
    "don't know", with their share of the answers as a whole percentage for the bar's width), the
    roles seen doing the work (R) and, when ``functions_shown`` (an attributed round), the
    perception gaps by function. Labels are in the active language; a role the catalogue no longer
    lists shows its key.
    """
    roles = {r.key: r.tr() for r in catalogue.roles}
    activities = {a.key: a.tr() for a in catalogue.activities}
    functions = {key: str(label) for key, label in Function.choices}  # the choice labels are lazy translations
    labels = {**roles, NOBODY: _("Nobody"), DONT_KNOW: _("Don't know")}
    view = []
    for row in contested_first(ownership.activities):
        answers = [(c.role, c.count) for c in row.accountable] + [(NOBODY, row.nobody), (DONT_KNOW, row.dont_know)]
        view.append(
            {
                **row.to_data(),
                "title": activities.get(row.activity, row.activity),
                "plurality_label": labels.get(row.plurality, row.plurality) if row.plurality else None,
                "bars": [
                    {"key": key, "label": labels.get(key, key), "count": n, "percent": whole_percent(n, row.answered)}
                    for key, n in answers
                    if n or key not in (NOBODY, DONT_KNOW)
                ],
                "responsible_labels": [{"label": roles.get(c.role, c.role), "count": c.count} for c in row.responsible],
                "gaps": [
                    {
                        "function": functions.get(g.function, g.function),
                        "choice": labels.get(g.choice, g.choice),
                        "count": g.count,
                    }
                    for g in row.function_gaps
                ]
                if functions_shown
                else [],
            }
        )
    return view

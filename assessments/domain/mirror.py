"""The executive mirror: one participant's answers against the committee's (issue #18).

Public API (pure functions; exact ``Fraction`` arithmetic)::

    quartiles(values: Iterable[int | Fraction]) -> Quartiles | None
    median(values) -> Fraction | None
    is_outlier(own: int | Fraction | None, median: Fraction | None) -> bool
    executive_mirror(framework: FrameworkSpec, answers: Iterable[Answer], participant_id: int,
                     functions: Mapping[int, str | None], anonymous: bool) -> Mirror
    dispersion(framework, answers) -> Dispersion          # the export's committee figures

Rules
    * Quartiles use the "inclusive" method of Python's ``statistics.quantiles(data, n=4,
      method="inclusive")`` (Excel's QUARTILE.INC, R's type 7): with the ``n`` values sorted
      ``x[0] ≤ … ≤ x[n−1]`` and ``m = n − 1``, quartile ``i`` (1, 2, 3) is
      ``(x[j]·(4 − δ) + x[j+1]·δ) / 4`` where ``j, δ = divmod(i·m, 4)``: a linear
      interpolation between two values, never outside ``[min, max]``. Q2 is the median. One
      value is its own three quartiles. Computed on exact fractions, never floats.
    * Answers are filtered and checked as in ``scoring.counted_answers``. A participant's
      dimension score is ``alignment.participant_scores`` (weighted mean of their levels
      there, don't-knows and "not applicable" left out); their question value is their level.
    * The committee is every counted participant with a value there, the mirrored one
      included. Its figures (``Quartiles``) are shown only with at least
      ``MIN_COMMITTEE`` values: with fewer, the median and one's own value would give away
      the other person's. A question's contested rows always have enough (a contested
      question has at least 3 levels).
    * Outlier: ``|own − median| ≥ OUTLIER_DISTANCE`` (2 levels), exactly; no own value or no
      committee figure is no outlier.
    * Contested questions are ``scoring``'s (``AD > 4/5`` or ``range ≥ 3``, n ≥ 3), most
      divided first (largest AD), ties in framework order: the results pages' order.
    * The function view compares, per dimension, the mean of the participant's own function
      group with the mean of the rest of the committee (everyone else with a score there,
      any function or none). It is given only in attributed rounds, and only when both
      sides have at least ``MIN_FUNCTION_GROUP`` scored participants: no group of one or
      two, whose figure would be a person's. Anonymous rounds have no function view at all.
    * The workshop's list: the contested questions, and the flagged perception gaps
      (``alignment.perception_gaps`` over the groups ``alignment.function_means`` may show
      for the round), widest first, at most ``TOP_GAPS``. A gap names no function.
    * The export's dispersion is the committee's quartiles per dimension (over the
      participants' dimension scores) and per question (over the levels), ``None`` figures
      below ``MIN_COMMITTEE`` values: aggregate figures only, nobody's own.
    * Output order: framework order for dimensions and function views; contested order for
      questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .alignment import function_means, participant_scores, perception_gaps
from .scoring import counted_answers, mean, score_questions
from .types import Answer, FrameworkSpec, PerceptionGap, round2

__all__ = [
    "MIN_COMMITTEE",
    "MIN_FUNCTION_GROUP",
    "OUTLIER_DISTANCE",
    "TOP_GAPS",
    "ContestedRow",
    "Dispersion",
    "FunctionView",
    "Mirror",
    "MirrorRow",
    "Quartiles",
    "dispersion",
    "executive_mirror",
    "is_outlier",
    "median",
    "quartiles",
]

#: A participant is an outlier where their value is at least this far from the committee's median.
OUTLIER_DISTANCE = Fraction(2)
#: The committee's figures are shown with at least this many values.
MIN_COMMITTEE = 3
#: A function group (and the rest of the committee it is compared with) needs this many scored participants.
MIN_FUNCTION_GROUP = 3
#: At most this many perception gaps on the workshop's list.
TOP_GAPS = 3

Value = int | Fraction


@dataclass(frozen=True)
class Quartiles:
    """The first quartile, median and third quartile of ``n`` values (inclusive method, exact)."""

    q1: Fraction
    median: Fraction
    q3: Fraction
    n: int

    @property
    def iqr(self) -> Fraction:
        """The interquartile range, ``q3 − q1``."""
        return self.q3 - self.q1


def quartiles(values: Iterable[Value]) -> Quartiles | None:
    """Q1, median and Q3 of ``values`` by the inclusive method (module rules); ``None`` for no value."""
    data = sorted(Fraction(v) for v in values)
    n = len(data)
    if n == 0:
        return None
    if n == 1:
        return Quartiles(q1=data[0], median=data[0], q3=data[0], n=1)
    m = n - 1
    cuts: list[Fraction] = []
    for i in (1, 2, 3):
        j, delta = divmod(i * m, 4)
        # j ≤ m − 1 for i ≤ 3, so data[j + 1] exists; δ = 0 lands on a value.
        cuts.append((data[j] * (4 - delta) + data[j + 1] * delta) / 4)
    return Quartiles(q1=cuts[0], median=cuts[1], q3=cuts[2], n=n)


def median(values: Iterable[Value]) -> Fraction | None:
    """The median of ``values`` (the middle one, or the mean of the two middle ones); ``None`` for none."""
    q = quartiles(values)
    return q.median if q is not None else None


def is_outlier(own: Value | None, median: Fraction | None) -> bool:
    """Whether ``own`` is at least ``OUTLIER_DISTANCE`` from ``median`` (False when either is missing)."""
    if own is None or median is None:
        return False
    return abs(Fraction(own) - median) >= OUTLIER_DISTANCE


def _committee(values: Sequence[Value]) -> Quartiles | None:
    """The committee's figures, or ``None`` below ``MIN_COMMITTEE`` values."""
    return quartiles(values) if len(values) >= MIN_COMMITTEE else None


@dataclass(frozen=True)
class MirrorRow:
    """One dimension (or question): the participant's value against the committee's."""

    key: str
    dimension: str  # the row's dimension (its own key for a dimension row)
    own: Fraction | None  # their dimension score or level; None when they gave no level there
    committee: Quartiles | None  # None below MIN_COMMITTEE values
    outlier: bool

    @property
    def distance(self) -> Fraction | None:
        """``own − median`` (signed), None when either is missing."""
        if self.own is None or self.committee is None:
            return None
        return self.own - self.committee.median


@dataclass(frozen=True)
class ContestedRow(MirrorRow):
    """A contested question's row, with how divided the committee is on it."""

    ad: Fraction
    range: int


@dataclass(frozen=True)
class FunctionView:
    """In one dimension: the participant's function group against the rest of the committee (means)."""

    dimension: str
    function: str
    mean: Fraction
    participants: int
    others_mean: Fraction
    others: int

    @property
    def gap(self) -> Fraction:
        """The function's mean minus the others' (positive: the function sees it better)."""
        return self.mean - self.others_mean


@dataclass(frozen=True)
class Mirror:
    """What one participant's mirror shows (module rules)."""

    participant_id: int
    function: str | None  # None in anonymous rounds: their function plays no part there
    dimensions: tuple[MirrorRow, ...]
    questions: tuple[ContestedRow, ...]  # the contested questions, most divided first
    functions: tuple[FunctionView, ...]  # empty in anonymous rounds
    gaps: tuple[PerceptionGap, ...]  # the flagged perception gaps, widest first, at most TOP_GAPS

    @property
    def outliers(self) -> tuple[MirrorRow, ...]:
        """The rows where the participant is the outlier: dimensions first, then contested questions."""
        return tuple(row for row in (*self.dimensions, *self.questions) if row.outlier)


def _scores_by_dimension(framework: FrameworkSpec, answers: Sequence[Answer]) -> dict[str, dict[int, Fraction]]:
    """``dimension → participant → their dimension score`` (participants with a level there only)."""
    by_dimension: dict[str, dict[int, Fraction]] = {d.key: {} for d in framework.dimensions}
    for (participant, dimension), (score, _count) in participant_scores(framework, answers).items():
        by_dimension[dimension][participant] = score
    return by_dimension


def _levels_by_question(answers: Sequence[Answer]) -> dict[str, dict[int, int]]:
    levels: dict[str, dict[int, int]] = {}
    for answer in answers:
        if answer.level is not None:
            levels.setdefault(answer.question_key, {})[answer.participant_id] = answer.level
    return levels


def _row(key: str, dimension: str, values: Mapping[int, Value], participant_id: int) -> MirrorRow:
    own = values.get(participant_id)
    committee = _committee(list(values.values()))
    own_value = Fraction(own) if own is not None else None
    return MirrorRow(
        key=key,
        dimension=dimension,
        own=own_value,
        committee=committee,
        outlier=is_outlier(own_value, committee.median if committee else None),
    )


def _function_views(
    framework: FrameworkSpec, scores: Mapping[str, Mapping[int, Fraction]], function: str, functions: Mapping[int, str | None]
) -> tuple[FunctionView, ...]:
    views: list[FunctionView] = []
    for dimension in framework.dimensions:
        mine = [s for pid, s in scores[dimension.key].items() if functions.get(pid) == function]
        others = [s for pid, s in scores[dimension.key].items() if functions.get(pid) != function]
        if len(mine) < MIN_FUNCTION_GROUP or len(others) < MIN_FUNCTION_GROUP:
            continue
        mine_mean, others_mean = mean(mine), mean(others)
        assert mine_mean is not None and others_mean is not None  # both sides hold at least 3 scores
        views.append(
            FunctionView(
                dimension=dimension.key,
                function=function,
                mean=mine_mean,
                participants=len(mine),
                others_mean=others_mean,
                others=len(others),
            )
        )
    return tuple(views)


def _top_gaps(
    framework: FrameworkSpec, answers: Sequence[Answer], functions: Mapping[int, str | None], anonymous: bool
) -> tuple[PerceptionGap, ...]:
    gaps = perception_gaps(function_means(framework, answers, functions, anonymous), framework)
    flagged = [g for g in gaps if g.flagged and g.gap is not None]
    # sorted() is stable: equal gaps keep framework order.
    return tuple(sorted(flagged, key=lambda g: -(g.gap or 0))[:TOP_GAPS])


def executive_mirror(
    framework: FrameworkSpec,
    answers: Iterable[Answer],
    participant_id: int,
    functions: Mapping[int, str | None],
    anonymous: bool,
) -> Mirror:
    """The mirror of ``participant_id`` over the round's counted ``answers`` (module rules)."""
    counted = counted_answers(framework, answers)
    scores = _scores_by_dimension(framework, counted)
    dimensions = tuple(_row(d.key, d.key, scores[d.key], participant_id) for d in framework.dimensions)

    levels = _levels_by_question(counted)
    contested = [q for q in score_questions(framework, counted) if q.contested and q.ad is not None and q.range is not None]
    contested.sort(key=lambda q: -(q.ad or 0))  # stable: ties keep framework order
    questions = []
    for q in contested:
        row = _row(q.key, q.dimension, levels.get(q.key, {}), participant_id)
        assert q.ad is not None and q.range is not None  # filtered above
        questions.append(
            ContestedRow(
                key=row.key,
                dimension=row.dimension,
                own=row.own,
                committee=row.committee,
                outlier=row.outlier,
                ad=q.ad,
                range=q.range,
            )
        )

    function = None if anonymous else functions.get(participant_id)
    views = _function_views(framework, scores, function, functions) if function is not None else ()
    return Mirror(
        participant_id=participant_id,
        function=function,
        dimensions=dimensions,
        questions=tuple(questions),
        functions=views,
        gaps=_top_gaps(framework, counted, functions, anonymous),
    )


@dataclass(frozen=True)
class Dispersion:
    """The committee's quartiles per dimension and per question (``None`` below ``MIN_COMMITTEE`` values)."""

    dimensions: tuple[tuple[str, int, Quartiles | None], ...]  # (key, values, quartiles)
    questions: tuple[tuple[str, int, Quartiles | None], ...]

    def as_export(self) -> dict[str, Any]:
        """``alignment.dispersion`` of the round export (docs/exports.md)."""

        def rows(items: tuple[tuple[str, int, Quartiles | None], ...]) -> list[dict[str, Any]]:
            return [
                {
                    "key": key,
                    "n": n,
                    "median": round2(q.median) if q else None,
                    "q1": round2(q.q1) if q else None,
                    "q3": round2(q.q3) if q else None,
                }
                for key, n, q in items
            ]

        return {"dimensions": rows(self.dimensions), "questions": rows(self.questions)}


def dispersion(framework: FrameworkSpec, answers: Iterable[Answer]) -> Dispersion:
    """The committee's quartiles of every dimension and question, in framework order (module rules)."""
    counted = counted_answers(framework, answers)
    scores = _scores_by_dimension(framework, counted)
    levels = _levels_by_question(counted)
    dimension_rows = []
    question_rows = []
    for d in framework.dimensions:
        values = list(scores[d.key].values())
        dimension_rows.append((d.key, len(values), _committee(values)))
        for q in d.questions:
            given: list[Value] = list(levels.get(q.key, {}).values())
            question_rows.append((q.key, len(given), _committee(given)))
    return Dispersion(dimensions=tuple(dimension_rows), questions=tuple(question_rows))

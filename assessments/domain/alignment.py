"""Alignment of a round: per-function means and perception gaps (PRODUCT.md).

Public API (pure functions; exact ``Fraction`` arithmetic)::

    function_means(framework: FrameworkSpec, answers: Iterable[Answer],
                   functions: Mapping[int, str | None], anonymous: bool)
        -> tuple[FunctionMean, ...]
    perception_gaps(means: Iterable[FunctionMean], framework: FrameworkSpec | None = None)
        -> tuple[PerceptionGap, ...]
    align_round(framework, answers, functions, anonymous) -> Alignment
    participant_scores(framework, answers) -> dict[(participant_id, dimension_key),
                                                    tuple[Fraction, int]]
    group_is_shown(participants: int, answers: int, anonymous: bool) -> bool

Rules
    * Alignment always uses the raw answers (consensus plays no part). Answers are filtered
      and checked as in ``scoring.counted_answers`` (framework questions only, one answer per
      participant and question).
    * A participant's dimension score is the weighted mean (question weights) of their own
      levels in that dimension; don't-knows are left out; a participant with no level there
      has no score and is not counted in that dimension.
    * A function's mean in a dimension is the plain mean of its participants' dimension
      scores. ``participants`` = how many scores enter it, ``answers`` = how many levels
      are behind them. Participants missing from ``functions`` (or mapped to ``None``) are
      not in any group.
    * Anonymous rounds show a group only when it has at least
      ``MIN_ANONYMOUS_PARTICIPANTS`` participants *with a score in that dimension* and at
      least ``MIN_ANONYMOUS_ANSWERS`` non-null answers there; hidden groups are simply not
      returned. Attributed rounds show every group with at least one score.
    * Perception gap of a dimension = highest − lowest mean over the shown groups; ``None``
      (and not flagged) with fewer than two groups; flagged when ``gap ≥ 1``.
    * Output order: framework dimension order, then function key (string order).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from .scoring import counted_answers, mean
from .types import Alignment, Answer, FrameworkSpec, FunctionMean, PerceptionGap

__all__ = [
    "MIN_ANONYMOUS_ANSWERS",
    "MIN_ANONYMOUS_PARTICIPANTS",
    "PERCEPTION_GAP_FLAG",
    "align_round",
    "function_means",
    "group_is_shown",
    "participant_scores",
    "perception_gaps",
]

#: In an anonymous round, a function group needs at least this many scored participants ...
MIN_ANONYMOUS_PARTICIPANTS = 3
#: ... and at least this many non-null answers in the dimension to be shown.
MIN_ANONYMOUS_ANSWERS = 3
#: A perception gap is flagged at this value or above.
PERCEPTION_GAP_FLAG = Fraction(1)


def group_is_shown(participants: int, answers: int, anonymous: bool) -> bool:
    """Whether a function group's figures may be shown (anonymity rule)."""
    if not anonymous:
        return participants > 0
    return participants >= MIN_ANONYMOUS_PARTICIPANTS and answers >= MIN_ANONYMOUS_ANSWERS


def participant_scores(framework: FrameworkSpec, answers: Iterable[Answer]) -> dict[tuple[int, str], tuple[Fraction, int]]:
    """``(participant, dimension) → (their dimension score, their number of levels there)``.

    Only pairs with at least one level appear. Don't-knows are left out.
    """
    # Whole weights as plain ints (the usual case), so the sums below stay integer arithmetic.
    weights = {
        key: (dimension.key, question.weight.numerator if question.weight.denominator == 1 else question.weight)
        for key, (dimension, question) in framework.questions_by_key().items()
    }
    # Running (Σ level × weight, Σ weight, count) per pair: exact, and one pass over the answers.
    sums: dict[tuple[int, str], list] = {}
    for answer in counted_answers(framework, answers):
        if answer.level is None:
            continue
        dimension_key, weight = weights[answer.question_key]
        entry = sums.get((answer.participant_id, dimension_key))
        if entry is None:
            entry = sums[(answer.participant_id, dimension_key)] = [0, 0, 0]
        entry[0] += answer.level * weight
        entry[1] += weight
        entry[2] += 1
    return {pair: (Fraction(total) / weight, count) for pair, (total, weight, count) in sums.items()}


def function_means(
    framework: FrameworkSpec,
    answers: Iterable[Answer],
    functions: Mapping[int, str | None],
    anonymous: bool,
) -> tuple[FunctionMean, ...]:
    """Mean of each shown function group in each dimension (see module rules)."""
    groups: dict[tuple[str, str], list[tuple[Fraction, int]]] = {}
    for (participant, dimension_key), scored in participant_scores(framework, answers).items():
        group = functions.get(participant)
        if group is None:
            continue
        groups.setdefault((dimension_key, group), []).append(scored)

    results: list[FunctionMean] = []
    for dimension in framework.dimensions:
        names = sorted(f for (d, f) in groups if d == dimension.key)
        for function in names:
            members = groups[(dimension.key, function)]
            participants = len(members)
            n_answers = sum(count for _, count in members)
            if not group_is_shown(participants, n_answers, anonymous):
                continue
            group_mean = mean(score for score, _ in members)
            assert group_mean is not None  # a group exists only with at least one member
            results.append(
                FunctionMean(
                    function=function,
                    dimension=dimension.key,
                    mean=group_mean,
                    participants=participants,
                    answers=n_answers,
                )
            )
    return tuple(results)


def perception_gaps(means: Iterable[FunctionMean], framework: FrameworkSpec | None = None) -> tuple[PerceptionGap, ...]:
    """Perception gap per dimension over the given (shown) function means.

    With ``framework``, one row per framework dimension in framework order (dimensions
    without two groups get ``gap=None``); without it, one row per dimension present in
    ``means``, in order of first appearance.
    """
    by_dimension: dict[str, list[Fraction]] = {}
    for m in means:
        by_dimension.setdefault(m.dimension, []).append(m.mean)
    if framework is not None:
        keys = [d.key for d in framework.dimensions]
    else:
        keys = list(by_dimension)

    gaps: list[PerceptionGap] = []
    for key in keys:
        values = by_dimension.get(key, [])
        if len(values) < 2:
            gaps.append(PerceptionGap(dimension=key, gap=None, flagged=False))
            continue
        gap = max(values) - min(values)
        gaps.append(PerceptionGap(dimension=key, gap=gap, flagged=gap >= PERCEPTION_GAP_FLAG))
    return tuple(gaps)


def align_round(
    framework: FrameworkSpec,
    answers: Iterable[Answer],
    functions: Mapping[int, str | None],
    anonymous: bool,
) -> Alignment:
    """Function means and perception gaps (every framework dimension) of a round."""
    means = function_means(framework, answers, functions, anonymous)
    return Alignment(by_function=means, perception_gaps=perception_gaps(means, framework))

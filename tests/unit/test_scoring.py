"""Unit tests of assessments.domain.scoring (pure; no database, no Django)."""

from __future__ import annotations

import ast
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.domain.scoring import (
    agreement_of,
    index_of,
    score_round,
    spread,
    stage_of,
)
from assessments.domain.types import (
    Answer,
    DimensionSpec,
    FrameworkSpec,
    QuestionSpec,
    round2,
    round_half_up,
    sqrt_round2,
)

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "assessments" / "domain"


# --------------------------------------------------------------------------- helpers


def framework(*dimensions: DimensionSpec) -> FrameworkSpec:
    return FrameworkSpec(dimensions=dimensions)


def dimension(key: str, *questions: str | tuple[str, int], weight=1) -> DimensionSpec:
    specs = tuple(QuestionSpec(q) if isinstance(q, str) else QuestionSpec(q[0], weight=q[1]) for q in questions)
    return DimensionSpec(key, weight=weight, questions=specs)


def answers(question: str, levels, first_participant: int = 1) -> list[Answer]:
    """One answer per participant, participants numbered from ``first_participant``."""
    return [Answer(participant_id=first_participant + i, question_key=question, level=level) for i, level in enumerate(levels)]


# --------------------------------------------------------------------------- purity


def test_domain_imports_no_django_clock_or_io():
    forbidden = {
        "django",
        "datetime",
        "time",
        "os",
        "pathlib",
        "io",
        "random",
        "socket",
    }
    files = sorted(DOMAIN_DIR.glob("*.py"))
    assert files, "no domain module found"
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & forbidden, f"{path.name} imports {roots & forbidden}"


# --------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(2625, 1000), 2.63),
        (Fraction(2675, 1000), 2.68),  # round(2.675, 2) would give 2.67
        (Decimal("2.675"), 2.68),
        (2.675, 2.68),  # a float is read as the decimal it prints as
        # half-up = away from zero, as Decimal ROUND_HALF_UP does
        (Fraction(-2625, 1000), -2.63),
        (Fraction(1, 3), 0.33),
        (Fraction(2, 3), 0.67),
        (Fraction(13, 16), 0.81),
        (3, 3.0),
        (Fraction(1, 200), 0.01),
        (Fraction(-1, 1000), 0.0),
        (None, None),
    ],
)
def test_round2_half_up(value, expected):
    assert round2(value) == expected


def test_round_half_up_is_exact():
    assert round_half_up(Fraction(2675, 1000)) == Fraction(268, 100)
    assert round_half_up(Fraction(599, 200)) == 3
    assert round_half_up(Fraction(1, 3), places=4) == Fraction(3333, 10000)


@pytest.mark.parametrize(
    ("variance", "expected"),
    [
        (Fraction(15, 16), 0.97),
        (Fraction(1, 64), 0.13),  # sqrt = 0.125 exactly: half-up, not float luck
        (Fraction(1, 40000), 0.01),  # sqrt = 0.005 exactly
        (Fraction(0), 0.0),
        (Fraction(2), 1.41),
        (Fraction(32, 9), 1.89),
        (None, None),
    ],
)
def test_sqrt_round2_is_exact(variance, expected):
    assert sqrt_round2(variance) == expected


# --------------------------------------------------------------------------- small pieces


def test_index_and_stage_use_the_rounded_score():
    assert index_of(Fraction(2625, 1000)) == Fraction(4075, 100)  # 2.63 → 40.75
    assert stage_of(Fraction(2625, 1000)) == 2
    assert stage_of(Fraction(2995, 1000)) == 3  # 2.995 rounds to 3.00
    assert index_of(Fraction(2995, 1000)) == 50
    assert stage_of(Fraction(2994, 1000)) == 2
    assert index_of(1) == 0 and index_of(5) == 100
    assert index_of(None) is None and stage_of(None) is None


def test_spread_needs_three_levels():
    assert spread([1, 5]) is None
    s = spread([3, 3, 3])
    assert (s.range, s.variance, s.ad) == (0, 0, 0)


def test_agreement_of():
    assert agreement_of([]) is None
    assert agreement_of([0]) == 100
    assert agreement_of([2]) == 0
    assert agreement_of([0, Fraction(16, 9)]) == Fraction(500, 9)


# --------------------------------------------------------------------------- worked examples


def test_exports_worked_example_d1_1():
    fw = framework(dimension("D1", "D1.1"))
    rows = answers("D1.1", [1, 2, 2, 3, 3, 3, 4, 4, None])
    q = score_round(fw, rows).question("D1.1")

    assert q.mean == Fraction(11, 4) and q.score == Fraction(11, 4)
    assert (q.n, q.dont_know, q.answered, q.sufficient) == (8, 1, 9, True)
    assert q.range == 3
    assert q.variance == Fraction(15, 16)
    assert q.ad == Fraction(13, 16)  # 0.8125
    assert q.contested is True
    assert q.dont_know_rate == Fraction(1, 9)
    assert str(q.sd).startswith("0.968245836")
    export = q.as_export()
    assert {k: export[k] for k in ("score", "mean", "n", "dont_know", "answered")} == {
        "score": 2.75,
        "mean": 2.75,
        "n": 8,
        "dont_know": 1,
        "answered": 9,
    }
    assert (export["range"], export["sd"], export["ad"], export["contested"]) == (
        3,
        0.97,
        0.81,
        True,
    )
    assert export["consensus_level"] is None and export["sufficient"] is True
    assert export["weight"] == 1 and export["dimension"] == "D1"


def test_overall_stage_is_capped_by_weakest_dimension():
    fw = framework(dimension("D1", "D1.1"), dimension("D2", "D2.1"), dimension("D3", "D3.1"))
    rows = (
        answers("D1.1", [4, 5])  # 4.5
        + answers("D2.1", [4, 5])  # 4.5
        + answers("D3.1", [1, 1, 1, 1, 2])  # 1.2
    )
    result = score_round(fw, rows)
    stages = [d.stage for d in result.dimensions]
    assert stages == [4, 4, 1]
    assert result.overall.score == Fraction(17, 5)  # (4.5 + 4.5 + 1.2) / 3 = 3.4
    assert result.overall.index == 60
    assert result.overall.stage == 2  # floor(3.4) = 3, but weakest stage 1 + 1 = 2
    assert result.overall.constraint == "D3"
    assert result.overall.as_export() == {
        "score": 3.4,
        "index": 60.0,
        "stage": 2,
        "constraint": "D3",
    }


def test_overall_stage_not_capped_when_weakest_is_close():
    fw = framework(dimension("D1", "D1.1"), dimension("D2", "D2.1"))
    result = score_round(fw, answers("D1.1", [4]) + answers("D2.1", [3]))
    assert result.overall.score == Fraction(7, 2)
    assert result.overall.stage == 3  # min(3, 3 + 1)


def test_weighted_dimension_score_index_and_stage():
    fw = framework(dimension("D1", ("D1.1", 1), ("D1.2", 3)))
    result = score_round(fw, answers("D1.1", [2]) + answers("D1.2", [4]))
    d = result.dimension("D1")
    assert d.score == Fraction(7, 2)  # (2×1 + 4×3) / 4
    assert d.index == Fraction(125, 2)
    assert d.stage == 3


def test_rounding_happens_before_floor_for_stage():
    # (3 × 199 + 2 × 1) / 200 = 2.995 → rounded 3.00 → stage 3, index 50
    fw = framework(dimension("D1", ("D1.1", 199), ("D1.2", 1)))
    result = score_round(fw, [], consensus={"D1.1": 3, "D1.2": 2})
    d = result.dimension("D1")
    assert d.score == Fraction(599, 200)
    assert (d.stage, d.index) == (3, 50)
    assert d.as_export()["score"] == 3.0
    assert (result.overall.stage, result.overall.index) == (3, 50)


def test_unscored_question_is_left_out_of_its_dimension():
    fw = framework(dimension("D1", ("D1.1", 1), ("D1.2", 5)))
    result = score_round(fw, answers("D1.1", [2]) + answers("D1.2", [None, None]))
    assert result.question("D1.2").score is None
    assert result.dimension("D1").score == 2


def test_unscored_dimension_is_left_out_and_weights_renormalised():
    fw = framework(
        dimension("D1", "D1.1", weight=1),
        dimension("D2", "D2.1", weight=2),
        dimension("D3", "D3.1", weight=3),
    )
    rows = answers("D1.1", [2]) + answers("D2.1", [None, None, None]) + answers("D3.1", [4])
    result = score_round(fw, rows)
    d2 = result.dimension("D2")
    assert d2.unscored is True
    assert (d2.score, d2.index, d2.stage, d2.agreement) == (None, None, None, None)
    assert (d2.answered, d2.dont_know, d2.dont_know_rate, d2.low_evidence) == (
        3,
        3,
        1,
        True,
    )
    assert result.overall.score == Fraction(7, 2)  # (2×1 + 4×3) / (1 + 3)
    assert result.overall.constraint == "D1"  # never the unscored D2
    assert result.overall.stage == 3
    assert d2.as_export() == {
        "key": "D2",
        "weight": 2,
        "score": None,
        "index": None,
        "stage": None,
        "answered": 3,
        "dont_know": 3,
        "dont_know_rate": 1.0,
        "low_evidence": True,
        "agreement": None,
        "unscored": True,
    }


def test_nothing_scored_gives_an_empty_overall():
    fw = framework(dimension("D1", "D1.1"), dimension("D2"))
    result = score_round(fw, answers("D1.1", [None]))
    assert all(d.unscored for d in result.dimensions)
    assert result.overall.as_export() == {
        "score": None,
        "index": None,
        "stage": None,
        "constraint": None,
    }
    d2 = result.dimension("D2")  # a dimension nobody answered
    assert (d2.answered, d2.dont_know_rate, d2.low_evidence) == (0, None, False)


def test_constraint_ties_go_to_the_first_in_framework_order():
    fw = framework(dimension("D1", "D1.1"), dimension("D2", "D2.1"), dimension("D3", "D3.1"))
    result = score_round(fw, answers("D1.1", [3]) + answers("D2.1", [2]) + answers("D3.1", [2]))
    assert result.overall.constraint == "D2"


def test_constraint_uses_unrounded_scores():
    # D1 = 2.004 and D2 = 2.001 both round to 2.00; D2 is lower.
    fw = framework(
        dimension("D1", ("D1.1", 249), ("D1.2", 1)),
        dimension("D2", ("D2.1", 999), ("D2.2", 1)),
    )
    result = score_round(fw, [], consensus={"D1.1": 2, "D1.2": 3, "D2.1": 2, "D2.2": 3})
    assert result.dimension("D1").score == Fraction(501, 250)
    assert result.dimension("D2").score == Fraction(2001, 1000)
    assert result.overall.constraint == "D2"


def test_consensus_replaces_the_score_but_not_the_spread():
    fw = framework(dimension("D1", "D1.1", "D1.2"))
    rows = answers("D1.1", [1, 1, 5])
    plain = score_round(fw, rows).question("D1.1")
    agreed = score_round(fw, rows, consensus={"D1.1": 4, "X9": 1}).question("D1.1")

    assert plain.score == Fraction(7, 3) and plain.consensus_level is None
    assert agreed.score == 4 and agreed.consensus_level == 4
    assert agreed.mean == Fraction(7, 3)
    for field in (
        "n",
        "dont_know",
        "range",
        "variance",
        "sd",
        "ad",
        "contested",
        "sufficient",
    ):
        assert getattr(agreed, field) == getattr(plain, field), field
    assert agreed.ad == Fraction(16, 9) and agreed.variance == Fraction(32, 9)
    assert agreed.as_export()["sd"] == 1.89


def test_consensus_alone_scores_an_unanswered_question():
    fw = framework(dimension("D1", "D1.1"))
    q = score_round(fw, [], consensus={"D1.1": 2, "D1.2": None}).question("D1.1")
    assert (q.score, q.mean, q.n, q.answered, q.dont_know_rate) == (2, None, 0, 0, None)
    assert q.sufficient is False


@pytest.mark.parametrize("bad", [0, 6, True, 2.5, "3"])
def test_consensus_level_is_validated(bad):
    fw = framework(dimension("D1", "D1.1"))
    with pytest.raises((TypeError, ValueError)):
        score_round(fw, [], consensus={"D1.1": bad})


def test_low_evidence_boundary_is_strictly_above_half():
    fw = framework(dimension("D1", "D1.1"), dimension("D2", "D2.1"))
    rows = answers("D1.1", [2, 3, None, None]) + answers("D2.1", [2, None, None])
    result = score_round(fw, rows)
    d1, d2 = result.dimensions
    assert d1.dont_know_rate == Fraction(1, 2) and d1.low_evidence is False
    assert d2.dont_know_rate == Fraction(2, 3) and d2.low_evidence is True


def test_dont_know_rate_is_pooled_over_the_dimension():
    fw = framework(dimension("D1", "D1.1", "D1.2"))
    result = score_round(fw, answers("D1.1", [None]) + answers("D1.2", [3, 3, 3]))
    assert result.question("D1.1").dont_know_rate == 1
    assert result.question("D1.2").dont_know_rate == 0
    d = result.dimension("D1")
    # pooled 1/4, not the mean of the question rates (1 and 0)
    assert (d.answered, d.dont_know, d.dont_know_rate) == (4, 1, Fraction(1, 4))
    assert d.low_evidence is False


def test_insufficient_question_has_no_spread():
    fw = framework(dimension("D1", "D1.1"))
    q = score_round(fw, answers("D1.1", [1, 5, None, None, None])).question("D1.1")
    assert q.n == 2 and q.sufficient is False
    assert (q.range, q.variance, q.sd, q.ad, q.contested) == (None,) * 5
    assert q.score == 3


@pytest.mark.parametrize(
    ("levels", "contested", "ad", "range_"),
    [
        ([1, 1, 1, 1, 1, 1, 1, 4], True, Fraction(21, 32), 3),  # by range alone
        ([1, 1, 3, 3], True, Fraction(1), 2),  # by AD alone
        ([1, 1, 2, 3, 3], False, Fraction(4, 5), 2),  # AD exactly 0.8 is not above
        ([2, 3, 3, 4], False, Fraction(1, 2), 2),
    ],
)
def test_contested_thresholds(levels, contested, ad, range_):
    fw = framework(dimension("D1", "D1.1"))
    q = score_round(fw, answers("D1.1", levels)).question("D1.1")
    assert (q.contested, q.ad, q.range) == (contested, ad, range_)


def test_agreement_is_unweighted_over_sufficient_questions():
    fw = framework(dimension("D1", ("D1.1", 1), ("D1.2", 3), ("D1.3", 1)))
    rows = answers("D1.1", [3, 3, 3]) + answers("D1.2", [1, 1, 5]) + answers("D1.3", [1, 5])
    d = score_round(fw, rows).dimension("D1")
    # ADs 0 and 16/9 (D1.3 is insufficient): 100 × (1 − 8/9 / 2) = 500/9
    assert d.agreement == Fraction(500, 9)
    assert d.as_export()["agreement"] == 55.56


def test_agreement_is_null_without_sufficient_questions():
    fw = framework(dimension("D1", "D1.1"))
    d = score_round(fw, answers("D1.1", [2, 4])).dimension("D1")
    assert d.score == 3 and d.agreement is None


def test_answers_outside_the_framework_are_ignored():
    fw = framework(dimension("D1", "D1.1"))
    result = score_round(fw, answers("D1.1", [2]) + answers("Z1.1", [5, 5, 5]) + answers("Z1.1", [5]))
    assert result.question("D1.1").answered == 1
    assert [q.key for q in result.questions] == ["D1.1"]


def test_duplicate_answers_are_refused():
    fw = framework(dimension("D1", "D1.1"))
    with pytest.raises(ValueError, match="more than once"):
        score_round(fw, answers("D1.1", [2]) + answers("D1.1", [3]))


@pytest.mark.parametrize("bad", [0, 6, True, 2.0])
def test_answer_level_is_validated(bad):
    with pytest.raises((TypeError, ValueError)):
        Answer(participant_id=1, question_key="D1.1", level=bad)


def test_framework_keys_and_weights_are_validated():
    with pytest.raises(ValueError):
        framework(dimension("D1", "Q"), dimension("D2", "Q"))
    with pytest.raises(ValueError):
        framework(dimension("D1"), dimension("D1"))
    with pytest.raises(ValueError):
        QuestionSpec("Q", weight=0)
    assert QuestionSpec("Q", weight="1.5").weight == Fraction(3, 2)
    assert DimensionSpec("D", weight=0.1).weight == Fraction(1, 10)


def test_output_is_in_framework_order_and_export_shape():
    fw = framework(dimension("D2", "D2.2", "D2.1"), dimension("D1", "D1.1"))
    result = score_round(fw, answers("D1.1", [3]) + answers("D2.1", [2]))
    assert [q.key for q in result.questions] == ["D2.2", "D2.1", "D1.1"]
    assert [d.key for d in result.dimensions] == ["D2", "D1"]
    export = result.as_export()
    assert list(export) == ["overall", "dimensions", "questions"]
    assert [d["key"] for d in export["dimensions"]] == ["D2", "D1"]


def test_fractional_weight_is_exported_rounded():
    fw = framework(dimension("D1", ("D1.1", 1), weight=Fraction(3, 2)))
    export = score_round(fw, answers("D1.1", [3])).as_export()
    assert export["dimensions"][0]["weight"] == 1.5


# --------------------------------------------------------------------------- properties

LEVEL_OR_DK = st.one_of(st.none(), st.integers(min_value=1, max_value=5))


@st.composite
def rounds(draw):
    """A random framework, answers and consensus."""
    n_dims = draw(st.integers(min_value=1, max_value=4))
    dims = []
    for d in range(n_dims):
        n_qs = draw(st.integers(min_value=0, max_value=4))
        qs = tuple(QuestionSpec(f"D{d}.{q}", weight=draw(st.integers(min_value=1, max_value=4))) for q in range(n_qs))
        dims.append(
            DimensionSpec(
                f"D{d}",
                weight=draw(st.integers(min_value=1, max_value=3)),
                questions=qs,
            )
        )
    fw = FrameworkSpec(tuple(dims))
    keys = [q.key for d in fw.dimensions for q in d.questions]
    n_participants = draw(st.integers(min_value=0, max_value=7))
    rows = []
    for p in range(n_participants):
        for key in keys:
            if draw(st.booleans()):
                rows.append(Answer(p, key, draw(LEVEL_OR_DK)))
    consensus = {key: draw(st.integers(min_value=1, max_value=5)) for key in keys if draw(st.integers(0, 3)) == 0}
    return fw, rows, consensus


@settings(max_examples=100, deadline=None)
@given(rounds())
def test_property_ranges(data):
    fw, rows, consensus = data
    result = score_round(fw, rows, consensus)
    for q in result.questions:
        if q.score is not None:
            assert 1 <= q.score <= 5
        if q.dont_know_rate is not None:
            assert 0 <= q.dont_know_rate <= 1
        assert q.sufficient == (q.n >= 3)
        if q.sufficient:
            assert 0 <= q.ad <= 2 and 0 <= q.range <= 4
    for d in result.dimensions:
        assert d.unscored == (d.score is None)
        if d.score is not None:
            assert 1 <= d.score <= 5
            assert 0 <= d.index <= 100
            assert 1 <= d.stage <= 5
        if d.agreement is not None:
            assert 0 <= d.agreement <= 100
        assert d.low_evidence == (d.dont_know_rate is not None and d.dont_know_rate > Fraction(1, 2))
    overall = result.overall
    scored = [d for d in result.dimensions if not d.unscored]
    if scored:
        assert 1 <= overall.score <= 5
        assert 0 <= overall.index <= 100
        weakest = min(scored, key=lambda d: d.score)
        assert overall.constraint == weakest.key
        assert overall.stage <= weakest.stage + 1
        assert overall.stage <= min(d.stage for d in scored) + 1
        assert overall.stage <= stage_of(overall.score)
    else:
        assert overall.score is overall.stage is overall.constraint is None
    result.as_export()  # always serialisable


@settings(max_examples=100, deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_property_permuting_answers_and_participants_changes_nothing(data, rnd: random.Random):
    fw, rows, consensus = data
    ids = sorted({a.participant_id for a in rows})
    relabel = dict(zip(ids, rnd.sample(range(100, 200), len(ids)), strict=True))
    shuffled = [Answer(relabel[a.participant_id], a.question_key, a.level) for a in rows]
    rnd.shuffle(shuffled)
    assert score_round(fw, shuffled, consensus) == score_round(fw, rows, consensus)


@settings(max_examples=100, deadline=None)
@given(rounds())
def test_property_consensus_never_changes_spread(data):
    fw, rows, consensus = data
    plain = score_round(fw, rows)
    agreed = score_round(fw, rows, consensus)
    for p, a in zip(plain.questions, agreed.questions, strict=True):
        assert (p.n, p.mean, p.range, p.variance, p.sd, p.ad, p.contested) == (
            a.n,
            a.mean,
            a.range,
            a.variance,
            a.sd,
            a.ad,
            a.contested,
        )
        assert a.score == consensus.get(a.key, p.score)
    for p, a in zip(plain.dimensions, agreed.dimensions, strict=True):
        assert (p.dont_know_rate, p.low_evidence) == (a.dont_know_rate, a.low_evidence)
        if not p.unscored:
            assert p.agreement == a.agreement

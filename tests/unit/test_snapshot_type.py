"""The typed read of a results snapshot (assessments/domain/snapshot.py): strict, and a lossless round trip.

Documents here are built the way ``assessments.results.compute_results`` builds them, through the
pure domain (``score_round``, ``align_round``, ``check_sample`` and their ``as_export``), so the
shapes cover what the scoring can produce: don't-knows, unscored dimensions, consensus, anonymous
groups, non-integer weights, low samples. Real rounds are in tests/integration/test_results_type.py.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.domain.alignment import align_round
from assessments.domain.sample import SampleRule, check_sample, respondents_by_dimension
from assessments.domain.scoring import score_round
from assessments.domain.snapshot import LEVEL_KEYS, Results, SnapshotError
from assessments.domain.types import Answer, DimensionSpec, FrameworkSpec, QuestionSpec

FW = FrameworkSpec(
    (
        DimensionSpec("D1", weight=2, questions=(QuestionSpec("D1.1"), QuestionSpec("D1.2", Fraction(3, 2)))),
        DimensionSpec("D2", questions=(QuestionSpec("D2.1"), QuestionSpec("D2.2"))),
        DimensionSpec("D3", weight=Fraction(1, 3), questions=(QuestionSpec("D3.1"),)),
    )
)
QUESTIONS = [q.key for d in FW.dimensions for q in d.questions]
FUNCTIONS = ("ceo", "cfo", "cmo", "cxo", None)


def document(answers, functions, *, anonymous=False, consensus=None, rationale=None, rule=None, with_sample=True):
    """A snapshot document as compute_results writes it, from the pure domain."""
    consensus = consensus or {}
    exported = score_round(FW, answers, consensus).as_export()
    for row in exported["questions"]:
        row["consensus_rationale"] = (rationale or {}).get(row["key"]) if row["key"] in consensus else None
    distributions = {key: dict.fromkeys(LEVEL_KEYS, 0) for key in QUESTIONS}
    for a in answers:
        distributions[a.question_key]["dk" if a.level is None else str(a.level)] += 1
    people = sorted({a.participant_id for a in answers})
    data = {
        "scores": exported,
        "alignment": align_round(FW, answers, functions, anonymous).as_export(),
        "distributions": distributions,
        "participants": {"counted": len(people), "submitted": len(people) // 2},
    }
    if with_sample:
        dimension_of = {q.key: d.key for d in FW.dimensions for q in d.questions}
        respondents = respondents_by_dimension(
            dimension_of, [d.key for d in FW.dimensions], ((a.participant_id, a.question_key) for a in answers)
        )
        check = check_sample(rule or SampleRule(), invited=len(people), submitted=len(people) // 2, respondents=respondents)
        data["sample"] = check.as_export()
    data["computed_at"] = "2026-11-20T17:00:00.123456+00:00"
    return data


def round_trips(data) -> Results:
    results = Results.from_data(data)
    assert results.to_data() == data
    # Key order too: the document serialises to the very same bytes.
    assert json.dumps(results.to_data()) == json.dumps(data)
    assert json.dumps(Results.from_data(json.loads(json.dumps(data))).to_data()) == json.dumps(data)
    return results


# --------------------------------------------------------------------------- the round trip


answers_strategy = st.lists(
    st.tuples(st.integers(1, 7), st.sampled_from(QUESTIONS), st.one_of(st.none(), st.integers(1, 5))),
    max_size=40,
    unique_by=lambda t: (t[0], t[1]),
)


@given(
    rows=answers_strategy,
    anonymous=st.booleans(),
    consensus=st.dictionaries(st.sampled_from(QUESTIONS), st.integers(1, 5), max_size=2),
    rationale=st.text(max_size=20),
    with_sample=st.booleans(),
    rule=st.tuples(st.integers(1, 5), st.integers(0, 100)),
)
def test_any_document_the_scoring_writes_reads_back_identically(rows, anonymous, consensus, rationale, with_sample, rule):
    answers = [Answer(pid, key, level) for pid, key, level in rows]
    functions = {pid: FUNCTIONS[pid % len(FUNCTIONS)] for pid, _k, _l in rows}
    data = document(
        answers,
        functions,
        anonymous=anonymous,
        consensus=consensus,
        rationale=dict.fromkeys(consensus, rationale),
        rule=SampleRule.from_percent(*rule),
        with_sample=with_sample,
    )
    results = round_trips(data)
    assert [d.key for d in results.dimensions] == ["D1", "D2", "D3"]
    assert [q.key for q in results.questions] == QUESTIONS
    assert (results.sample is None) is not with_sample


@pytest.mark.parametrize(
    "case",
    [
        # Nobody answered: every dimension unscored, every figure None, a low sample.
        {"answers": []},
        # Only don't-knows in D2: D2 unscored, low evidence; D1 scored with a 3/2 weight.
        {
            "answers": [Answer(p, "D1.1", p % 5 + 1) for p in range(1, 5)]
            + [Answer(p, "D1.2", None if p == 1 else 3) for p in range(1, 5)]
            + [Answer(p, q, None) for p in range(1, 5) for q in ("D2.1", "D2.2")]
        },
        # A consensus with its rationale, a contested question, and an anonymous round hiding small groups.
        {
            "answers": [Answer(p, q, (1, 5, 2, 4, 3, 1)[p - 1]) for p in range(1, 7) for q in QUESTIONS],
            "consensus": {"D1.1": 2},
            "rationale": {"D1.1": "Agreed in the workshop."},
            "anonymous": True,
        },
        # An older snapshot: no sample rule yet.
        {"answers": [Answer(1, "D3.1", 4)], "with_sample": False},
    ],
    ids=["nobody", "dont-knows", "consensus-anonymous", "before-the-sample-rule"],
)
def test_worked_documents_round_trip(case):
    answers = case.pop("answers")
    functions = {a.participant_id: FUNCTIONS[a.participant_id % len(FUNCTIONS)] for a in answers}
    round_trips(document(answers, functions, **case))


def test_accessors_read_the_stored_rows():
    answers = [Answer(p, q, (1, 5, 2, 4, 3, 1)[p - 1]) for p in range(1, 7) for q in QUESTIONS] + [Answer(7, "D2.1", None)]
    data = document(answers, dict.fromkeys(range(1, 8), "ceo"), consensus={"D3.1": 4}, rationale={"D3.1": "Why"})
    results = Results.from_data(data)
    stored = {d["key"]: d for d in data["scores"]["dimensions"]}
    for row in results.dimensions:
        assert row.to_data() == stored[row.key]
        assert (row.score, row.stage, row.unscored) == (stored[row.key]["score"], stored[row.key]["stage"], False)
    assert results.dimension("D2").dont_know == 1
    assert results.question("D3.1").consensus_rationale == "Why" and results.question("D3.1").score == 4.0
    assert [q.key for q in results.questions_of("D1")] == ["D1.1", "D1.2"]
    assert results.distribution("D2.1") == {"1": 2, "2": 1, "3": 1, "4": 1, "5": 1, "dk": 1}
    assert results.distribution("nowhere") == dict.fromkeys(LEVEL_KEYS, 0)
    assert results.overall.to_data() == data["scores"]["overall"]
    assert results.scores_by_dimension() == {k: r["score"] for k, r in stored.items()}
    contested = results.contested()
    assert contested and all(q.contested for q in contested)
    assert [q.ad for q in contested] == sorted((q.ad for q in contested), reverse=True)
    with pytest.raises(KeyError):
        results.dimension("D9")
    with pytest.raises(KeyError):
        results.question("D9.1")


def test_figures_keep_the_type_they_were_stored_with():
    data = document([Answer(1, "D1.1", 3), Answer(2, "D1.1", 4)], {})
    data["scores"]["dimensions"][0]["weight"] = 2  # an int stays an int
    data["scores"]["overall"]["score"] = 3  # JSON may hold a whole number as an int
    results = round_trips(data)
    assert type(results.dimensions[0].weight) is int and type(results.overall.score) is int
    assert type(results.dimensions[1].weight) is int  # export_weight writes whole weights as ints
    assert type(results.questions[1].weight) is float  # and the others as 2-decimal floats (1.5)


# --------------------------------------------------------------------------- strict reading


@pytest.fixture
def data():
    answers = [Answer(p, q, p % 5 + 1) for p in range(1, 5) for q in QUESTIONS]
    return document(answers, dict.fromkeys(range(1, 5), "cfo"))


@pytest.mark.parametrize(
    ("steps", "named"),
    [
        (("scores",), "scores"),
        (("scores", "overall", "constraint"), "scores.overall.constraint"),
        (("scores", "dimensions", 1, "stage"), "scores.dimensions[1].stage"),
        (("scores", "questions", 4, "consensus_rationale"), "scores.questions[4].consensus_rationale"),
        (("alignment", "perception_gaps", 0, "flagged"), "alignment.perception_gaps[0].flagged"),
        (("distributions", "D1.2", "dk"), "distributions.D1.2.dk"),
        (("participants", "submitted"), "participants.submitted"),
        (("sample", "dimensions", 2, "short"), "sample.dimensions[2].short"),
        (("computed_at",), "computed_at"),
    ],
)
def test_a_missing_key_is_an_error_naming_its_path(data, steps, named):
    parent = data
    for step in steps[:-1]:
        parent = parent[step]
    del parent[steps[-1]]
    with pytest.raises(SnapshotError) as error:
        Results.from_data(data)
    assert (error.value.path, error.value.problem) == (named, "missing key")
    assert str(error.value) == f"results snapshot: {named}: missing key"


def test_an_unknown_key_is_refused_so_nothing_is_dropped_on_the_way_back(data):
    data["scores"]["dimensions"][0]["colour"] = "red"
    with pytest.raises(SnapshotError, match=r"scores\.dimensions\[0\]\.colour: unknown key"):
        Results.from_data(data)
    del data["scores"]["dimensions"][0]["colour"]
    data["extra"] = 1
    with pytest.raises(SnapshotError, match="extra: unknown key"):
        Results.from_data(data)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["scores"]["dimensions"][0].update(stage="2"),
            r"scores\.dimensions\[0\]\.stage: expected an integer or null, got str",
        ),
        (lambda d: d["scores"]["dimensions"][0].update(unscored=None), r"unscored: expected true or false, got null"),
        (lambda d: d["scores"]["questions"][0].update(score=True), r"questions\[0\]\.score: expected a number or null, got bool"),
        (lambda d: d["scores"].update(dimensions={}), r"scores\.dimensions: expected a list, got dict"),
        (lambda d: d["alignment"].update(by_function=[1]), r"alignment\.by_function\[0\]: expected an object, got int"),
        (lambda d: d["distributions"]["D1.1"].update(dk=1.0), r"distributions\.D1\.1\.dk: expected an integer, got float"),
        (lambda d: d.update(computed_at=None), r"computed_at: expected a string, got null"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(data, mutate, message):
    mutate(data)
    with pytest.raises(SnapshotError, match=message):
        Results.from_data(data)


def test_the_document_itself_must_be_an_object():
    with pytest.raises(SnapshotError, match=r"\(document\): expected an object, got list"):
        Results.from_data([])


def test_the_typed_results_are_frozen(data):
    results = Results.from_data(data)
    before = copy.deepcopy(data)
    with pytest.raises(AttributeError):
        results.dimensions[0].score = 5.0
    with pytest.raises(TypeError):
        results.distributions["D1.1"]["1"] = 9
    assert results.to_data() == before == data

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
from assessments.domain.answers import committee_importance
from assessments.domain.sample import SampleRule, check_sample, respondents_by_dimension
from assessments.domain.scoring import score_round
from assessments.domain.snapshot import LEVEL_KEYS, ConfidenceCounts, Results, SnapshotError, answer_details
from assessments.domain.types import Answer, DimensionSpec, FrameworkSpec, QuestionSpec, round2

FW = FrameworkSpec(
    (
        DimensionSpec("D1", weight=2, questions=(QuestionSpec("D1.1"), QuestionSpec("D1.2", Fraction(3, 2)))),
        DimensionSpec("D2", questions=(QuestionSpec("D2.1"), QuestionSpec("D2.2"))),
        DimensionSpec("D3", weight=Fraction(1, 3), questions=(QuestionSpec("D3.1"),)),
    )
)
QUESTIONS = [q.key for d in FW.dimensions for q in d.questions]
FUNCTIONS = ("ceo", "cfo", "cmo", "cxo", None)


def document(
    answers, functions, *, anonymous=False, consensus=None, rationale=None, rule=None, with_sample=True, importances=None
):
    """A snapshot document as compute_results writes it, from the pure domain.

    ``importances`` (dimension key → the 1–3 values given) makes it a schema-2 round's document,
    with the answer details; None, a 1.0 round's.
    """
    consensus = consensus or {}
    scores = score_round(FW, answers, consensus)
    exported = scores.as_export()
    for row in exported["questions"]:
        row["consensus_rationale"] = (rationale or {}).get(row["key"]) if row["key"] in consensus else None
    if importances is not None:
        importance = {d.key: committee_importance(importances.get(d.key, ())) for d in FW.dimensions}
        answer_details(exported, scores.questions, scores.dimensions, importance)
    distributions = {key: dict.fromkeys(LEVEL_KEYS, 0) for key in QUESTIONS}
    for a in answers:
        if not a.not_applicable:
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


#: A level 1–5 with a confidence (or none), "don't know" (None) or "not applicable" ("na").
bank2_answers_strategy = st.lists(
    st.tuples(
        st.integers(1, 7),
        st.sampled_from(QUESTIONS),
        st.one_of(st.none(), st.just("na"), st.integers(1, 5)),
        st.sampled_from((None, "low", "high")),
    ),
    max_size=40,
    unique_by=lambda t: (t[0], t[1]),
)


def bank2_answer(pid, key, level, confidence):
    if level == "na":
        return Answer(pid, key, None, not_applicable=True)
    return Answer(pid, key, level, confidence=confidence)


@given(
    rows=bank2_answers_strategy,
    importances=st.dictionaries(st.sampled_from(("D1", "D2", "D3")), st.lists(st.integers(1, 3), max_size=5)),
    with_sample=st.booleans(),
)
def test_a_schema_2_document_with_the_answer_details_reads_back_identically(rows, importances, with_sample):
    answers = [bank2_answer(*row) for row in rows]
    functions = {pid: FUNCTIONS[pid % len(FUNCTIONS)] for pid, *_rest in rows}
    results = round_trips(document(answers, functions, with_sample=with_sample, importances=importances))
    for question in results.questions:
        mine = [a for a in answers if a.question_key == question.key]
        assert question.not_applicable == sum(a.not_applicable for a in mine)
        assert question.confidence == ConfidenceCounts(
            low=sum(a.confidence == "low" for a in mine), high=sum(a.confidence == "high" for a in mine)
        )
        # "Not applicable" is neither a level nor a don't-know.
        assert question.answered == sum(not a.not_applicable for a in mine)
        assert question.dont_know == sum(a.level is None and not a.not_applicable for a in mine)
    for dimension in results.dimensions:
        questions = results.questions_of(dimension.key)
        assert dimension.not_applicable == sum(q.not_applicable or 0 for q in questions)
        assert dimension.confidence is not None
        assert dimension.confidence.low == sum(q.confidence.low for q in questions if q.confidence)
        given_ = importances.get(dimension.key) or []
        assert dimension.importance == (round2(Fraction(sum(given_), len(given_))) if given_ else None)


def test_the_answer_details_are_written_in_order_after_the_stored_fields():
    answers = [Answer(1, "D1.1", 4, confidence="high"), Answer(2, "D1.1", None, not_applicable=True), Answer(3, "D1.1", 2)]
    data = document(answers, {}, importances={"D1": [3, 2, 2]})
    d1 = data["scores"]["dimensions"][0]
    assert list(d1)[-4:] == ["unscored", "not_applicable", "confidence", "importance"]
    assert (d1["not_applicable"], d1["confidence"], d1["importance"]) == (1, {"low": 0, "high": 1}, 2.33)
    q = data["scores"]["questions"][0]
    assert list(q)[-3:] == ["consensus_rationale", "not_applicable", "confidence"]
    assert (q["n"], q["dont_know"], q["answered"], q["not_applicable"]) == (2, 0, 2, 1)
    assert data["scores"]["dimensions"][1]["importance"] is None  # nobody gave one
    assert data["distributions"]["D1.1"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0, "dk": 0}
    results = round_trips(data)
    assert results.dimension("D1").has_details and results.question("D1.1").confidence == ConfidenceCounts(0, 1)


def test_a_document_without_the_answer_details_reads_them_as_not_asked():
    results = round_trips(document([Answer(1, "D1.1", 4)], {}))
    assert not results.dimension("D1").has_details and not results.question("D1.1").has_details
    assert results.dimension("D1").not_applicable is None and results.dimension("D1").confidence is None
    assert results.dimension("D1").importance is None and results.question("D1.1").confidence is None
    assert "not_applicable" not in results.to_data()["scores"]["dimensions"][0]


@pytest.mark.parametrize(
    ("where", "key", "named"),
    [
        ("dimensions", "importance", r"scores\.dimensions\[0\]\.importance: missing key \(it comes with 'not_applicable'\)"),
        ("dimensions", "not_applicable", r"scores\.dimensions\[0\]\.not_applicable: missing key \(it comes with 'confidence'\)"),
        ("questions", "confidence", r"scores\.questions\[0\]\.confidence: missing key \(it comes with 'not_applicable'\)"),
    ],
)
def test_the_answer_details_come_together_or_not_at_all(where, key, named):
    data = document([Answer(1, "D1.1", 4, confidence="low")], {}, importances={})
    del data["scores"][where][0][key]
    with pytest.raises(SnapshotError, match=named):
        Results.from_data(data)


def test_the_answer_details_are_read_strictly():
    data = document([Answer(1, "D1.1", 4, confidence="low")], {}, importances={})
    data["scores"]["questions"][0]["confidence"]["medium"] = 1
    with pytest.raises(SnapshotError, match=r"scores\.questions\[0\]\.confidence\.medium: unknown key"):
        Results.from_data(data)
    data = document([Answer(1, "D1.1", 4, confidence="low")], {}, importances={})
    data["scores"]["dimensions"][0]["importance"] = "high"
    with pytest.raises(SnapshotError, match=r"scores\.dimensions\[0\]\.importance: expected a number or null, got str"):
        Results.from_data(data)


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

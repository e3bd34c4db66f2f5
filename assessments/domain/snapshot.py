"""A round's stored results read through types: the ``ResultSnapshot.data`` document as frozen dataclasses.

The snapshot is a JSON document (docs/adr/0004-result-snapshots.md) in the shape of EXPORTS.md:
``scores`` (``overall``, ``dimensions[]``, ``questions[]``), ``alignment`` (``by_function[]``,
``perception_gaps[]``), ``distributions``, ``participants``, ``sample`` and ``computed_at``.
Every reader (pages, downloads, the share page, the PDF, the roadmap, the benchmark rows) goes
through :meth:`Results.from_data` instead of indexing the dict with string keys, so a renamed or
missing key fails here, once, naming its path, rather than as a ``KeyError`` in one of forty places.

Values keep the types they were stored with: figures are the ``float`` carriers of the half-up
2-decimal results (``int`` where the JSON holds an integer), never re-rounded or converted, so
every output prints what the snapshot wrote (cxgov.numbers). ``to_data()`` gives the document
back key for key: ``Results.from_data(d).to_data() == d``, with the keys in the order
``compute_results`` writes them (EXPORTS.md's), so a document as written serialises to the same
bytes. (PostgreSQL's ``jsonb`` hands stored objects back in an order of its own; equality ignores it.)

Reading is strict: a missing key, a key the type does not know, or a value of the wrong JSON type
raises :class:`SnapshotError` naming its path (``scores.dimensions[3].stage``). The keys that
may be absent are ``sample``: snapshots stored before the minimum response rule existed have none,
and they read as "no caveat" (``Results.sample`` is ``None``) as they always did; and ``ownership``
(below).

Question bank 2.0 (issue #16) adds the *answer details*: per question ``not_applicable`` (the
"not applicable" answers) and ``confidence`` (``{"low": n, "high": m}``, the levels given with that
confidence); per dimension the same two, summed over its questions, and ``importance`` (the
committee's mean of the 1–3 importances, null when nobody gave one). They are written for rounds
on a schema-2 framework only (:func:`answer_details`), so a 1.0 round's snapshot and export stay
byte for byte what they were. Their keys come together on a row: all present or all absent
(absent reads as ``None``, "not asked"); one without the others is an error.

RACI 2.0 (issue #17) adds ``ownership``, after ``alignment``: the ownership map, one row per
activity the round's RACI asked about (assessments/domain/ownership.py). Written for rounds on a
schema-2 framework only, like the answer details; a 2.0 snapshot stored before it has none and
reads as ``Results.ownership`` ``None``, as a 1.0 one.

Pure Python: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeVar

from .ownership import contested_first
from .types import DimensionScore, QuestionScore, round2

T = TypeVar("T")

#: The answer counts of a question, by level ("1"…"5") and "dk" (don't know), in this order.
LEVEL_KEYS = ("1", "2", "3", "4", "5", "dk")


class SnapshotError(ValueError):
    """The stored document is not in the shape the results code writes; ``path`` says where."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"results snapshot: {path}: {problem}")
        self.path = path
        self.problem = problem


# --------------------------------------------------------------------------- reading, strictly


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


class _Object:
    """One JSON object being read: each key is taken once; what is left over at the end is an error."""

    def __init__(self, value: Any, path: str):
        if not isinstance(value, dict):
            raise SnapshotError(path or "(document)", f"expected an object, got {_kind(value)}")
        self.value = value
        self.path = path
        self.taken: set[str] = set()

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str) -> Any:
        if key not in self.value:
            raise SnapshotError(self._at(key), "missing key")
        self.taken.add(key)
        return self.value[key]

    def has(self, key: str) -> bool:
        return key in self.value

    def all_or_none(self, keys: tuple[str, ...]) -> bool:
        """Whether the keys, which only come together, are here: all (True) or none (False); some is an error."""
        present = [key for key in keys if key in self.value]
        if present and len(present) < len(keys):
            missing = next(key for key in keys if key not in self.value)
            raise SnapshotError(self._at(missing), f"missing key (it comes with {present[0]!r})")
        return bool(present)

    def _typed(self, key: str, accepts: Callable[[Any], bool], what: str, optional: bool) -> Any:
        value = self.raw(key)
        if value is None and optional:
            return None
        if not accepts(value):
            raise SnapshotError(self._at(key), f"expected {what}{' or null' if optional else ''}, got {_kind(value)}")
        return value

    def text(self, key: str) -> str:
        value: str = self._typed(key, lambda v: isinstance(v, str), "a string", False)
        return value

    def text_or_none(self, key: str) -> str | None:
        value: str | None = self._typed(key, lambda v: isinstance(v, str), "a string", True)
        return value

    def integer(self, key: str) -> int:
        value: int = self._typed(key, _is_int, "an integer", False)
        return value

    def integer_or_none(self, key: str) -> int | None:
        value: int | None = self._typed(key, _is_int, "an integer", True)
        return value

    def number(self, key: str) -> float:
        value: float = self._typed(key, _is_number, "a number", False)
        return value

    def number_or_none(self, key: str) -> float | None:
        value: float | None = self._typed(key, _is_number, "a number", True)
        return value

    def flag(self, key: str) -> bool:
        value: bool = self._typed(key, lambda v: isinstance(v, bool), "true or false", False)
        return value

    def flag_or_none(self, key: str) -> bool | None:
        value: bool | None = self._typed(key, lambda v: isinstance(v, bool), "true or false", True)
        return value

    def child(self, key: str, read: Callable[[_Object], T]) -> T:
        return _read(self.raw(key), self._at(key), read)

    def items(self, key: str, read: Callable[[_Object], T]) -> tuple[T, ...]:
        items = self.raw(key)
        path = self._at(key)
        if not isinstance(items, list):
            raise SnapshotError(path, f"expected a list, got {_kind(items)}")
        return tuple(_read(item, f"{path}[{index}]", read) for index, item in enumerate(items))

    def done(self) -> None:
        unknown = [key for key in self.value if key not in self.taken]
        if unknown:
            raise SnapshotError(self._at(unknown[0]), "unknown key")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _read(value: Any, path: str, read: Callable[[_Object], T]) -> T:
    obj = _Object(value, path)
    result = read(obj)
    obj.done()
    return result


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class ConfidenceCounts:
    """``confidence`` of a question or dimension row (schema 2): how many levels were given with low or high confidence."""

    low: int
    high: int

    @classmethod
    def read(cls, o: _Object) -> ConfidenceCounts:
        return cls(low=o.integer("low"), high=o.integer("high"))

    def to_data(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high}

    @property
    def said(self) -> int:
        """How many levels came with a confidence (the others said none)."""
        return self.low + self.high


#: The answer details of a question row (schema 2), in the order they are written.
QUESTION_DETAIL_KEYS = ("not_applicable", "confidence")
#: The answer details of a dimension row (schema 2), in the order they are written.
DIMENSION_DETAIL_KEYS = ("not_applicable", "confidence", "importance")


@dataclass(frozen=True)
class OverallResult:
    """``scores.overall``: every field is None when no dimension is scored."""

    score: float | None
    index: float | None
    stage: int | None
    constraint: str | None

    @classmethod
    def read(cls, o: _Object) -> OverallResult:
        return cls(
            score=o.number_or_none("score"),
            index=o.number_or_none("index"),
            stage=o.integer_or_none("stage"),
            constraint=o.text_or_none("constraint"),
        )

    def to_data(self) -> dict[str, Any]:
        return {"score": self.score, "index": self.index, "stage": self.stage, "constraint": self.constraint}


@dataclass(frozen=True)
class DimensionResult:
    """``scores.dimensions[]``: an ``unscored`` dimension has score, index, stage and agreement None."""

    key: str
    weight: float
    score: float | None
    index: float | None
    stage: int | None
    answered: int
    dont_know: int
    dont_know_rate: float | None
    low_evidence: bool
    agreement: float | None
    unscored: bool
    # Answer details (schema 2; None on a row that has none: a 1.0 round, or stored before them).
    # Keyword-only so that display subclasses may add fields without defaults.
    not_applicable: int | None = field(default=None, kw_only=True)
    confidence: ConfidenceCounts | None = field(default=None, kw_only=True)
    #: The committee's importance (mean of the 1–3 values given), None when nobody gave one.
    importance: float | None = field(default=None, kw_only=True)

    @property
    def has_details(self) -> bool:
        """Whether the row carries the answer details (schema 2)."""
        return self.not_applicable is not None

    @classmethod
    def read(cls, o: _Object) -> DimensionResult:
        details: dict[str, Any] = {}
        if o.all_or_none(DIMENSION_DETAIL_KEYS):
            details = {
                "not_applicable": o.integer("not_applicable"),
                "confidence": o.child("confidence", ConfidenceCounts.read),
                "importance": o.number_or_none("importance"),
            }
        return cls(
            key=o.text("key"),
            weight=o.number("weight"),
            score=o.number_or_none("score"),
            index=o.number_or_none("index"),
            stage=o.integer_or_none("stage"),
            answered=o.integer("answered"),
            dont_know=o.integer("dont_know"),
            dont_know_rate=o.number_or_none("dont_know_rate"),
            low_evidence=o.flag("low_evidence"),
            agreement=o.number_or_none("agreement"),
            unscored=o.flag("unscored"),
            **details,
        )

    def to_data(self) -> dict[str, Any]:
        """The stored row (only the fields of this type, even on a subclass that adds display fields)."""
        data: dict[str, Any] = {
            "key": self.key,
            "weight": self.weight,
            "score": self.score,
            "index": self.index,
            "stage": self.stage,
            "answered": self.answered,
            "dont_know": self.dont_know,
            "dont_know_rate": self.dont_know_rate,
            "low_evidence": self.low_evidence,
            "agreement": self.agreement,
            "unscored": self.unscored,
        }
        if self.has_details:
            data["not_applicable"] = self.not_applicable
            data["confidence"] = (self.confidence or ConfidenceCounts(0, 0)).to_data()
            data["importance"] = self.importance
        return data


@dataclass(frozen=True)
class QuestionResult:
    """``scores.questions[]``: ``score`` is the agreed level when the committee recorded one, else ``mean``.

    ``range``, ``sd``, ``ad`` and ``contested`` are None unless ``sufficient`` (3 levels or more).
    """

    key: str
    dimension: str
    weight: float
    score: float | None
    mean: float | None
    consensus_level: int | None
    n: int
    dont_know: int
    answered: int
    dont_know_rate: float | None
    sufficient: bool
    range: int | None
    sd: float | None
    ad: float | None
    contested: bool | None
    consensus_rationale: str | None
    # Answer details (schema 2; None on a row that has none), keyword-only as on DimensionResult.
    not_applicable: int | None = field(default=None, kw_only=True)
    confidence: ConfidenceCounts | None = field(default=None, kw_only=True)

    @property
    def has_details(self) -> bool:
        """Whether the row carries the answer details (schema 2)."""
        return self.not_applicable is not None

    @classmethod
    def read(cls, o: _Object) -> QuestionResult:
        details: dict[str, Any] = {}
        if o.all_or_none(QUESTION_DETAIL_KEYS):
            details = {"not_applicable": o.integer("not_applicable"), "confidence": o.child("confidence", ConfidenceCounts.read)}
        return cls(
            key=o.text("key"),
            dimension=o.text("dimension"),
            weight=o.number("weight"),
            score=o.number_or_none("score"),
            mean=o.number_or_none("mean"),
            consensus_level=o.integer_or_none("consensus_level"),
            n=o.integer("n"),
            dont_know=o.integer("dont_know"),
            answered=o.integer("answered"),
            dont_know_rate=o.number_or_none("dont_know_rate"),
            sufficient=o.flag("sufficient"),
            range=o.integer_or_none("range"),
            sd=o.number_or_none("sd"),
            ad=o.number_or_none("ad"),
            contested=o.flag_or_none("contested"),
            consensus_rationale=o.text_or_none("consensus_rationale"),
            **details,
        )

    def to_data(self) -> dict[str, Any]:
        """The stored row (only the fields of this type, even on a subclass that adds display fields)."""
        data: dict[str, Any] = {
            "key": self.key,
            "dimension": self.dimension,
            "weight": self.weight,
            "score": self.score,
            "mean": self.mean,
            "consensus_level": self.consensus_level,
            "n": self.n,
            "dont_know": self.dont_know,
            "answered": self.answered,
            "dont_know_rate": self.dont_know_rate,
            "sufficient": self.sufficient,
            "range": self.range,
            "sd": self.sd,
            "ad": self.ad,
            "contested": self.contested,
            "consensus_rationale": self.consensus_rationale,
        }
        if self.has_details:
            data["not_applicable"] = self.not_applicable
            data["confidence"] = (self.confidence or ConfidenceCounts(0, 0)).to_data()
        return data


@dataclass(frozen=True)
class Scores:
    """``scores``: the overall figures, then dimensions and questions in framework order."""

    overall: OverallResult
    dimensions: tuple[DimensionResult, ...]
    questions: tuple[QuestionResult, ...]

    @classmethod
    def read(cls, o: _Object) -> Scores:
        return cls(
            overall=o.child("overall", OverallResult.read),
            dimensions=o.items("dimensions", DimensionResult.read),
            questions=o.items("questions", QuestionResult.read),
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_data(),
            "dimensions": [d.to_data() for d in self.dimensions],
            "questions": [q.to_data() for q in self.questions],
        }


# --------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class FunctionGroupMean:
    """``alignment.by_function[]``: one function's mean score in one dimension (only the groups that may be shown)."""

    function: str
    dimension: str
    mean: float
    participants: int

    @classmethod
    def read(cls, o: _Object) -> FunctionGroupMean:
        return cls(
            function=o.text("function"),
            dimension=o.text("dimension"),
            mean=o.number("mean"),
            participants=o.integer("participants"),
        )

    def to_data(self) -> dict[str, Any]:
        return {"function": self.function, "dimension": self.dimension, "mean": self.mean, "participants": self.participants}


@dataclass(frozen=True)
class PerceptionGapResult:
    """``alignment.perception_gaps[]``: highest minus lowest function mean of a dimension (None below two groups)."""

    dimension: str
    gap: float | None
    flagged: bool

    @classmethod
    def read(cls, o: _Object) -> PerceptionGapResult:
        return cls(dimension=o.text("dimension"), gap=o.number_or_none("gap"), flagged=o.flag("flagged"))

    def to_data(self) -> dict[str, Any]:
        """The stored row (only the fields of this type, even on a subclass that adds display fields)."""
        return {"dimension": self.dimension, "gap": self.gap, "flagged": self.flagged}


@dataclass(frozen=True)
class AlignmentResult:
    """``alignment``: how each function sees each dimension, and how far apart they are."""

    by_function: tuple[FunctionGroupMean, ...]
    perception_gaps: tuple[PerceptionGapResult, ...]

    @classmethod
    def read(cls, o: _Object) -> AlignmentResult:
        return cls(
            by_function=o.items("by_function", FunctionGroupMean.read),
            perception_gaps=o.items("perception_gaps", PerceptionGapResult.read),
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "by_function": [m.to_data() for m in self.by_function],
            "perception_gaps": [g.to_data() for g in self.perception_gaps],
        }


# --------------------------------------------------------------------------- the ownership map (schema 2)


@dataclass(frozen=True)
class RoleCountResult:
    """``ownership.activities[].accountable[]`` and ``responsible[]``: how many respondents gave a role that letter."""

    role: str
    count: int

    @classmethod
    def read(cls, o: _Object) -> RoleCountResult:
        return cls(role=o.text("role"), count=o.integer("count"))

    def to_data(self) -> dict[str, Any]:
        return {"role": self.role, "count": self.count}


@dataclass(frozen=True)
class FunctionViewResult:
    """``ownership.activities[].function_gaps[]``: a function whose A is not the plurality's (attributed rounds only)."""

    function: str
    choice: str
    count: int

    @classmethod
    def read(cls, o: _Object) -> FunctionViewResult:
        return cls(function=o.text("function"), choice=o.text("choice"), count=o.integer("count"))

    def to_data(self) -> dict[str, Any]:
        return {"function": self.function, "choice": self.choice, "count": self.count}


@dataclass(frozen=True)
class OwnershipActivity:
    """``ownership.activities[]``: who the respondents name accountable for one activity (domain/ownership.py)."""

    activity: str
    answered: int
    accountable: tuple[RoleCountResult, ...]
    nobody: int
    dont_know: int
    plurality: str | None
    ambiguity: float | None
    contested: bool
    no_a: bool
    several_a: bool
    responsible: tuple[RoleCountResult, ...]
    function_gaps: tuple[FunctionViewResult, ...]

    @classmethod
    def read(cls, o: _Object) -> OwnershipActivity:
        return cls(
            activity=o.text("activity"),
            answered=o.integer("answered"),
            accountable=o.items("accountable", RoleCountResult.read),
            nobody=o.integer("nobody"),
            dont_know=o.integer("dont_know"),
            plurality=o.text_or_none("plurality"),
            ambiguity=o.number_or_none("ambiguity"),
            contested=o.flag("contested"),
            no_a=o.flag("no_a"),
            several_a=o.flag("several_a"),
            responsible=o.items("responsible", RoleCountResult.read),
            function_gaps=o.items("function_gaps", FunctionViewResult.read),
        )

    def to_data(self) -> dict[str, Any]:
        """The stored row (only the fields of this type, even on a subclass that adds display fields)."""
        return {
            "activity": self.activity,
            "answered": self.answered,
            "accountable": [c.to_data() for c in self.accountable],
            "nobody": self.nobody,
            "dont_know": self.dont_know,
            "plurality": self.plurality,
            "ambiguity": self.ambiguity,
            "contested": self.contested,
            "no_a": self.no_a,
            "several_a": self.several_a,
            "responsible": [c.to_data() for c in self.responsible],
            "function_gaps": [g.to_data() for g in self.function_gaps],
        }


@dataclass(frozen=True)
class OwnershipResult:
    """``ownership``: the ownership map, one row per RACI activity of the round, in catalogue order."""

    activities: tuple[OwnershipActivity, ...]

    @classmethod
    def read(cls, o: _Object) -> OwnershipResult:
        return cls(activities=o.items("activities", OwnershipActivity.read))

    @classmethod
    def from_data(cls, data: Any) -> OwnershipResult:
        """Reads an ``ownership`` object on its own (the workshop's live map, before any snapshot), as strictly."""
        return _read(data, "ownership", cls.read)

    def to_data(self) -> dict[str, Any]:
        return {"activities": [a.to_data() for a in self.activities]}

    def contested(self) -> list[OwnershipActivity]:
        """The contested activities, most ambiguous first; ties keep catalogue order."""
        return [a for a in contested_first(self.activities) if a.contested]


# --------------------------------------------------------------------------- counts and the sample rule


@dataclass(frozen=True)
class ParticipantCounts:
    """``participants``: the participants whose answers count (not withdrawn), and how many of them submitted."""

    counted: int
    submitted: int

    @classmethod
    def read(cls, o: _Object) -> ParticipantCounts:
        return cls(counted=o.integer("counted"), submitted=o.integer("submitted"))

    def to_data(self) -> dict[str, Any]:
        return {"counted": self.counted, "submitted": self.submitted}


@dataclass(frozen=True)
class SampleDimension:
    """``sample.dimensions[]``: how many people answered a dimension, and whether that is below the rule."""

    key: str
    respondents: int
    short: bool

    @classmethod
    def read(cls, o: _Object) -> SampleDimension:
        return cls(key=o.text("key"), respondents=o.integer("respondents"), short=o.flag("short"))

    def to_data(self) -> dict[str, Any]:
        return {"key": self.key, "respondents": self.respondents, "short": self.short}


@dataclass(frozen=True)
class SampleResult:
    """``sample``: the minimum response rule's counts and verdict as stored at closing (domain/sample.py)."""

    low: bool
    invited: int
    submitted: int
    required: int
    min_respondents: int
    min_percent: float
    dimensions: tuple[SampleDimension, ...]

    @classmethod
    def read(cls, o: _Object) -> SampleResult:
        return cls(
            low=o.flag("low"),
            invited=o.integer("invited"),
            submitted=o.integer("submitted"),
            required=o.integer("required"),
            min_respondents=o.integer("min_respondents"),
            min_percent=o.number("min_percent"),
            dimensions=o.items("dimensions", SampleDimension.read),
        )

    @property
    def short(self) -> tuple[SampleDimension, ...]:
        """The dimensions below the rule, in framework order."""
        return tuple(d for d in self.dimensions if d.short)

    def to_data(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "invited": self.invited,
            "submitted": self.submitted,
            "required": self.required,
            "min_respondents": self.min_respondents,
            "min_percent": self.min_percent,
            "dimensions": [d.to_data() for d in self.dimensions],
        }


def _read_distributions(o: _Object) -> Mapping[str, Mapping[str, int]]:
    counts: dict[str, Mapping[str, int]] = {}
    for question in list(o.value):
        counts[question] = MappingProxyType(o.child(question, _read_counts))
    return MappingProxyType(counts)


def _read_counts(o: _Object) -> dict[str, int]:
    return {level: o.integer(level) for level in LEVEL_KEYS}


# --------------------------------------------------------------------------- writing the answer details


def answer_details(
    scores: dict[str, Any],
    questions: Iterable[QuestionScore],
    dimensions: Iterable[DimensionScore],
    importance: Mapping[str, Fraction | None],
) -> dict[str, Any]:
    """Adds the answer details (schema 2) to an exported ``scores`` object (``RoundScores.as_export()``), in place.

    ``questions`` and ``dimensions`` are the domain scores the rows were exported from;
    ``importance`` maps a dimension key to its committee importance (answers.committee_importance),
    written rounded half-up to 2 decimals like every figure. A dimension's confidence is the sum of
    its questions'. Returns ``scores``.
    """
    by_question = {q.key: q for q in questions}
    confidence: dict[str, list[int]] = {}
    for row in scores["questions"]:
        q = by_question[row["key"]]
        row["not_applicable"] = q.not_applicable
        row["confidence"] = {"low": q.low_confidence, "high": q.high_confidence}
        total = confidence.setdefault(q.dimension, [0, 0])
        total[0] += q.low_confidence
        total[1] += q.high_confidence
    by_dimension = {d.key: d for d in dimensions}
    for row in scores["dimensions"]:
        low, high = confidence.get(row["key"], (0, 0))
        row["not_applicable"] = by_dimension[row["key"]].not_applicable
        row["confidence"] = {"low": low, "high": high}
        row["importance"] = round2(importance.get(row["key"]))
    return scores


# --------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class Results:
    """A round's results as stored: what every output of a closed or published round reads."""

    scores: Scores
    alignment: AlignmentResult
    #: question key → {level: number of answers} for every level of LEVEL_KEYS, read-only
    distributions: Mapping[str, Mapping[str, int]]
    participants: ParticipantCounts
    #: None for snapshots stored before the minimum response rule existed
    sample: SampleResult | None
    computed_at: str
    #: The ownership map: rounds on a schema-2 framework only (None on 1.0, and on a 2.0 snapshot stored before it)
    ownership: OwnershipResult | None = field(default=None, kw_only=True)

    @classmethod
    def from_data(cls, data: Any) -> Results:
        """Reads a stored document; :class:`SnapshotError` names the first key that is missing, unknown or mistyped."""
        return _read(data, "", cls._read)

    @classmethod
    def _read(cls, o: _Object) -> Results:
        return cls(
            scores=o.child("scores", Scores.read),
            alignment=o.child("alignment", AlignmentResult.read),
            ownership=o.child("ownership", OwnershipResult.read) if o.has("ownership") else None,
            distributions=o.child("distributions", _read_distributions),
            participants=o.child("participants", ParticipantCounts.read),
            sample=o.child("sample", SampleResult.read) if o.has("sample") else None,
            computed_at=o.text("computed_at"),
        )

    def to_data(self) -> dict[str, Any]:
        """The stored document, key for key and in the stored order (what ``compute_results`` wrote)."""
        data: dict[str, Any] = {
            "scores": self.scores.to_data(),
            "alignment": self.alignment.to_data(),
        }
        if self.ownership is not None:
            data["ownership"] = self.ownership.to_data()
        data["distributions"] = {key: dict(counts) for key, counts in self.distributions.items()}
        data["participants"] = self.participants.to_data()
        if self.sample is not None:
            data["sample"] = self.sample.to_data()
        data["computed_at"] = self.computed_at
        return data

    # ----------------------------------------------------------------------- what readers ask for

    @property
    def overall(self) -> OverallResult:
        return self.scores.overall

    @property
    def dimensions(self) -> tuple[DimensionResult, ...]:
        """Every dimension of the framework, in framework order (unscored ones included)."""
        return self.scores.dimensions

    @property
    def questions(self) -> tuple[QuestionResult, ...]:
        """Every scored question of the framework, in framework order."""
        return self.scores.questions

    def dimension(self, key: str) -> DimensionResult:
        """The result of dimension ``key`` (``KeyError`` when the snapshot has no such dimension)."""
        for dimension in self.scores.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def question(self, key: str) -> QuestionResult:
        """The result of question ``key`` (``KeyError`` when the snapshot has no such question)."""
        for question in self.scores.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def questions_of(self, dimension_key: str) -> tuple[QuestionResult, ...]:
        """The questions of one dimension, in framework order."""
        return tuple(q for q in self.scores.questions if q.dimension == dimension_key)

    def contested(self) -> list[QuestionResult]:
        """The contested questions, most divided (largest average distance) first; ties keep framework order."""
        return sorted((q for q in self.scores.questions if q.contested), key=lambda q: -(q.ad or 0))

    def distribution(self, question_key: str) -> dict[str, int]:
        """How many answers chose each level of a question, by LEVEL_KEYS (all 0 for a question the snapshot lacks)."""
        counts = self.distributions.get(question_key, {})
        return {level: counts.get(level, 0) for level in LEVEL_KEYS}

    def scores_by_dimension(self) -> dict[str, float | None]:
        """Dimension key → its score (None when unscored)."""
        return {d.key: d.score for d in self.scores.dimensions}

"""Loads and validates the bilingual initiative library (``initiatives-<version>.json``).

The file is checked whole: every problem is named with its JSON path (``initiatives[4].kpis[0].metric:
unknown metric 'nsp'``) and an invalid file is refused whole (:class:`LibraryError`), nothing loaded.

File → domain mapping (documented decision)
    * ``precedes_dimensions`` is not a domain field. An initiative ``X`` with
      ``precedes_dimensions: ["D3"]`` becomes a prerequisite of every *other* initiative of D3
      (added after its own prerequisites, without duplicates). The domain treats a prerequisite
      whose context condition does not hold as done, so "appoint a CXO" only holds D3 back when
      there is no CXO yet.
    * Context initiatives keep their ``dimension`` (``D3``) with ``from_level: null``: the domain
      accepts a context initiative in a dimension without it being a level step.
    * Titles and descriptions stay here (:class:`Library.texts`); the domain sees keys and figures.

Checks made here, on top of :func:`roadmaps.domain.prioritisation.validate_library` (keys,
dimensions, activities, metrics, conditions, ranges, prerequisites, cycles): the schema, unknown
keys at every level, types, both languages of every text, ``drives`` being a financial metric,
``precedes_dimensions`` naming known dimensions, and at least ``min_per_step`` initiatives per
dimension and level step.

Which library a round is planned with (documented decision)
    One library file per framework version, chosen by :func:`library_for` from the round's
    framework version (:data:`LIBRARY_FILES`); a version with no file of its own (a test's
    framework, a future version before its library ships) gets the 1.0 library, as before.
    A file says which framework it is written for (``"framework": "2.0"``, ``"1.0"`` when absent):
    its dimensions and RACI activities are the ones it is validated against, so a D11
    initiative is refused in a 1.0 library and required (``min_per_step``) in the 2.0 one.

    ``initiatives-2.0.json`` *extends* ``initiatives-1.0.json`` (``"extends"``): the 1.0
    initiatives come first, unchanged, then the 2.0 ones (D11, and the practices 2.0 added to
    D3, D7 and D8: partners and outsourcers, comparison with competitors, complaints and
    mediation), and the whole is checked as one library against the 2.0 framework (keys unique
    across both files, prerequisites and ``precedes_dimensions`` across both). Problems in the
    extended file are named ``initiatives-1.0.json#initiatives[3]…``. One level only: a file
    that extends another must not itself be extended. Why not a version condition on each
    initiative: a 1.0 round never even loads the 2.0 additions, so its roadmap stays exactly
    what it was by construction, and the 1.0 file is not touched at all.

Pure apart from reading files: usable without a database (the default dimension and activity
keys come from the shipped framework files).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeGuard

from measurement.domain.metrics import ALL_METRICS, FINANCIAL_METRICS

from ..domain.prioritisation import validate_library
from ..domain.types import Initiative, KpiLink

SCHEMA = "cxgov.initiatives/1"
LIBRARY_DIR = Path(__file__).resolve().parent
SHIPPED_FILE = LIBRARY_DIR / "initiatives-1.0.json"
FRAMEWORK_DIR = LIBRARY_DIR.parent.parent / "assessments" / "frameworks"
DEFAULT_FRAMEWORK = "1.0"  # the framework of a library file that names none
FRAMEWORK_FILE = FRAMEWORK_DIR / f"cx-governance-{DEFAULT_FRAMEWORK}.json"
LANGUAGES = ("fr", "en")

#: The library a round is planned with, by the version of its framework (see :func:`library_for`).
LIBRARY_FILES = {"1.0": SHIPPED_FILE, "2.0": LIBRARY_DIR / "initiatives-2.0.json"}

#: Context conditions a library may name, and when they hold (see :func:`conditions_for`).
CONDITIONS = ("no_cxo", "cxo_not_reporting_to_ceo")

TOP_KEYS = {"schema", "key", "version", "framework", "extends", "initiatives"}
REQUIRED = {
    "key",
    "dimension",
    "from_level",
    "title",
    "description",
    "effort",
    "impact",
    "duration_months",
    "prerequisites",
    "activity",
    "kpis",
    "quick_win",
}
OPTIONAL = {"context_condition", "precedes_dimensions"}
KPI_KEYS = {"metric", "drives"}
CUSTOM_PREFIX = "custom-"  # keys of the initiatives a facilitator adds by hand
KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
FILE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.json$")  # a file of the same folder, never a path


class LibraryError(Exception):
    """The library was refused; ``problems`` names every problem with its JSON path."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Library:
    """A validated library: domain initiatives (file order) and their texts."""

    key: str
    version: str
    initiatives: tuple[Initiative, ...]
    texts: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)  # key -> title/description -> {fr, en}
    framework: str = DEFAULT_FRAMEWORK  # the framework version it was validated against

    @functools.cached_property
    def by_key(self) -> dict[str, Initiative]:
        return {item.key: item for item in self.initiatives}

    def title(self, key: str) -> dict[str, str]:
        return dict(self.texts[key]["title"])

    def description(self, key: str) -> dict[str, str]:
        return dict(self.texts[key]["description"])


def conditions_for(cxo_exists: bool | None, cxo_reports_to: str | None) -> frozenset[str]:
    """The context conditions that hold for a round's context.

    ``no_cxo``: the facilitator recorded that no CXO exists (``False``; unknown is not "no").
    ``cxo_not_reporting_to_ceo``: a CXO exists and reports to someone recorded other than the CEO.
    """
    held = set()
    if cxo_exists is False:
        held.add("no_cxo")
    if cxo_exists and (cxo_reports_to or "") not in ("", "ceo"):
        held.add("cxo_not_reporting_to_ceo")
    return frozenset(held)


def framework_file(version: str) -> Path:
    """The shipped framework file of a version (it may not exist: :func:`framework_exists`)."""
    return FRAMEWORK_DIR / f"cx-governance-{version}.json"


def framework_exists(version: object) -> bool:
    """Whether ``version`` names a shipped framework file (a plain version, never a path)."""
    return isinstance(version, str) and bool(re.fullmatch(r"\d+\.\d+", version)) and framework_file(version).is_file()


@functools.cache
def _framework_keys(version: str = DEFAULT_FRAMEWORK) -> tuple[tuple[str, ...], tuple[str, ...]]:
    doc = json.loads(framework_file(version).read_text(encoding="utf-8"))
    return tuple(d["key"] for d in doc["dimensions"]), tuple(a["key"] for a in doc["raci"]["activities"])


def default_dimension_keys(version: str = DEFAULT_FRAMEWORK) -> tuple[str, ...]:
    return _framework_keys(version)[0]


def default_activity_keys(version: str = DEFAULT_FRAMEWORK) -> tuple[str, ...]:
    return _framework_keys(version)[1]


# --------------------------------------------------------------------------- checking


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def unknown_keys(self, value: dict, allowed: Collection[str], path: str) -> None:
        for extra in sorted(set(value) - set(allowed)):
            self.add(f"{path}.{extra}", "unknown key")

    def text(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            self.add(path, 'expected {"fr": …, "en": …}')
            return
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.add(f"{path}.{language}", "missing text")
        for extra in sorted(set(value) - set(LANGUAGES)):
            self.add(f"{path}.{extra}", "unknown language")


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_str_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_int_or_none(value: object) -> bool:
    return value is None or _is_int(value)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_str_list(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


#: Type checks of an entry's plain fields, ``(field, accepts, message)``, in the order problems are
#: named: the placement before the texts, the figures and links after (as the file reads).
_PLACEMENT_TYPES: tuple[tuple[str, Callable[[object], bool], str], ...] = (
    ("dimension", _is_str_or_none, "expected a dimension key or null"),
    ("from_level", _is_int_or_none, "expected an integer 1-4 or null"),
)
_FIELD_TYPES: tuple[tuple[str, Callable[[object], bool], str], ...] = (
    ("effort", _is_int, "expected an integer"),
    ("impact", _is_int, "expected an integer"),
    ("duration_months", _is_int, "expected an integer"),
    ("prerequisites", _is_str_list, "expected a list of initiative keys"),
    ("activity", _is_str, "expected an activity key"),
    ("quick_win", _is_bool, "expected true or false"),
    ("context_condition", _is_str_or_none, "expected a condition key or null"),
)


def _check_entry(c: _Checker, entry: dict[str, Any], path: str, dimension_keys: set[str]) -> None:
    """Structure and types of one initiative (the domain checks values and links)."""
    c.unknown_keys(entry, REQUIRED | OPTIONAL, path)
    for name in sorted(REQUIRED - set(entry)):
        c.add(f"{path}.{name}", "missing")
    _check_key(c, entry, path)
    _check_types(c, entry, path, _PLACEMENT_TYPES)
    for name in ("title", "description"):
        if name in entry:
            c.text(entry[name], f"{path}.{name}")
    _check_types(c, entry, path, _FIELD_TYPES)
    _check_precedes(c, entry.get("precedes_dimensions", []), f"{path}.precedes_dimensions", dimension_keys)
    _check_kpis(c, entry.get("kpis", []), f"{path}.kpis")


def _check_key(c: _Checker, entry: dict[str, Any], path: str) -> None:
    """A key that can sit in a URL and a form field name, outside the prefix kept for custom initiatives."""
    key = entry.get("key")
    if "key" in entry and (not isinstance(key, str) or not KEY_RE.match(key)):
        c.add(f"{path}.key", "expected a key of letters, digits, '-' or '_'")
    elif isinstance(key, str) and key.startswith(CUSTOM_PREFIX):
        c.add(f"{path}.key", f"keys starting with {CUSTOM_PREFIX!r} are kept for initiatives added by hand")


def _check_types(
    c: _Checker, entry: dict[str, Any], path: str, checks: tuple[tuple[str, Callable[[object], bool], str], ...]
) -> None:
    """Each present field of the wrong type (an absent one is reported as missing, or is optional)."""
    for name, accepts, message in checks:
        if name in entry and not accepts(entry[name]):
            c.add(f"{path}.{name}", message)


def _check_precedes(c: _Checker, precedes: object, path: str, dimension_keys: set[str]) -> None:
    """``precedes_dimensions``: a list of known dimension keys (the domain never sees the field, so it is checked here)."""
    if not _is_str_list(precedes):
        c.add(path, "expected a list of dimension keys")
        return
    for j, dimension in enumerate(precedes):
        if dimension not in dimension_keys:
            c.add(f"{path}[{j}]", f"unknown dimension {dimension!r}")


def _check_kpis(c: _Checker, kpis: object, path: str) -> None:
    """The KPI list: each ``{metric, drives}`` with a metric key and, when given, a financial metric it drives."""
    if not isinstance(kpis, list):
        c.add(path, "expected a list of {metric, drives}")
        return
    for k, kpi in enumerate(kpis):
        kpath = f"{path}[{k}]"
        if not isinstance(kpi, dict):
            c.add(kpath, "expected {metric, drives}")
            continue
        c.unknown_keys(kpi, KPI_KEYS, kpath)
        if not isinstance(kpi.get("metric"), str):
            c.add(f"{kpath}.metric", "expected a metric key")
        drives = kpi.get("drives")
        if drives is not None and not isinstance(drives, str):
            c.add(f"{kpath}.drives", "expected a financial metric key or null")
        elif drives in ALL_METRICS and drives not in FINANCIAL_METRICS:
            c.add(f"{kpath}.drives", f"{drives!r} is not a financial metric")


def _domain_initiative(entry: dict) -> Initiative:
    """The domain view of an entry; values of a wrong type (already reported) are neutralised."""

    def as_int(name: str, default: int) -> int:
        value = entry.get(name)
        return value if _is_int(value) else default

    dimension = entry.get("dimension") if isinstance(entry.get("dimension"), str) else None
    from_level = entry.get("from_level")
    if not _is_int(from_level):
        from_level = None if from_level is None or dimension is None else 1
    prerequisites = entry.get("prerequisites")
    kpis = raw_kpis if isinstance(raw_kpis := entry.get("kpis"), list) else []
    condition = entry.get("context_condition")
    return Initiative(
        key=entry["key"] if isinstance(entry.get("key"), str) else "",
        dimension=dimension,
        from_level=from_level,
        effort=as_int("effort", 1),
        impact=as_int("impact", 1),
        duration_months=as_int("duration_months", 1),
        prerequisites=tuple(p for p in prerequisites if isinstance(p, str)) if isinstance(prerequisites, list) else (),
        activity=activity if isinstance(activity := entry.get("activity"), str) else "",
        quick_win=entry.get("quick_win") is True,
        context_condition=condition if isinstance(condition, str) else None,
        kpis=tuple(
            KpiLink(k["metric"], k.get("drives") if isinstance(k.get("drives"), str) else None)
            for k in kpis
            if isinstance(k, dict) and isinstance(k.get("metric"), str)
        ),
    )


def _apply_precedes(entries: list[dict], initiatives: list[Initiative]) -> list[Initiative]:
    """``precedes_dimensions`` → a prerequisite of every other initiative of those dimensions."""
    preceding: dict[str, list[str]] = {}
    for entry, item in zip(entries, initiatives, strict=True):
        precedes = entry.get("precedes_dimensions")
        if isinstance(precedes, list) and item.key:
            for dimension in precedes:
                if isinstance(dimension, str):
                    preceding.setdefault(dimension, []).append(item.key)
    if not preceding:
        return initiatives
    result = []
    for item in initiatives:
        extra = [k for k in preceding.get(item.dimension or "", []) if k != item.key and k not in item.prerequisites]
        if extra:
            item = replace(item, prerequisites=(*item.prerequisites, *extra))
        result.append(item)
    return result


def _read_json(path: Path) -> tuple[object, str | None]:
    """The parsed file, or the problem (unreadable, malformed) that kept it from being read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return None, f"cannot read {path}: {error.strerror or error}"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f"not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"


def _check_framework(c: _Checker, doc: dict) -> str:
    """The framework version the document is written for (the default when absent or refused)."""
    if "framework" not in doc:
        return DEFAULT_FRAMEWORK
    version = doc["framework"]
    if not framework_exists(version):
        c.add("framework", f"unknown framework version {version!r}")
        return DEFAULT_FRAMEWORK
    return version


def _base_entries(c: _Checker, doc: dict, base_dir: Path) -> tuple[list[object], str]:
    """The initiatives of the library ``doc`` extends (file order) and its file name; ``[]`` without one."""
    if "extends" not in doc:
        return [], ""
    name = doc["extends"]
    if not isinstance(name, str) or not FILE_NAME_RE.match(name):
        c.add("extends", "expected the file name of a library in the same folder")
        return [], ""
    base, problem = _read_json(base_dir / name)
    if problem:
        c.add("extends", problem)
        return [], name
    if not isinstance(base, dict) or base.get("schema") != SCHEMA or not isinstance(base.get("initiatives"), list):
        c.add("extends", f"{name} is not a library of schema {SCHEMA!r}")
        return [], name
    if "extends" in base:
        c.add("extends", f"{name} extends another library: only one level is supported")
        return [], name
    return list(base["initiatives"]), name


_ENTRY_PATH = re.compile(r"(?<![\w#.-])initiatives\[(\d+)\]")


def _renumber(problem: str, offset: int, base_name: str) -> str:
    """Paths of the merged list back to the file they come from: ``initiatives[n]`` of this file or ``base#initiatives[n]``."""
    if not offset:
        return problem

    def path(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"{base_name}#initiatives[{n}]" if n < offset else f"initiatives[{n - offset}]"

    return _ENTRY_PATH.sub(path, problem)


def _check(
    doc: object,
    *,
    dimension_keys: Collection[str] | None,
    activity_keys: Collection[str] | None,
    min_per_step: int,
    base_dir: Path,
) -> tuple[list[str], list[Initiative], list[dict]]:
    """:func:`check_document`, plus the merged entries (the extended file's first) the texts are read from."""
    c = _Checker()
    if not isinstance(doc, dict):
        c.add("$", "expected an object")
        return c.problems, [], []
    c.unknown_keys(doc, TOP_KEYS, "$")
    if doc.get("schema") != SCHEMA:
        c.add("schema", f"expected {SCHEMA!r}")
    for name in ("key", "version"):
        if not isinstance(doc.get(name), str) or not doc[name].strip():
            c.add(name, "expected a non-empty string")
    framework = _check_framework(c, doc)
    dimension_keys = list(dimension_keys if dimension_keys is not None else default_dimension_keys(framework))
    activity_keys = list(activity_keys if activity_keys is not None else default_activity_keys(framework))
    base, base_name = _base_entries(c, doc, base_dir)
    raw = doc.get("initiatives")
    if not isinstance(raw, list) or not raw:
        c.add("initiatives", "expected a non-empty list")
        return c.problems, [], []
    first_entry_problem = len(c.problems)
    entries: list[dict] = []
    for n, entry in enumerate([*base, *raw]):
        if not isinstance(entry, dict):
            c.add(f"initiatives[{n}]", "expected an object")
            entry = {}
        else:
            _check_entry(c, entry, f"initiatives[{n}]", set(dimension_keys))
        entries.append(entry)
    initiatives = _apply_precedes(entries, [_domain_initiative(e) for e in entries])
    for problem in validate_library(initiatives, dimension_keys, activity_keys, ALL_METRICS, condition_keys=CONDITIONS):
        text = f"{problem.path}: {problem.message}"
        if text not in c.problems:  # a neutralised value may repeat a problem named above
            c.problems.append(text)
    if min_per_step:
        steps = Counter((i.dimension, i.from_level) for i in initiatives if i.from_level is not None)
        for dimension in dimension_keys:
            for level in range(1, 5):
                if steps[(dimension, level)] < min_per_step:
                    c.add(
                        "initiatives",
                        f"dimension {dimension} step {level}→{level + 1} has {steps[(dimension, level)]} initiative(s), "
                        f"expected at least {min_per_step}",
                    )
    c.problems[first_entry_problem:] = [_renumber(p, len(base), base_name) for p in c.problems[first_entry_problem:]]
    return c.problems, initiatives, entries


def check_document(
    doc: object,
    *,
    dimension_keys: Collection[str] | None = None,
    activity_keys: Collection[str] | None = None,
    min_per_step: int = 2,
    base_dir: Path = LIBRARY_DIR,
) -> tuple[list[str], list[Initiative]]:
    """Every problem of ``doc`` (``"path: message"``) and its domain initiatives (meaningful when valid).

    Dimension and activity keys default to those of the framework the document names; a library
    it ``extends`` is read from ``base_dir`` and its initiatives come first.
    """
    problems, initiatives, _entries = _check(
        doc, dimension_keys=dimension_keys, activity_keys=activity_keys, min_per_step=min_per_step, base_dir=base_dir
    )
    return problems, initiatives


def load_document(
    doc: object,
    *,
    dimension_keys: Collection[str] | None = None,
    activity_keys: Collection[str] | None = None,
    min_per_step: int = 2,
    base_dir: Path = LIBRARY_DIR,
) -> Library:
    """A :class:`Library` from a parsed document; :class:`LibraryError` naming every problem otherwise."""
    problems, initiatives, entries = _check(
        doc, dimension_keys=dimension_keys, activity_keys=activity_keys, min_per_step=min_per_step, base_dir=base_dir
    )
    if problems:
        raise LibraryError(problems)
    assert isinstance(doc, dict)  # _check found no problem, so the document is an object
    texts = {e["key"]: {"title": dict(e["title"]), "description": dict(e["description"])} for e in entries}
    return Library(
        key=doc["key"],
        version=doc["version"],
        initiatives=tuple(initiatives),
        texts=texts,
        framework=doc.get("framework", DEFAULT_FRAMEWORK),
    )


def load_file(path: str | Path, **kwargs) -> Library:
    """Reads and loads a library file; unreadable or malformed JSON is a :class:`LibraryError` too.

    A library it extends is read from the same folder (unless ``base_dir`` is given).
    """
    doc, problem = _read_json(Path(path))
    if problem:
        raise LibraryError([f"$: {problem}"])
    kwargs.setdefault("base_dir", Path(path).resolve().parent)
    return load_document(doc, **kwargs)


@functools.cache
def shipped_library() -> Library:
    """The shipped 1.0 library, loaded once per process."""
    return load_file(SHIPPED_FILE)


@functools.cache
def library_for(framework_version: str) -> Library:
    """The library a round on framework ``framework_version`` is planned with, loaded once per process.

    :data:`LIBRARY_FILES` names one per framework version; any other version (a test's framework,
    a future version before its library ships) gets the 1.0 library, as every round did before 2.0.
    """
    path = LIBRARY_FILES.get(framework_version, SHIPPED_FILE)
    return shipped_library() if path == SHIPPED_FILE else load_file(path)

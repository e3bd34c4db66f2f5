"""Loads and validates the evidence rules (``measurement/rules/evidence-<framework>-<version>.toml``).

A rules file says, for some questions of one framework version, what the KPI register must hold
for each level (issue #18; the comparison is ``measurement/domain/claims.py``). It is versioned
with the framework it is written for, and bilingual: each requirement carries the explanation
people read ("missing: a transactional metric … with its sample size in the last 12 months").

Shape (TOML)::

    schema = "cxgov.evidence-rules/1"
    framework = "cx-governance"         # the framework's key and version: the question and
    version = "2.0"                     # dimension keys are checked against it
    window_months = 12                  # how far back from the round's close a value counts

    [requirements.relationship_sampled] # a key of your choosing, named in exports ("missing")
    kind = "metric"                     # one of `metrics` has `periods` periods in the window,
    metrics = ["nps"]                   # with their sample size when `sample_size` (default true)
    periods = 1                         # (default 1)
    explanation.fr = "…"
    explanation.en = "…"

    [requirements.financial_link]
    kind = "financial_link"             # the KPI tree links a measured driver (`drivers`, default
    drivers = ["nps", "csat"]           # any) to a financial KPI (`financial`, default any) with
    financial = ["retention_rate"]      # `periods` periods in the window
    explanation.fr = "…"
    explanation.en = "…"

    [questions."D7.3"]                  # a question of the framework: level (2–5) → requirement keys
    3 = ["relationship_sampled", "transactional_sampled"]
    4 = ["relationship_trend", "transactional_trend", "financial_link"]

    [dimensions.D7]                     # a dimension rated ≥ 4 while one of these KPIs fell beyond
    kpis = ["nps", "csat", "ces", "fcr"]  # noise is flagged as optimistic

Levels are cumulative: level 4 is supported only when the requirements of levels 2, 3 and 4 hold.

The file is checked whole and refused whole (:class:`RulesError`), every problem named with its
path: unknown keys anywhere, metrics that are not the register's (``metrics.ALL_METRICS``),
financial KPIs that are not financial (``FINANCIAL_METRICS``), a sample size asked of a financial
KPI (they have none), drivers and KPIs the KPI tree never links, levels other than 1–5 (and level 1,
which is the floor and needs nothing), questions and dimensions the framework does not have,
requirement keys that are not defined, definitions no question uses, and explanations missing a
language. The framework's keys come from the database when it is imported there, else from its
shipped file (``assessments/frameworks/<key>-<version>.json``), so the shipped rules are checked
without a database too.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessments.frameworks.loader import FRAMEWORK_DIR
from assessments.models import Framework

from .domain.claims import (
    LEVEL_MAX,
    LEVEL_MIN,
    EvidenceRules,
    FinancialLinkRequirement,
    MetricRequirement,
    QuestionRule,
    Requirement,
)
from .domain.metrics import ALL_METRICS, FINANCIAL_METRICS, KPI_TREE

SCHEMA = "cxgov.evidence-rules/1"
RULES_DIR = Path(__file__).resolve().parent / "rules"
LANGUAGES = ("fr", "en")
MAX_WINDOW_MONTHS = 60

TOP_KEYS = ("schema", "framework", "version", "window_months", "requirements", "questions", "dimensions")
KIND_KEYS = {
    "metric": ("kind", "metrics", "periods", "sample_size", "explanation"),
    "financial_link": ("kind", "drivers", "financial", "periods", "explanation"),
}
DIMENSION_KEYS = ("kpis",)
REQUIREMENT_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# A framework key or version that names a file of its folder, never a path.
_FILE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class RulesError(Exception):
    """The rules were refused; ``problems`` names every problem with its path."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FrameworkKeys:
    """What a rules file is checked against: question key → dimension key, and the dimension keys."""

    questions: Mapping[str, str]
    dimensions: frozenset[str]


@dataclass(frozen=True)
class LoadedRules:
    """A validated rules file: the domain's rules and the explanation of each requirement."""

    framework: str
    version: str
    rules: EvidenceRules
    explanations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # requirement key → {fr, en}

    def explanation(self, key: str, language: str) -> str:
        texts = self.explanations[key]
        return texts.get(language) or texts["fr"]


# --------------------------------------------------------------------------- the framework's keys


def _keys_from_document(doc: Any) -> FrameworkKeys:
    questions = {
        str(q["key"]): str(d["key"])
        for d in doc.get("dimensions", [])
        if isinstance(d, dict)
        for q in d.get("questions", [])
        if isinstance(q, dict) and "key" in q
    }
    dimensions = frozenset(str(d["key"]) for d in doc.get("dimensions", []) if isinstance(d, dict) and "key" in d)
    return FrameworkKeys(questions, dimensions)


def framework_keys(key: str, version: str) -> FrameworkKeys | None:
    """The framework's question and dimension keys: from the database when imported, else its shipped file."""
    framework = Framework.objects.filter(key=key, version=version).first()
    if framework is not None:
        return FrameworkKeys(
            dict(framework.questions.values_list("key", "dimension__key")),
            frozenset(framework.dimensions.values_list("key", flat=True)),
        )
    return shipped_keys(key, version)


def shipped_keys(key: str, version: str) -> FrameworkKeys | None:
    """The question and dimension keys of a framework's shipped file, or None without one."""
    if not (_FILE_NAME_RE.match(key) and _FILE_NAME_RE.match(version)):
        return None  # never a path: the names come from the rules file
    shipped = FRAMEWORK_DIR / f"{key}-{version}.json"
    if not shipped.is_file():
        return None
    return _keys_from_document(json.loads(shipped.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- checks


class _Checks:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def table(self, value: object, path: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.add(path, "expected a table")
            return None
        return value

    def unknown_keys(self, value: Mapping[str, Any], allowed: Collection[str], path: str) -> None:
        for extra in sorted(set(value) - set(allowed)):
            self.add(_join(path, extra), "unknown key")

    def metric_list(self, value: object, path: str, *, allowed: Collection[str], what: str, required: bool) -> tuple[str, ...]:
        if value is None:
            if required:
                self.add(path, f"missing: a list of {what}")
            return ()
        if not isinstance(value, list) or not value:
            self.add(path, f"expected a non-empty list of {what}")
            return ()
        kept: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or item not in ALL_METRICS:
                self.add(f"{path}[{i}]", f"unknown metric {item!r} (known: {', '.join(ALL_METRICS)})")
            elif item not in allowed:
                self.add(f"{path}[{i}]", f"{item!r} is not {what}")
            elif item in kept:
                self.add(f"{path}[{i}]", f"{item!r} is listed twice")
            else:
                kept.append(item)
        return tuple(kept)

    def positive(self, value: object, path: str, *, default: int, maximum: int) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
            self.add(path, f"expected a whole number from 1 to {maximum}, got {value!r}")
            return default
        return value

    def explanation(self, value: object, path: str) -> dict[str, str]:
        if not isinstance(value, dict):
            self.add(path, "missing: an explanation in French and in English (explanation.fr, explanation.en)")
            return {}
        self.unknown_keys(value, LANGUAGES, path)
        texts = {}
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.add(f"{path}.{language}", "missing: a non-empty text")
            else:
                texts[language] = text.strip()
        return texts


def _join(path: str, key: str) -> str:
    # Keys with dots (question keys) are quoted, as TOML writes them.
    return f'{path}."{key}"' if "." in key or not key else f"{path}.{key}"


def _requirement(c: _Checks, key: str, raw: object, path: str, window: int) -> tuple[Requirement | None, dict[str, str]]:
    if not REQUIREMENT_KEY_RE.match(key):
        c.add(path, "a requirement key is lower-case letters, digits and '_', starting with a letter")
    table = c.table(raw, path)
    if table is None:
        return None, {}
    kind = table.get("kind")
    if kind not in KIND_KEYS:
        c.add(f"{path}.kind", f"expected one of {', '.join(KIND_KEYS)}, got {kind!r}")
        return None, c.explanation(table.get("explanation"), f"{path}.explanation")
    c.unknown_keys(table, KIND_KEYS[kind], path)
    periods = c.positive(table.get("periods"), f"{path}.periods", default=1, maximum=window)
    texts = c.explanation(table.get("explanation"), f"{path}.explanation")
    if kind == "metric":
        metrics = c.metric_list(table.get("metrics"), f"{path}.metrics", allowed=ALL_METRICS, what="metrics", required=True)
        sample_size = table.get("sample_size", True)
        if not isinstance(sample_size, bool):
            c.add(f"{path}.sample_size", f"expected true or false, got {sample_size!r}")
            sample_size = True
        if sample_size:
            for i, metric in enumerate(table.get("metrics") or []):
                if metric in FINANCIAL_METRICS:
                    c.add(f"{path}.metrics[{i}]", f"a financial KPI ({metric}) has no sample size: set sample_size = false")
        return MetricRequirement(key, metrics, periods, sample_size), texts
    drivers = c.metric_list(
        table.get("drivers"), f"{path}.drivers", allowed=tuple(KPI_TREE), what="a driver of the KPI tree", required=False
    )
    financial = c.metric_list(
        table.get("financial"), f"{path}.financial", allowed=FINANCIAL_METRICS, what="a financial KPI", required=False
    )
    requirement = FinancialLinkRequirement(key, drivers, financial, periods)
    if not requirement.links():
        c.add(path, "the KPI tree links none of these drivers to any of these financial KPIs")
    return requirement, texts


def _levels(c: _Checks, raw: object, path: str, defined: Mapping[str, Requirement]) -> dict[int, tuple[Requirement, ...]]:
    table = c.table(raw, path)
    if table is None:
        return {}
    if not table:
        c.add(path, "expected at least one level (2–5) with its requirements")
    levels: dict[int, tuple[Requirement, ...]] = {}
    for name, keys in table.items():
        at = _join(path, name)
        if not re.fullmatch(r"[0-9]+", name) or not LEVEL_MIN <= int(name) <= LEVEL_MAX:
            c.add(at, f"unknown level {name!r} (levels are {LEVEL_MIN}–{LEVEL_MAX})")
            continue
        if int(name) == LEVEL_MIN:
            c.add(at, "level 1 is the floor: it needs no evidence")
            continue
        if not isinstance(keys, list) or not keys:
            c.add(at, "expected a non-empty list of requirement keys")
            continue
        found: list[Requirement] = []
        for i, key in enumerate(keys):
            if not isinstance(key, str) or key not in defined:
                c.add(f"{at}[{i}]", f"unknown requirement {key!r}")
            elif any(r.key == key for r in found):
                c.add(f"{at}[{i}]", f"{key!r} is listed twice")
            else:
                found.append(defined[key])
        levels[int(name)] = tuple(found)
    return dict(sorted(levels.items()))


def _header(c: _Checks, doc: Mapping[str, Any]) -> tuple[str, str, int]:
    c.unknown_keys(doc, TOP_KEYS, "$")
    if doc.get("schema") != SCHEMA:
        c.add("$.schema", f"expected {SCHEMA!r}, got {doc.get('schema')!r}")
    key, version = doc.get("framework"), doc.get("version")
    for name, value in (("framework", key), ("version", version)):
        if not isinstance(value, str) or not value:
            c.add(f"$.{name}", "missing: the framework's key and version this file is written for")
    window = c.positive(doc.get("window_months"), "$.window_months", default=12, maximum=MAX_WINDOW_MONTHS)
    return (key if isinstance(key, str) else ""), (version if isinstance(version, str) else ""), window


def parse(doc: Mapping[str, Any], *, keys: FrameworkKeys | None = None) -> LoadedRules:
    """Validate a parsed rules document whole; ``keys`` default to the named framework's (:func:`framework_keys`)."""
    c = _Checks()
    framework, version, window = _header(c, doc)
    if keys is None and framework and version:
        keys = framework_keys(framework, version)
        if keys is None:
            c.add("$.framework", f"unknown framework {framework} {version}")
    defined: dict[str, Requirement] = {}
    explanations: dict[str, dict[str, str]] = {}
    for key, raw in (c.table(doc.get("requirements", {}), "$.requirements") or {}).items():
        requirement, texts = _requirement(c, key, raw, f"$.requirements.{key}", window)
        explanations[key] = texts
        if requirement is not None:
            defined[key] = requirement
    used: set[str] = set()
    rules: list[QuestionRule] = []
    for question, raw in (c.table(doc.get("questions", {}), "$.questions") or {}).items():
        path = _join("$.questions", question)
        if keys is not None and question not in keys.questions:
            c.add(path, f"unknown question {question!r} in {framework} {version}")
        levels = _levels(c, raw, path, defined)
        used.update(r.key for requirements in levels.values() for r in requirements)
        dimension = keys.questions.get(question, "") if keys is not None else ""
        rules.append(QuestionRule(question, dimension, levels))
    for key in sorted(set(defined) - used):
        c.add(f"$.requirements.{key}", "defined but no question uses it")
    dimension_kpis: dict[str, tuple[str, ...]] = {}
    for dimension, raw in (c.table(doc.get("dimensions", {}), "$.dimensions") or {}).items():
        path = _join("$.dimensions", dimension)
        if keys is not None and dimension not in keys.dimensions:
            c.add(path, f"unknown dimension {dimension!r} in {framework} {version}")
        table = c.table(raw, path)
        if table is not None:
            c.unknown_keys(table, DIMENSION_KEYS, path)
            dimension_kpis[dimension] = c.metric_list(
                table.get("kpis"), f"{path}.kpis", allowed=ALL_METRICS, what="metrics", required=True
            )
    if c.problems:
        raise RulesError(c.problems)
    return LoadedRules(framework, version, EvidenceRules(tuple(rules), dimension_kpis, window), explanations)


def load(path: Path, *, keys: FrameworkKeys | None = None) -> LoadedRules:
    """Read and validate a rules file; problems are prefixed with the file's name."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RulesError([f"{path.name}: not a readable TOML file: {error}"]) from None
    try:
        return parse(doc, keys=keys)
    except RulesError as error:
        raise RulesError([f"{path.name}#{problem}" for problem in error.problems]) from None


def rules_file(framework: str, version: str) -> Path | None:
    """The shipped rules of a framework version, or None when it has none."""
    if not (_FILE_NAME_RE.match(framework) and _FILE_NAME_RE.match(version)):
        return None
    path = RULES_DIR / f"evidence-{framework}-{version}.toml"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=16)
def _cached(path: str, mtime_ns: int, keys: tuple[tuple[str, str], ...], dimensions: frozenset[str]) -> LoadedRules:
    return load(Path(path), keys=FrameworkKeys(dict(keys), dimensions))


def rules_for(framework: Framework) -> LoadedRules | None:
    """The validated rules of a round's framework (checked against its keys in the database), or None."""
    path = rules_file(framework.key, framework.version)
    if path is None:
        return None
    questions = tuple(sorted(framework.questions.values_list("key", "dimension__key")))
    dimensions = frozenset(framework.dimensions.values_list("key", flat=True))
    return _cached(str(path), path.stat().st_mtime_ns, questions, dimensions)

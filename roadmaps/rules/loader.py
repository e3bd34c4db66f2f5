"""Loads and checks the RACI proposal rules (``raci.toml``) into the domain's :class:`RaciRules`.

The file is checked whole and refused whole (:class:`RaciRulesError`, every problem named with its
path: ``with_cxo.cx_budget.c[1]: expected a string``): first its shape, then what the domain
requires of a rule set (:func:`roadmaps.domain.raci.check_rules`). The file holds keys only; the
reasons shown beside the proposed cells are interface text (``roadmaps/raci_messages.py``).
Pure apart from reading the file: no database, no Django.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from types import MappingProxyType

from cxgov import schema

from ..domain.raci import check_rules
from ..domain.types import RaciRule, RaciRules, StageRule

SCHEMA = "cxgov.raci-rules/1"
RULES_FILE = Path(__file__).resolve().parent / "raci.toml"
TABLES = ("with_cxo", "without_cxo")
KEY_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"


class RaciRulesError(Exception):
    """The rules file was refused; ``problems`` names every problem with its path."""

    def __init__(self, source: str, problems: list[str]):
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems


def _key() -> schema.Str:
    return schema.Str(blank=False, max_length=40, pattern=KEY_PATTERN, pattern_message="is not a key")


RULE = schema.Obj(
    {
        "a": _key(),
        "r": schema.List(_key(), min_items=1, noun="roles"),
        "c": schema.List(_key(), noun="roles"),
        "inform_others": schema.Bool(optional=True),
    }
)
STAGE_RULE = schema.Obj(
    {
        "dimension": _key(),
        "at_most_stage": schema.Int(minimum=1, maximum=5),
        "activity": _key(),
        "role": _key(),
    }
)
DOCUMENT = schema.Obj(
    {
        "schema": schema.Const(SCHEMA),
        **{name: schema.Map(_key(), RULE) for name in TABLES},
        "weak_dimensions": schema.List(STAGE_RULE, optional=True, noun="rules"),
        "stand_ins": schema.Map(_key(), schema.List(_key(), noun="roles"), optional=True),
    }
)


def load_document(doc: object, source: str = "raci rules") -> RaciRules:
    """The rules of a parsed document; :class:`RaciRulesError` naming every problem otherwise."""
    problems = schema.validate(DOCUMENT, doc)
    if problems:
        raise RaciRulesError(source, problems)
    assert isinstance(doc, dict)  # the schema accepted it as an object
    tables = {
        name: MappingProxyType(
            {
                activity: RaciRule(rule["a"], tuple(rule["r"]), tuple(rule["c"]), rule.get("inform_others", False))
                for activity, rule in doc[name].items()
            }
        )
        for name in TABLES
    }
    rules = RaciRules(
        with_cxo=tables["with_cxo"],
        without_cxo=tables["without_cxo"],
        weak_dimensions=tuple(
            StageRule(s["dimension"], s["at_most_stage"], s["activity"], s["role"]) for s in doc.get("weak_dimensions", [])
        ),
        stand_ins=MappingProxyType({role: tuple(roles) for role, roles in doc.get("stand_ins", {}).items()}),
    )
    problems = list(check_rules(rules))
    if problems:
        raise RaciRulesError(source, problems)
    return rules


def load_file(path: str | Path) -> RaciRules:
    """Reads and loads a rules file; an unreadable or malformed file is a :class:`RaciRulesError` too."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise RaciRulesError(str(path), [f"$: cannot read the file: {error.strerror or error}"]) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RaciRulesError(str(path), [f"$: not valid TOML: {error}"]) from None
    return load_document(doc, str(path))


@functools.cache
def raci_rules() -> RaciRules:
    """The shipped rules, read and checked once per process."""
    return load_file(RULES_FILE)

"""A small validator for the JSON documents cxgov imports (frameworks, organisations).

A schema is a tree of nodes (``Obj``, ``List``, ``Map``, ``Str``, ``Num``, ``Int``, ``Bool``,
``Const``, ``Any``, ``Check``); ``validate(schema, document)`` walks the whole document and
returns every problem as ``"<JSON path>: <message>"`` (``dimensions[0].questions[1].key: …``;
``$`` is the document itself), so an import can refuse a file whole and name everything wrong
with it in one go. Only what the schema declares is accepted: an unknown key is a problem.
Pure Python: nothing here touches the database.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

MISSING = object()  # a key absent from its object (distinct from null)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def child(path: str, key: str) -> str:
    """The path of an object's member: ``a.b``, or ``a['x.y']`` when the key is not a plain name."""
    if not _IDENTIFIER.fullmatch(key):
        return f"{path}[{key!r}]"
    return key if path == "$" else f"{path}.{key}"


def item(path: str, index: int) -> str:
    return f"{path}[{index}]"


class Context:
    """What one validation run shares across nodes: the problems found, and the keys seen per uniqueness scope."""

    def __init__(self):
        self.problems: list[str] = []
        self.seen: dict[str, set] = {}

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")


class Node(ABC):
    """``null`` says whether JSON null is accepted; ``missing`` words the problem when the key is absent."""

    def __init__(self, *, null: bool = False, optional: bool = False, missing: str = "required"):
        self.null, self.optional, self.missing = null, optional, missing

    def check(self, value, path: str, ctx: Context) -> None:
        if value is MISSING:
            if not self.optional:
                ctx.add(path, self.missing)
            return
        if value is None:
            if not self.null:
                ctx.add(path, self.missing if self.missing != "required" else "must not be null")
            return
        self.check_value(value, path, ctx)

    @abstractmethod
    def check_value(self, value, path: str, ctx: Context) -> None:
        """Checks a present, non-null value (each kind of node says what it accepts)."""


class Any(Node):
    """Any JSON value (free-form data such as a snapshot), null included."""

    def __init__(self, **kwargs):
        kwargs.setdefault("null", True)
        super().__init__(**kwargs)

    def check_value(self, value, path, ctx):
        return None


class Const(Node):
    def __init__(self, expected, **kwargs):
        super().__init__(**kwargs)
        self.expected = expected

    def check_value(self, value, path, ctx):
        if value != self.expected:
            ctx.add(path, f"expected {self.expected!r}")


class Bool(Node):
    def check_value(self, value, path, ctx):
        if not isinstance(value, bool):
            ctx.add(path, "expected true or false")


class Str(Node):
    """A string: length bounds, a full-match pattern (``pattern_message`` says what it should look like),
    one of ``choices``, and unique within ``unique`` (a scope name shared by the nodes that must not repeat a value)."""

    def __init__(
        self,
        *,
        max_length: int | None = None,
        blank: bool = True,
        pattern: str | None = None,
        pattern_message: str = "has characters that are not allowed",
        choices: Iterable[str] | None = None,
        unique: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.max_length, self.blank, self.unique = max_length, blank, unique
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_message = pattern_message
        self.choices = tuple(choices) if choices is not None else None

    def check_value(self, value, path, ctx):
        if not isinstance(value, str):
            ctx.add(path, "expected a string")
            return
        if not self.blank and not value.strip():
            ctx.add(path, self.missing if self.missing != "required" else "must not be empty")
            return
        if self.max_length is not None and len(value) > self.max_length:
            ctx.add(path, f"longer than {self.max_length} characters ({len(value)})")
            return
        if self.choices is not None and value not in self.choices:
            ctx.add(path, f"unknown value {value!r} (expected one of {', '.join(repr(c) for c in self.choices)})")
            return
        if self.pattern is not None and not self.pattern.fullmatch(value):
            ctx.add(path, f"{value!r} {self.pattern_message}")
            return
        if self.unique is not None:
            seen = ctx.seen.setdefault(self.unique, set())
            if value in seen:
                ctx.add(path, f"duplicate key {value!r}")
            seen.add(value)


class Num(Node):
    """A JSON number (not a boolean) within [minimum, maximum], with at most ``places`` decimals when given."""

    def __init__(self, *, minimum=None, maximum=None, places: int | None = None, integer: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.places, self.integer = minimum, maximum, places, integer

    def check_value(self, value, path, ctx):
        kinds = (int,) if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or (isinstance(value, float) and not math.isfinite(value)):
            ctx.add(path, "expected a whole number" if self.integer else "expected a number")
            return
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            ctx.add(path, f"{value!r} is outside {self.minimum}…{self.maximum}")
            return
        if self.places is not None and Decimal(repr(value)).as_tuple().exponent < -self.places:
            ctx.add(path, f"{value!r} has more than {self.places} decimal places")


def Int(**kwargs) -> Num:  # noqa: N802 (reads as a node type, like the classes)
    return Num(integer=True, **kwargs)


class Obj(Node):
    """An object with exactly the declared members (absent ones are checked as MISSING: optional or not)."""

    def __init__(self, fields: Mapping[str, Node], *, unknown: str = "unknown field", **kwargs):
        super().__init__(**kwargs)
        self.fields, self.unknown = fields, unknown

    def check_value(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.add(path, "expected an object")
            return
        for key, node in self.fields.items():
            node.check(value.get(key, MISSING), child(path, key), ctx)
        for key in value:
            if key not in self.fields:
                ctx.add(child(path, str(key)), self.unknown)


class Map(Node):
    """An object used as a dictionary: every key checked by ``keys`` (a Str, or a node combining one with a rule), every value by ``values``."""

    def __init__(self, keys: Node, values: Node, **kwargs):
        super().__init__(**kwargs)
        self.keys, self.values = keys, values

    def check_value(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.add(path, "expected an object")
            return
        for key, member in value.items():
            self.keys.check(key, child(path, key), ctx)
            self.values.check(member, child(path, key), ctx)


class List(Node):
    """A list: ``length`` exactly (worded with ``noun``: "4 levels, expected 5") or between the bounds;
    ``numbered`` names a member that must be the 1-based position of each item."""

    def __init__(
        self,
        items: Node,
        *,
        length: int | None = None,
        min_items: int = 0,
        max_items: int | None = None,
        noun: str = "items",
        numbered: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.items, self.length, self.min_items, self.max_items = items, length, min_items, max_items
        self.noun, self.numbered = noun, numbered

    def check_value(self, value, path, ctx):
        if not isinstance(value, list):
            ctx.add(path, "expected a list" if self.min_items == 0 else "expected a non-empty list")
            return
        if self.length is not None and len(value) != self.length:
            ctx.add(path, f"{len(value)} {self.noun}, expected {self.length}")
            return
        if len(value) < self.min_items:
            ctx.add(
                path,
                "expected a non-empty list"
                if self.min_items == 1
                else f"{len(value)} {self.noun}, expected at least {self.min_items}",
            )
            return
        if self.max_items is not None and len(value) > self.max_items:
            ctx.add(path, f"{len(value)} {self.noun}, expected at most {self.max_items}")
            return
        for index, member in enumerate(value):
            self.items.check(member, item(path, index), ctx)
            if self.numbered and isinstance(member, dict) and member.get(self.numbered) != index + 1:
                ctx.add(child(item(path, index), self.numbered), f"expected {index + 1}")


class Check(Node):
    """A rule the other nodes cannot say: ``rule(value)`` returns a problem (a string) or None."""

    def __init__(self, rule: Callable[[object], str | None], **kwargs):
        super().__init__(**kwargs)
        self.rule = rule

    def check_value(self, value, path, ctx):
        problem = self.rule(value)
        if problem:
            ctx.add(path, problem)


class All(Node):
    """Every node in turn (a shape, then a rule that relies on it), stopping at the first that finds a problem."""

    def __init__(self, *nodes: Node, **kwargs):
        super().__init__(**kwargs)
        self.nodes = nodes

    def check_value(self, value, path, ctx):
        for node in self.nodes:
            before = len(ctx.problems)
            node.check(value, path, ctx)
            if len(ctx.problems) > before:
                return


def nul_problems(document, path: str = "$") -> list[str]:
    """Every string (key or value) holding a NUL character: PostgreSQL can neither store nor compare one."""
    problems = []
    if isinstance(document, str):
        if "\x00" in document:
            problems.append(f"{path}: contains a NUL character")
    elif isinstance(document, dict):
        for key, value in document.items():
            member = child(path, str(key))  # a key that is not a plain name is written with repr: a NUL shows as \x00
            if isinstance(key, str) and "\x00" in key:
                problems.append(f"{member}: the key contains a NUL character")
            problems += nul_problems(value, member)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            problems += nul_problems(value, item(path, index))
    return problems


def validate(schema: Node, document, *, path: str = "$", ctx: Context | None = None) -> list[str]:
    """Every problem of ``document`` against ``schema``; an empty list when it is valid.

    NUL characters are refused first, on their own: the schema's rules may look values up in the database.
    """
    nul = nul_problems(document, path)
    if nul:
        return nul
    ctx = ctx or Context()
    schema.check(document, path, ctx)
    return ctx.problems

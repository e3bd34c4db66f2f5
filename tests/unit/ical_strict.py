"""A strict reader of RFC 5545 text for the tests: it refuses what a lenient parser would let pass.

CRLF line ends only, physical lines of 75 octets at most, unfolding of one leading space or tab,
``name *(";" param) ":" value`` content lines with quoted or plain parameter values, TEXT
unescaping, and BEGIN/END nesting. The project ships no iCalendar library; this is the check of
record, next to `icalendar` when it is installed (tests/unit/test_governance_ics.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NAME = re.compile(r"[A-Za-z0-9-]+")
PARAM_TEXT = re.compile(r'[^";:,\x00-\x08\x0a-\x1f\x7f]*')
QUOTED = re.compile(r'"[^"\x00-\x08\x0a-\x1f\x7f]*"')
TEXT_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


class StrictError(ValueError):
    pass


@dataclass
class Line:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    lines: list[Line] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def all(self, name: str) -> list[Line]:
        return [line for line in self.lines if line.name == name]

    def one(self, name: str) -> Line:
        found = self.all(name)
        if len(found) != 1:
            raise StrictError(f"{self.name}: {len(found)} {name} properties, expected one")
        return found[0]

    def child(self, name: str) -> Component:
        found = [c for c in self.children if c.name == name]
        if len(found) != 1:
            raise StrictError(f"{self.name}: {len(found)} {name} components, expected one")
        return found[0]


def unfold(data: bytes) -> list[str]:
    if not data.endswith(b"\r\n"):
        raise StrictError("the file does not end with CRLF")
    physical = data[:-2].split(b"\r\n")
    logical: list[bytes] = []
    for number, raw in enumerate(physical, 1):
        if b"\r" in raw or b"\n" in raw:
            raise StrictError(f"line {number}: a bare CR or LF")
        if len(raw) > 75:
            raise StrictError(f"line {number}: {len(raw)} octets, more than 75")
        if raw[:1] in (b" ", b"\t"):
            if not logical:
                raise StrictError("the file starts with a continuation line")
            logical[-1] += raw[1:]
        else:
            logical.append(raw)
    # Decoded only once unfolded: a fold may not split a character, which decoding each line would miss.
    for number, raw in enumerate(physical, 1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise StrictError(f"line {number}: a fold splits a UTF-8 character") from error
    return [line.decode("utf-8") for line in logical]


def parse_line(text: str) -> Line:
    match = NAME.match(text)
    if not match:
        raise StrictError(f"no property name: {text!r}")
    name, pos = match.group(0).upper(), match.end()
    params: dict[str, str] = {}
    while pos < len(text) and text[pos] == ";":
        pos += 1
        key = NAME.match(text, pos)
        if not key or text[key.end() : key.end() + 1] != "=":
            raise StrictError(f"{name}: bad parameter at {pos}: {text!r}")
        pos = key.end() + 1
        quoted = QUOTED.match(text, pos)
        value_match = quoted if quoted else PARAM_TEXT.match(text, pos)
        assert value_match is not None
        value = value_match.group(0)
        params[key.group(0).upper()] = value[1:-1] if quoted else value
        pos = value_match.end()
    if pos >= len(text) or text[pos] != ":":
        raise StrictError(f"{name}: expected ':' at {pos}: {text!r}")
    value = text[pos + 1 :]
    if re.search(r"[\x00-\x08\x0a-\x1f\x7f]", value):
        raise StrictError(f"{name}: a control character in the value")
    return Line(name, params, value)


def unescape(value: str) -> str:
    def one(match: re.Match) -> str:
        char = match.group(1)
        if char in "nN":
            return "\n"
        if char in "\\;,":
            return char
        raise StrictError(f"unknown escape \\{char}")

    if re.search(r"(?<!\\)(?:\\\\)*[;,]", value):
        raise StrictError(f"an unescaped ';' or ',' in a TEXT value: {value!r}")
    return TEXT_ESCAPE.sub(one, value)


def parse(data: bytes) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for text in unfold(data):
        line = parse_line(text)
        if line.name == "BEGIN":
            component = Component(line.value.upper())
            if stack:
                stack[-1].children.append(component)
            elif root is not None:
                raise StrictError("two top-level components")
            else:
                root = component
            stack.append(component)
        elif line.name == "END":
            if not stack or stack[-1].name != line.value.upper():
                raise StrictError(f"END:{line.value} does not close {stack[-1].name if stack else 'anything'}")
            stack.pop()
        else:
            if not stack:
                raise StrictError(f"{line.name} outside any component")
            stack[-1].lines.append(line)
    if stack or root is None:
        raise StrictError("unclosed component")
    return root

"""Every translatable string is one xgettext can extract: no gettext call inside an f-string.

`makemessages` runs xgettext, which does not read the expressions of an f-string: a
`f"1 · {pgettext('importance', 'Low')}"` never reaches the catalogue and shows in English on French
pages, with no test failing. This walks the apps' code for such calls.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy", "npgettext"}
SKIP = {".venv", "tests", "bench", "node_modules", "migrations"}


def calls_inside_fstrings(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in GETTEXT:
                    lines.append(inner.lineno)
    return lines


def test_no_gettext_call_hides_inside_an_f_string():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in calls_inside_fstrings(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_check_sees_one():
    assert calls_inside_fstrings("x = f\"1 · {pgettext('importance', 'Low')}\"\n") == [1]
    assert calls_inside_fstrings("low = pgettext('importance', 'Low')\nx = f'1 · {low}'\n") == []

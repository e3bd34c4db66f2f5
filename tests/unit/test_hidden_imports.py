"""No lower layer reaches a higher app through a string import the contracts cannot see.

import-linter (pyproject.toml) checks `import` statements only: `__import__("benchmarks.services")`
or `importlib.import_module("roadmaps.…")` in assessments would climb the layers unseen. A lower
layer emits a signal instead (organisations/signals.py, assessments/signals.py).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["cxgov", "outbox", "accounts", "audit", "organisations", "assessments"]
ABOVE = {
    "cxgov": set(LAYERS[1:]) | {"roadmaps", "measurement", "benchmarks", "workspace", "reports", "sharing", "privacy"},
}
for index, layer in enumerate(LAYERS[1:], start=1):
    ABOVE[layer] = set(LAYERS[index + 1 :]) | {
        "roadmaps",
        "measurement",
        "benchmarks",
        "workspace",
        "reports",
        "sharing",
        "privacy",
    }


def string_imports(source: str) -> list[str]:
    """The constant module names given to __import__ or import_module."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if called in ("__import__", "import_module"):
                names += [a.value for a in node.args[:1] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return names


def test_the_check_sees_both_shapes():
    source = 'x = __import__("benchmarks.services").services\nimportlib.import_module("roadmaps.exports")\n'
    assert sorted(string_imports(source)) == ["benchmarks.services", "roadmaps.exports"]


def test_no_lower_layer_imports_a_higher_app_by_name():
    offenders = []
    for layer, above in ABOVE.items():
        for path in sorted((ROOT / layer).rglob("*.py")):
            if "migrations" in path.parts or "settings" in path.parts:
                continue
            for name in string_imports(path.read_text(encoding="utf-8")):
                if name.split(".")[0] in above:
                    offenders.append((path.relative_to(ROOT).as_posix(), name))
    assert offenders == []

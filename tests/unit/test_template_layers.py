"""Templates follow the import layers: a lower app's page never includes or extends a higher app's template.

import-linter sees Python imports only. A template of `assessments/` that includes
`workspace/_something.html` couples the lower app to the higher one just as an import would (it
breaks when workspace changes, and it reads workspace's models through attribute lookups), so the
same floor plan is checked here, read from the layers contract in pyproject.toml.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
REFERENCE = re.compile(r"""{%\s*(?:include|extends)\s+["']([a-z_]+)/""")


def layer_ranks() -> dict[str, int]:
    """Each app's rank, 0 at the bottom; apps in one layer ("roadmaps | benchmarks") share a rank."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    ranks = {}
    for rank, layer in enumerate(reversed(layers)):
        for app in layer.split("|"):
            ranks[app.strip().strip("()")] = rank
    return ranks


def upward_references(ranks: dict[str, int], templates: Path = TEMPLATES) -> list[str]:
    offenders = []
    for path in sorted(templates.rglob("*.html")) + sorted(templates.rglob("*.txt")):
        owner = path.relative_to(templates).parts[0]
        if owner not in ranks:
            continue  # base.html, partials/: shared by every layer, they include no app's template
        for referenced in REFERENCE.findall(path.read_text(encoding="utf-8")):
            if referenced in ranks and ranks[referenced] > ranks[owner]:
                offenders.append(f"{path.relative_to(templates)} -> {referenced}/")
    return offenders


def test_the_layers_are_read_from_the_contract():
    ranks = layer_ranks()
    assert ranks["workspace"] > ranks["assessments"] > ranks["organisations"]
    assert ranks["roadmaps"] == ranks["benchmarks"]


def test_no_template_includes_or_extends_a_higher_apps_template():
    assert upward_references(layer_ranks()) == []


def test_an_upward_include_is_caught(tmp_path):
    (tmp_path / "assessments").mkdir()
    (tmp_path / "assessments" / "page.html").write_text('{% include "workspace/_part.html" %}', encoding="utf-8")
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "page.html").write_text("{% extends 'assessments/base.html' %}", encoding="utf-8")
    assert upward_references(layer_ranks(), tmp_path) == ["assessments/page.html -> workspace/"]

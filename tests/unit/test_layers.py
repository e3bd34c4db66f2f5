"""Every */domain/*.py module is pure: no Django, no clock, no I/O (ARCHITECTURE.md, "Layers")."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"django", "celery", "requests", "socket", "subprocess", "time", "datetime.datetime.now"}


def domain_modules():
    return sorted(p for p in ROOT.glob("*/domain/*.py") if ".venv" not in p.parts)


def test_there_are_domain_modules():
    assert {p.parent.parent.name for p in domain_modules()} >= {"assessments", "roadmaps", "measurement"}


def test_domain_modules_import_nothing_impure():
    offenders = []
    for path in domain_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                offenders.append(f"{path.relative_to(ROOT)}: open()")
    assert offenders == []

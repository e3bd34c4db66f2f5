"""No circles: between the project's modules, nor between its apps' models.

Layers (tests/unit/test_import_contracts.py) keep apps in order; inside one app, or across apps
through lazy imports, two modules that import each other still tie themselves into one, and
Python resolves such a knot only by the order modules happen to load. Models have their own
arrows, invisible to import checks because a ForeignKey may name its model as a string
("assessments.Round"): a circle of them means no app's tables can be migrated, exported or
deleted without the other's.
"""

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp
import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def project_apps() -> set[str]:
    """The installed apps that live in this repository (not Django's own, not third-party ones)."""
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).relative_to(ROOT).parts
    }


# The contracts' packages (the kernel among them) and every app installed, listed there or not yet.
PACKAGES = sorted(
    set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["root_packages"])
    | {name.split(".")[0] for name in project_apps()}
)


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The circles of a directed graph: its strongly connected components of more than one node.

    Tarjan's algorithm, iterative so that a long chain of modules cannot exhaust the recursion limit.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for start in sorted(edges):
        if start in index:
            continue
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(edges.get(start, ()))))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        circles.append(sorted(component))
    return circles


def describe(circle: list[str], edges: Mapping[str, Iterable[str]], labels: Mapping[tuple[str, str], str] | None = None):
    """The arrows inside one circle, for the failure message."""
    members = set(circle)
    arrows = []
    for source in circle:
        for target in sorted(set(edges.get(source, ())) & members):
            label = (labels or {}).get((source, target))
            arrows.append(f"{source} -> {target}" + (f" ({label})" if label else ""))
    return arrows


def test_the_circle_finder_sees_circles_and_only_circles():
    edges = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": [], "f": ["f", "a"]}
    assert strongly_connected(edges) == [["a", "b", "c"]]
    assert strongly_connected({"x": ["y"], "y": ["x"], "z": ["y"]}) == [["x", "y"]]
    assert strongly_connected({"x": ["y"], "y": []}) == []


# ------------------------------------------------------------------ modules


def module_edges(graph) -> dict[str, set[str]]:
    """Every import between two of the project's modules.

    A package importing its own children (an ``__init__`` re-exporting them) is left out: Python
    runs the package before any child anyway, so that arrow adds no order of its own.
    """
    ours = {m for m in graph.modules if m.split(".")[0] in PACKAGES}
    edges: dict[str, set[str]] = {}
    for importer in ours:
        edges[importer] = {
            imported
            for imported in graph.find_modules_directly_imported_by(importer) & ours
            if not imported.startswith(importer + ".")
        }
    return edges


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_the_graph_covers_every_app(graph):
    assert {m.split(".")[0] for m in graph.modules} >= set(PACKAGES)


def test_no_two_modules_import_each_other_even_through_others(graph):
    edges = module_edges(graph)
    assert [describe(circle, edges) for circle in strongly_connected(edges)] == []


def test_the_module_check_sees_a_circle_through_a_function_local_import():
    graph = grimp.ImportGraph()
    for module in ("assessments", "assessments.services", "assessments.tasks", "assessments.models"):
        graph.add_module(module)
    graph.add_import(importer="assessments.tasks", imported="assessments.services")
    graph.add_import(importer="assessments.services", imported="assessments.tasks")  # the lazy one
    graph.add_import(importer="assessments", imported="assessments.models")  # a package's own child: not a circle
    graph.add_import(importer="assessments.models", imported="assessments")
    assert strongly_connected(module_edges(graph)) == [["assessments.services", "assessments.tasks"]]


# ------------------------------------------------------------------ models


def model_edges() -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """App → app for every relation a model of one of our apps holds to a model of another of ours.

    Relations to Django's own apps (auth, contenttypes) and to third-party apps are left out: they
    never point back at us.
    """
    ours = {config.label for config in apps.get_app_configs() if config.name in project_apps()}
    edges: dict[str, set[str]] = {label: set() for label in ours}
    labels: dict[tuple[str, str], str] = {}
    for model in apps.get_models(include_auto_created=True):
        source = model._meta.app_label
        if source not in ours:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model):
                continue
            target = field.related_model._meta.app_label
            if target in ours and target != source:
                edges[source].add(target)
                named = f"{model.__name__}.{field.name}"
                labels[(source, target)] = f"{labels[(source, target)]}, {named}" if (source, target) in labels else named
    return edges, labels


def test_the_model_graph_covers_the_apps_with_relations():
    edges, _labels = model_edges()
    assert {"assessments", "organisations", "roadmaps"} <= set(edges)
    assert "organisations" in edges["assessments"]  # Round.organisation


def test_no_circle_between_the_models_of_two_apps():
    edges, labels = model_edges()
    assert [describe(circle, edges, labels) for circle in strongly_connected(edges)] == []

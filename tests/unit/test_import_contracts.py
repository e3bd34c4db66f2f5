"""The import contracts (pyproject.toml, ``[tool.importlinter]``) catch an arrow that climbs.

``lint-imports`` runs on a copy of the project's packages, once as it is (every contract kept) and
once per probe: a module added or changed in the copy with an import its layer forbids. Each probe
must fail the check and name the contract it breaks, so a contract that silently stopped matching
anything (a renamed layer, a typo in a module name) fails here rather than letting arrows through.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contract_named(kind: str, *, containing: str) -> str:
    """The name of the contract of type ``kind`` whose definition mentions ``containing``."""
    names = [c["name"] for c in CONFIG["contracts"] if c["type"] == kind and containing in str(c)]
    assert len(names) == 1, (kind, containing, names)
    return names[0]


# (file in the copy, line appended to it, the contract it must break)
PROBES = {
    "tenancy imports a consumer": (
        "organisations/_probe.py",
        "import roadmaps.models\n",
        contract_named("layers", containing="organisations"),
    ),
    "plumbing imports tenancy": (
        "outbox/_probe.py",
        "from organisations import selectors\n",
        contract_named("layers", containing="outbox"),
    ),
    "the kernel imports an app": (
        "cxgov/numbers.py",
        "\nimport assessments.models\n",
        contract_named("forbidden", containing="cxgov.numbers"),
    ),
    "a domain rule imports Django": (
        "assessments/domain/_probe.py",
        "import django.db\n",
        contract_named("forbidden", containing="assessments.domain"),
    ),
}


def copy_project(destination: Path) -> Path:
    """The root packages' Python files and pyproject.toml, nothing else (templates and data are not imports)."""
    keep_python = shutil.ignore_patterns("__pycache__", "*.pyc")

    def ignore(directory, names):
        ignored = set(keep_python(directory, names))
        return ignored | {n for n in names if not n.endswith(".py") and not (Path(directory) / n).is_dir()}

    for package in CONFIG["root_packages"]:
        shutil.copytree(ROOT / package, destination / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    # --no-cache: the copy is thrown away, and a cache left by the real tree must not answer for it.
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", "pyproject.toml", "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_app_of_the_project_is_under_contract():
    """A new app left out of ``root_packages`` would be invisible to every contract."""
    ours = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).relative_to(ROOT).parts
    }
    assert ours - set(CONFIG["root_packages"]) == set()
    layered = {name for c in CONFIG["contracts"] if c["type"] == "layers" for layer in c["layers"] for name in layer.split(" | ")}
    assert ours - layered == set()


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def test_the_contracts_hold_on_the_project_as_it_is(project):
    done = lint_imports(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(CONFIG['contracts'])} kept, 0 broken." in done.stdout


@pytest.mark.parametrize("probe", PROBES)
def test_an_import_against_the_floor_plan_fails_the_check(project, probe):
    path, line, contract = PROBES[probe]
    with (project / path).open("a", encoding="utf-8") as module:
        module.write(line)
    done = lint_imports(project)
    assert done.returncode != 0, done.stdout
    assert f"{contract} BROKEN" in done.stdout, done.stdout
    importer = path.removesuffix(".py").replace("/", ".")
    assert importer in done.stdout, done.stdout

"""Tenancy knows nothing of what it guards: organisations never imports or references an app above it.

Data flows down (ARCHITECTURE.md, "Layers"): a higher app listens to organisations' signals and
registries (organisations/signals.py, impact.py, undo.py, invitation_extras.py). No reference up is
allowed, not even a lazy one: an import inside a function, a model named as "app.Model", or a page
named as "app:url_name" (the pages organisations leads to but does not own are named in settings).
The consultancy features that once reached up (engagement templates, the consultant's home, an
organisation's rounds) live in workspace, above assessments (issue #14).
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HIGHER_APPS = {
    "assessments",
    "roadmaps",
    "measurement",
    "benchmarks",
    "governance",
    "workspace",
    "reports",
    "sharing",
    "privacy",
    "demo",
}
LAZY_MODEL = re.compile(r"^(" + "|".join(sorted(HIGHER_APPS)) + r")\.[A-Z]\w*$")
URL_NAME = re.compile(r"^(" + "|".join(sorted(HIGHER_APPS)) + r"):\w+$")

# Where an invitation is created, shown, e-mailed and accepted: no upward reference at all.
INVITATION_PATH = {
    "organisations/invitation_extras.py",
    "organisations/models.py",
    "organisations/services.py",
    "organisations/signals.py",
    "organisations/tasks.py",
    "organisations/tokens.py",
    "organisations/views.py",
}
INVITATION_FUNCTIONS = {"member_invite", "invitation_from_token", "invitation_accept", "invitation", "send_member_invitation"}


def upward_references(path: Path, source: str) -> set[tuple[str, str, str]]:
    """(file, function, name) for every import of a higher app, every "app.Model" and every "app:page" naming one."""
    found = set()
    relative = path.relative_to(ROOT).as_posix() if path.is_absolute() else path.as_posix()

    def visit(node, scope):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else scope
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                names = [child.module]
            elif isinstance(child, ast.Call) and getattr(child.func, "attr", getattr(child.func, "id", "")) == "import_module":
                names = [arg.value for arg in child.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            elif isinstance(child, ast.Constant) and isinstance(child.value, str) and LAZY_MODEL.match(child.value):
                names = [child.value]
            elif isinstance(child, ast.Constant) and isinstance(child.value, str) and URL_NAME.match(child.value):
                names = [child.value.split(":")[0]]
            found.update((relative, inner, name) for name in names if name.split(".")[0] in HIGHER_APPS)
            visit(child, inner)

    visit(ast.parse(source), "<module>")
    return found


def organisations_modules():
    return sorted(p for p in (ROOT / "organisations").rglob("*.py") if "migrations" not in p.parts)


def all_upward_references():
    found = set()
    for path in organisations_modules():
        found |= upward_references(path, path.read_text(encoding="utf-8"))
    return found


def test_organisations_references_no_app_above():
    assert all_upward_references() == set()


def test_the_invitation_path_references_no_app_above():
    offenders = {
        ref for ref in all_upward_references() if ref[0] in INVITATION_PATH and ref[1] in INVITATION_FUNCTIONS | {"<module>"}
    }
    assert offenders == set()


def test_the_check_sees_a_lazy_import_and_a_model_reference():
    """The shapes the round invitation once took: an import inside invitation_accept, a ForeignKey string."""
    services = "def invitation_accept():\n    from assessments.enrolment import participant_join\n"
    models = 'round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE)\n'
    assert upward_references(Path("organisations/services.py"), services) == {
        ("organisations/services.py", "invitation_accept", "assessments.enrolment")
    }
    assert upward_references(Path("organisations/models.py"), models) == {
        ("organisations/models.py", "<module>", "assessments.Round")
    }


def test_the_check_sees_the_shapes_the_consultancy_features_took():
    """A template's framework named as a model, the home page reached by its URL name, a chart helper imported late."""
    models = 'framework = models.ForeignKey("assessments.Framework", on_delete=models.PROTECT)\n'
    views = (
        "def create(request):\n    return redirect('workspace:detail', slug=slug)\n"
        "def brand_css(request):\n    from assessments.charts import contrast_ratio\n"
    )
    assert upward_references(Path("organisations/models.py"), models) == {
        ("organisations/models.py", "<module>", "assessments.Framework")
    }
    assert upward_references(Path("organisations/views.py"), views) == {
        ("organisations/views.py", "create", "workspace"),
        ("organisations/views.py", "brand_css", "assessments.charts"),
    }


def test_the_organisation_migrations_do_not_depend_on_round_invitations():
    """Invitation carries no round: no organisations migration may need the assessments app for it."""
    for path in sorted((ROOT / "organisations" / "migrations").glob("*.py")):
        assert "assessments.round" not in path.read_text(encoding="utf-8").lower(), path.name

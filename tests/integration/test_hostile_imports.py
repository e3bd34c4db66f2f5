"""The JSON import commands given NUL bytes, integers beyond 64 bits, 100,000-character strings and
emoji: a CommandError naming the problem (or a clean import), never a traceback, never a NUL stored."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.conftest import require_service
from tests.views.test_hostile_input import stored_nul_bytes

pytestmark = pytest.mark.django_db

HOSTILE_STRINGS = {"nul": "a\x00b", "long": "x" * 100_000, "emoji": "🎯🚀👩🏽‍💼"}
HOSTILE_NUMBERS = {"int32": 2**31, "int64": 2**63, "huge": 10**30, "negative": -(10**30)}


def poisoned(doc, *, strings=None, number=None):
    """A copy of ``doc`` with every string (but keys) replaced or every integer (but booleans) replaced."""
    if isinstance(doc, dict):
        return {key: poisoned(value, strings=strings, number=number) for key, value in doc.items()}
    if isinstance(doc, list):
        return [poisoned(value, strings=strings, number=number) for value in doc]
    if strings is not None and isinstance(doc, str):
        return strings
    if number is not None and isinstance(doc, int) and not isinstance(doc, bool):
        return number
    return doc


def variants(doc):
    for label, value in HOSTILE_STRINGS.items():
        yield f"every string {label}", poisoned(doc, strings=value)
        # Appended rather than replacing: identifiers keep their shape, so the value reaches the writes.
        yield f"{label} appended", poisoned_append(doc, value if label != "long" else "y" * 1000)
    for label, value in HOSTILE_NUMBERS.items():
        yield f"every integer {label}", poisoned(doc, number=value)


def poisoned_append(doc, suffix):
    if isinstance(doc, dict):
        return {key: poisoned_append(value, suffix) for key, value in doc.items()}
    if isinstance(doc, list):
        return [poisoned_append(value, suffix) for value in doc]
    if isinstance(doc, str) and doc and not doc.startswith(("http", "#")) and "@" not in doc:
        return doc + suffix
    return doc


def run_import(command, path, *args):
    try:
        call_command(command, str(path), *args, stdout=StringIO(), stderr=StringIO())
    except CommandError:
        return "refused"
    return "imported"


def check_organisation_import(tmp_path):
    call_command("seed_demo", stdout=StringIO())
    exported = tmp_path / "demo.json"
    call_command("export_organisation", "demo-retail", "--output", str(exported), stdout=StringIO())
    doc = json.loads(exported.read_text())
    for n, (label, hostile) in enumerate(variants(doc)):
        path = tmp_path / f"hostile-{n}.json"
        path.write_text(json.dumps(hostile))
        try:
            run_import("import_organisation", path, "--slug", f"hostile-{n}")
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"import_organisation, {label}: {type(error).__name__}: {str(error)[:200]}")
    assert stored_nul_bytes() == []


def check_framework_import(tmp_path):
    out = StringIO()
    call_command("export_framework", stdout=out)
    doc = json.loads(out.getvalue())
    doc["version"] = "9.9"
    for n, (label, hostile) in enumerate(variants(doc)):
        path = tmp_path / f"framework-{n}.json"
        path.write_text(json.dumps(hostile))
        try:
            run_import("import_framework", path)
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"import_framework, {label}: {type(error).__name__}: {str(error)[:200]}")
    assert stored_nul_bytes() == []


def test_import_organisation_refuses_hostile_values_cleanly(framework, tmp_path):
    check_organisation_import(tmp_path)


def test_import_framework_refuses_hostile_values_cleanly(framework, tmp_path):
    check_framework_import(tmp_path)


@pytest.mark.services
def test_import_framework_refuses_hostile_values_on_postgresql(framework, tmp_path):
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    check_framework_import(tmp_path)


@pytest.mark.services
def test_import_organisation_refuses_hostile_values_on_postgresql(framework, tmp_path):
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    check_organisation_import(tmp_path)

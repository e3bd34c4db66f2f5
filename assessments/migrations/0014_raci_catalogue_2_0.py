"""An already-loaded cx-governance 2.0 gets the RACI catalogue of its shipped file (issue #17).

The file now lists 27 activities and 19 roles (1.0's 14 and 10 among them), the RACI question asks
for the A and names R, C and I, and each letter has a one-line definition. ``migrate`` imports a
framework file only when its version is not stored yet, so a database that loaded 2.0 before this
change would keep the old catalogue (and report on every ``migrate`` that the file differs). This
migration brings that stored 2.0 to the file: missing activities and roles are added, every listed
row takes the file's position and titles, the question and the definitions are the file's. Nothing
is removed: answers and letters point at activities by id, and a row the file does not list (none
is expected) keeps its place after the listed ones. A fresh database has no 2.0 yet when this runs:
nothing to do, ``migrate`` then loads the file as usual.

The file is read as plain JSON (no app code): it is the one source of the catalogue, and a 2.0 that
is already up to date is left as it is, so running this again changes nothing.
"""

import json
from pathlib import Path

from django.db import migrations

KEY, VERSION = "cx-governance", "2.0"
SHIPPED_FILE = Path(__file__).resolve().parents[1] / "frameworks" / "cx-governance-2.0.json"


def shipped_raci() -> dict:
    """The ``raci`` section of the shipped 2.0 file."""
    return json.loads(SHIPPED_FILE.read_text(encoding="utf-8"))["raci"]


def _bring_rows(model, framework, entries: list[dict]) -> int:
    """Adds the missing rows and gives every listed one the file's position and titles; returns how many were added."""
    stored = {row.key: row for row in model.objects.filter(framework=framework)}
    listed = [entry["key"] for entry in entries]
    changed, created = [], []
    for position, entry in enumerate(entries):
        title = entry["title"]
        row = stored.get(entry["key"])
        if row is None:
            created.append(
                model(framework=framework, key=entry["key"], position=position, title_fr=title["fr"], title_en=title["en"])
            )
        elif (row.position, row.title_fr, row.title_en) != (position, title["fr"], title["en"]):
            row.position, row.title_fr, row.title_en = position, title["fr"], title["en"]
            changed.append(row)
    unlisted = sorted((row for key, row in stored.items() if key not in listed), key=lambda row: (row.position, row.key))
    for position, row in enumerate(unlisted, start=len(entries)):
        if row.position != position:
            row.position = position
            changed.append(row)
    model.objects.bulk_update(changed, ["position", "title_fr", "title_en"])
    model.objects.bulk_create(created)
    return len(created)


def catalogue_upgrade(Framework, RaciActivity, RaciRole, raci: dict) -> bool:  # noqa: N803 (models, as migrations name them)
    """Brings the stored cx-governance 2.0 to ``raci`` (a file's ``raci`` section); False when 2.0 is not stored."""
    framework = Framework.objects.filter(key=KEY, version=VERSION).first()
    if framework is None:
        return False
    framework.raci_question_fr = raci["question"]["fr"]
    framework.raci_question_en = raci["question"]["en"]
    framework.raci_definitions = raci.get("definitions")
    framework.save(update_fields=["raci_question_fr", "raci_question_en", "raci_definitions"])
    _bring_rows(RaciActivity, framework, raci["activities"])
    _bring_rows(RaciRole, framework, raci["roles"])
    return True


def forwards(apps, schema_editor):
    catalogue_upgrade(
        apps.get_model("assessments", "Framework"),
        apps.get_model("assessments", "RaciActivity"),
        apps.get_model("assessments", "RaciRole"),
        shipped_raci(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0013_framework_raci_definitions"),
    ]

    # Backwards keeps the catalogue: the rows added may already hold answers, and nothing is removed.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

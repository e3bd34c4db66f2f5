"""A database that loaded cx-governance 2.0 before RACI 2.0 gets the shipped catalogue (assessments 0014).

The test database loads the shipped file whole; it is taken back to the catalogue 2.0 had before
issue #17 (1.0's 14 activities and 10 roles, their old titles, no definitions), with an answer on an
old activity, then the migration's function is run on it: the stored 2.0 must then export exactly
its file, keep the answer, and running it again must change nothing.
"""

import importlib
import json

import pytest

from assessments.frameworks import loader
from assessments.models import Framework, RaciActivity, RaciAnswer, RaciRole
from assessments.services import participant_invite, round_create

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assessments.migrations.0014_raci_catalogue_2_0")
SHIPPED = json.loads((loader.FRAMEWORK_DIR / "cx-governance-2.0.json").read_text(encoding="utf-8"))
OLD_QUESTION = {
    "fr": "Aujourd'hui, qui rend compte en dernier ressort de cette activité, c'est-à-dire qui tranche et en assume "
    "le résultat (le « A » du RACI) ?",
    "en": "Today, who is ultimately accountable for this activity, that is, who has the final say and answers for the "
    'result (the "A" in RACI)?',
}


def v2() -> Framework:
    return Framework.objects.get(key="cx-governance", version="2.0")


def upgrade() -> bool:
    return migration.catalogue_upgrade(Framework, RaciActivity, RaciRole, migration.shipped_raci())


@pytest.fixture
def before_raci_2():
    """The stored 2.0 as it was loaded before issue #17, from 1.0's catalogue (same keys, same order)."""
    old = json.loads((loader.FRAMEWORK_DIR / "cx-governance-1.0.json").read_text(encoding="utf-8"))["raci"]
    framework = v2()
    for model, part in ((RaciActivity, "activities"), (RaciRole, "roles")):
        keys = [entry["key"] for entry in old[part]]
        model.objects.filter(framework=framework).exclude(key__in=keys).delete()
        for position, entry in enumerate(old[part]):
            model.objects.filter(framework=framework, key=entry["key"]).update(
                position=position, title_fr=entry["title"]["fr"], title_en=entry["title"]["en"]
            )
    Framework.objects.filter(pk=framework.pk).update(
        raci_question_fr=OLD_QUESTION["fr"], raci_question_en=OLD_QUESTION["en"], raci_definitions=None
    )
    return v2()


def test_the_old_catalogue_differs_from_the_file(before_raci_2):
    doc = loader.export_document(before_raci_2)
    assert doc != SHIPPED
    assert len(doc["raci"]["activities"]) == 14 and len(doc["raci"]["roles"]) == 10
    assert "definitions" not in doc["raci"]


def test_the_migration_brings_a_loaded_2_0_to_its_file_and_keeps_the_answers(before_raci_2, org):
    framework = before_raci_2
    round_ = round_create(organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Before")
    participant = participant_invite(round_=round_, email=org.members_by_role["respondent"].email, function="cfo").participant
    tools = RaciActivity.objects.get(framework=framework, key="cx_tools_data")
    answer = RaciAnswer.objects.create(participant=participant, activity=tools, choice="cio")
    old_ids = dict(RaciActivity.objects.filter(framework=framework).values_list("key", "pk"))

    assert upgrade() is True

    framework = v2()
    assert loader.export_document(framework) == SHIPPED  # migrate will no longer report a difference
    activities = list(framework.raci_activities.order_by("position"))
    roles = list(framework.raci_roles.order_by("position"))
    assert len(activities) == 27 and len(roles) == 19
    assert [a.position for a in activities] == list(range(27)) and [r.position for r in roles] == list(range(19))
    # Old rows are updated in place, not replaced: answers keep pointing at them.
    assert {a.key: a.pk for a in activities if a.key in old_ids} == old_ids
    answer.refresh_from_db()
    assert answer.activity_id == tools.pk
    assert (
        framework.raci_activities.get(key="cx_tools_data").title_en == "Experience management platform (CXM) and listening tools"
    )
    assert framework.raci_roles.get(key="cdo").title_fr == "Directeur des données ou du numérique"
    assert framework.raci_definitions["A"]["en"].startswith("Accountable: has the final say")
    assert framework.raci_question_fr.endswith("qui est consulté (C) et qui est informé (I).")


def test_running_it_again_or_on_a_fresh_database_changes_nothing(before_raci_2):
    assert upgrade() is True
    rows = list(RaciActivity.objects.values_list("pk", "key", "position", "title_fr")) + list(
        RaciRole.objects.values_list("pk", "key", "position", "title_fr")
    )
    assert upgrade() is True
    assert (
        list(RaciActivity.objects.values_list("pk", "key", "position", "title_fr"))
        + list(RaciRole.objects.values_list("pk", "key", "position", "title_fr"))
        == rows
    )
    Framework.objects.filter(key="cx-governance", version="2.0").update(version="2.0-draft")
    assert upgrade() is False  # no 2.0 stored: migrate loads the file afterwards


def test_a_row_the_file_does_not_list_is_kept_after_the_listed_ones(before_raci_2):
    RaciRole.objects.create(framework=before_raci_2, key="customer_success", position=3, title_fr="Succès client", title_en="CS")
    upgrade()
    roles = list(v2().raci_roles.order_by("position").values_list("key", flat=True))
    assert roles[:19] == [r["key"] for r in SHIPPED["raci"]["roles"]]
    assert roles[19:] == ["customer_success"]

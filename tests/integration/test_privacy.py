"""Data rights: export → import round trip, erasing a person keeps their answers, deleting an organisation."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from accounts.models import User
from assessments.models import Answer, Participant, Round
from organisations.models import Membership, Organisation
from privacy.portability import MODELS, SKIPPED, export_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    return Organisation.objects.get(slug="demo-retail")


def comparable(doc):
    """The export without what legitimately differs between two instances (the short name)."""
    doc = json.loads(json.dumps(doc, default=str))
    doc["organisation"].pop("slug")
    return doc


def test_round_trip_into_another_instance(demo, tmp_path):
    path = tmp_path / "demo.json"
    call_command("export_organisation", "demo-retail", "--output", str(path))
    before = json.loads(path.read_text(encoding="utf-8"))
    assert (
        before["rows"]["assessments.Answer"]
        and before["rows"]["roadmaps.RoadmapItem"]
        and before["rows"]["measurement.Measurement"]
    )
    # "Another instance": the organisation and its people are gone before the import.
    emails = list(before["people"])
    Organisation.objects.filter(pk=demo.pk).delete()
    User.objects.filter(email__in=emails).delete()
    call_command("import_organisation", str(path), stdout=StringIO())
    imported = Organisation.objects.get(slug="demo-retail")
    assert comparable(export_organisation(imported)) == comparable(before)
    round_ = Round.objects.get(organisation=imported)
    assert Answer.objects.filter(participant__round=round_).count() == len(before["rows"]["assessments.Answer"])
    assert round_.snapshot.data["scores"]["overall"]["score"] is not None


def test_import_refuses_an_existing_short_name_and_writes_nothing(demo, tmp_path):
    path = tmp_path / "demo.json"
    call_command("export_organisation", "demo-retail", "--output", str(path))
    count = Round.objects.count()
    with pytest.raises(Exception, match="already exists"):
        call_command("import_organisation", str(path))
    assert Round.objects.count() == count
    call_command("import_organisation", str(path), "--slug", "demo-copy", stdout=StringIO())
    assert Round.objects.count() == count + 1


def test_every_organisation_model_is_exported_or_deliberately_skipped():
    """A new model hanging off an organisation or a round must be added to privacy.portability."""
    covered = {label for label, _parent in MODELS} | SKIPPED
    roots = {"organisations.Organisation", "assessments.Round", "assessments.Participant"}
    missing = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            cascades = isinstance(field, models.ForeignKey) and field.remote_field.on_delete is models.CASCADE
            if cascades and field.related_model._meta.label in roots and model._meta.label not in covered | roots:
                missing.append(model._meta.label)
    assert sorted(set(missing)) == []


def test_erasing_a_person_keeps_answers_anonymously(demo):
    user = User.objects.get(email="respondent2@demo.test")
    participant = Participant.objects.get(user=user)
    answers = Answer.objects.filter(participant=participant).count()
    call_command("erase_person", "respondent2@demo.test", stdout=StringIO())
    user.refresh_from_db()
    assert (
        user.email.endswith("@erased.invalid") and user.full_name == "" and not user.is_active and not user.has_usable_password()
    )
    assert not Membership.objects.filter(user=user).exists()
    assert Answer.objects.filter(participant=participant).count() == answers
    assert not User.objects.filter(email="respondent2@demo.test").exists()


def test_deleting_an_organisation_removes_everything(demo):
    other = Organisation.objects.get(slug="other-bank")
    call_command("delete_organisation", "demo-retail", "--yes", stdout=StringIO())
    assert not Organisation.objects.filter(slug="demo-retail").exists()
    assert not Round.objects.filter(organisation_id=demo.pk).exists()
    assert not Answer.objects.filter(participant__round__organisation_id=demo.pk).exists()
    assert Organisation.objects.filter(pk=other.pk).exists()

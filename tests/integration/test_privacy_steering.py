"""The steering rhythm in the organisation file: moved to another instance it keeps its calendar UID;
imported as a copy next to its original it gets a fresh one and sends nothing by itself."""

import json
from datetime import date, time
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from assessments.models import Round
from governance import services
from governance.models import RoleHolder, SteeringRhythm
from organisations.models import Organisation
from privacy.portability import export_organisation
from roadmaps.services import raci_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    organisation = Organisation.objects.get(slug="demo-retail")
    round_ = Round.objects.get(organisation=organisation)
    sponsor = User.objects.get(email="sponsor@demo.test")
    a_roles = {role for (_activity, role), letter in raci_letters(round_).items() if letter == "A"}
    services.role_holders_set(organisation=organisation, chosen=dict.fromkeys(a_roles, sponsor.pk))
    rhythm = services.rhythm_save(
        round_=round_,
        cadence="monthly",
        first_meeting=date(2027, 1, 5),
        start_time=time(9, 0),
        duration_minutes=90,
        location="Salle du conseil",
        user=User.objects.get(email="consultant@demo.test"),
        today=date(2026, 12, 1),
    )
    services.rhythm_invite(rhythm_id=rhythm.pk)
    rhythm.refresh_from_db()
    assert rhythm.invited_sequence == 0
    return organisation


def export_to(path, slug="demo-retail"):
    call_command("export_organisation", slug, "--output", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def test_moved_to_another_instance_the_series_keeps_its_uid(demo, tmp_path):
    path = tmp_path / "demo.json"
    before = export_to(path)
    (row,) = before["rows"]["governance.SteeringRhythm"]
    assert row["uid"].startswith("steering-") and row["invited_sequence"] == "0"
    assert before["rows"]["governance.RoleHolder"]
    emails = list(before["people"])
    Organisation.objects.filter(pk=demo.pk).delete()
    User.objects.filter(email__in=emails).delete()
    call_command("import_organisation", str(path), stdout=StringIO())
    imported = Organisation.objects.get(slug="demo-retail")
    after = export_organisation(imported)
    assert json.loads(json.dumps(after["rows"]["governance.SteeringRhythm"], default=str)) == [row]
    rhythm = SteeringRhythm.objects.get(round__organisation=imported)
    assert (rhythm.uid, rhythm.invited_sequence, rhythm.first_meeting) == (row["uid"], 0, date(2027, 1, 5))
    assert RoleHolder.objects.filter(organisation=imported).count() == len(before["rows"]["governance.RoleHolder"])


def test_a_copy_next_to_its_original_gets_a_fresh_uid_and_sends_nothing(demo, tmp_path, mailoutbox):
    path = tmp_path / "demo.json"
    export_to(path)
    original = SteeringRhythm.objects.get(round__organisation=demo)
    call_command("import_organisation", str(path), "--slug", "demo-copy", stdout=StringIO())
    copy = SteeringRhythm.objects.get(round__organisation__slug="demo-copy")
    assert copy.uid != original.uid and copy.uid.startswith("steering-")
    assert copy.invited_sequence is None and (copy.cadence, copy.first_meeting) == (original.cadence, original.first_meeting)
    original.refresh_from_db()
    assert original.invited_sequence == 0
    # The day before the March meeting: the original's attendees get one agenda each, none comes from the copy.
    mailoutbox.clear()
    sent = services.agendas_send_due(today=date(2027, 3, 1))
    assert sent == len(mailoutbox) >= 1
    assert set(SteeringRhythm.objects.filter(mailings__isnull=False).values_list("pk", flat=True)) == {original.pk}
    # A second copy of the same file is refused by nothing: each copy gets its own identity.
    call_command("import_organisation", str(path), "--slug", "demo-copy-2", stdout=StringIO())
    assert SteeringRhythm.objects.values("uid").distinct().count() == 3

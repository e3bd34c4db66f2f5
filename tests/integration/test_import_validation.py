"""Imports trust nothing in a file (issue #21): organisation and framework documents are checked whole
against the export's schema, every problem named by its JSON path, and nothing is written."""

import base64
import copy
import json
from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image

from accounts.models import User
from assessments.frameworks.loader import FrameworkError, export_document, import_document
from assessments.models import Framework
from organisations.models import Membership, Organisation
from privacy.portability import PortabilityError, export_organisation, import_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The models' own messages are checked in English (the language of management commands)."""
    with translation.override("en"):
        yield


def png(colour="#8a1538") -> bytes:
    out = BytesIO()
    Image.new("RGB", (60, 20), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def exported(org, open_round):
    """The acme organisation (members, an open round with participants) as an export document."""
    return json.loads(json.dumps(export_organisation(org), default=str))


def refused(doc, **kwargs) -> list[str]:
    organisations, users = Organisation.objects.count(), User.objects.count()
    with pytest.raises(PortabilityError) as caught:
        import_organisation(doc, **kwargs)
    assert (Organisation.objects.count(), User.objects.count()) == (organisations, users)  # nothing written
    return caught.value.problems


# ------------------------------------------------------------------------------------ organisations


def test_a_crafted_person_cannot_be_made_staff_or_superuser(exported):
    exported["people"]["mallory@evil.test"] = {"full_name": "Mallory", "language": "fr", "is_superuser": True, "is_staff": True}
    exported["rows"]["organisations.Membership"][0]["user"] = {"user": "mallory@evil.test"}
    problems = refused(exported, slug="acme-copy")
    assert "people['mallory@evil.test'].is_superuser: unknown field" in problems
    assert "people['mallory@evil.test'].is_staff: unknown field" in problems
    assert not User.objects.filter(email="mallory@evil.test").exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_imported_people_get_only_a_name_and_a_language(exported):
    exported["people"]["new.person@acme.test"] = {"full_name": "New Person", "language": "en"}
    exported["rows"]["organisations.Membership"][0]["user"] = {"user": "new.person@acme.test"}
    imported = import_organisation(exported, slug="acme-copy")
    person = User.objects.get(email="new.person@acme.test")
    assert (person.full_name, person.language, person.is_staff, person.is_superuser, person.has_usable_password()) == (
        "New Person",
        "en",
        False,
        False,
        False,
    )
    assert Membership.objects.filter(organisation=imported, user=person).exists()


def test_a_logo_storage_name_is_never_honoured(exported, org):
    victim = Organisation.objects.create(name="Victim", slug="victim")
    victim.logo.save("victim.png", ContentFile(png("#000000")), save=True)
    exported["organisation"]["logo"] = victim.logo.name
    problems = refused(exported, slug="acme-copy")
    assert problems == ["organisation.logo: is not base64 data"]
    victim.refresh_from_db()
    assert victim.logo.storage.exists(victim.logo.name)


def test_a_logo_travels_as_data_and_is_re_encoded_under_a_new_name(exported, org):
    exported["organisation"]["logo"] = base64.b64encode(png()).decode()
    imported = import_organisation(exported, slug="acme-copy")
    assert imported.logo.name.startswith("logos/acme-copy")
    with imported.logo.open("rb") as handle:
        image = Image.open(handle)
        assert image.format == "PNG" and image.size == (60, 20)
    # And back out: the export carries the bytes, not the name.
    assert base64.b64decode(export_organisation(imported)["organisation"]["logo"])[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_logo_that_is_not_an_image_is_refused(exported):
    exported["organisation"]["logo"] = base64.b64encode(b"<svg onload='alert(1)'/>").decode()
    assert refused(exported, slug="acme-copy") == ["organisation.logo: This file is not an image we can read."]


@pytest.mark.parametrize("where", ["document", "option"])
def test_a_slug_with_a_slash_is_refused(exported, where):
    if where == "document":
        exported["organisation"]["slug"] = "a/b"
        problems = refused(exported)
        assert len(problems) == 1 and problems[0].startswith("organisation.slug: ")
    else:
        problems = refused(exported, slug="a/b")
        assert len(problems) == 1 and problems[0].startswith("--slug: ")
    assert not Organisation.objects.filter(slug="a/b").exists()


def test_explicit_ids_are_refused(exported):
    exported["organisation"]["id"] = 1
    exported["rows"]["organisations.Membership"][0]["id"] = 99
    problems = refused(exported, slug="acme-copy")
    assert problems == ["organisation.id: unknown field", "rows['organisations.Membership'][0].id: unknown field"]


def test_every_problem_is_named_with_its_path_and_nothing_is_written(exported):
    rows = exported["rows"]
    rows["organisations.Membership"][0]["role"] = "owner"
    rows["organisations.Membership"][1]["user"] = {"user": "nobody@acme.test"}
    rows["assessments.Participant"][0]["round"] = {"ref": "assessments.Round:7"}
    rows["assessments.Round"][0]["title"] = "x" * 151
    rows["assessments.Round"][0]["framework"] = {"framework": ["cx-governance", "9.9"]}
    rows["benchmarks.DimensionResult"] = []
    exported["organisation"]["brand_colour"] = "red"
    problems = refused(exported, slug="acme-copy")
    paths = [p.split(": ")[0] for p in problems]
    assert paths == [
        "organisation.brand_colour",
        "rows['organisations.Membership'][0].role",
        "rows['organisations.Membership'][1].user.user",
        "rows['assessments.Round'][0].framework.framework",
        "rows['assessments.Round'][0].title",
        "rows['assessments.Participant'][0].round.ref",
        "rows['benchmarks.DimensionResult']",
    ]
    assert "'owner' is not a valid choice" in problems[1]
    assert "import the framework first" in problems[3]
    assert "the document has no such row" in problems[5]


def test_duplicates_and_database_rules_are_problems_not_tracebacks(exported):
    doc = copy.deepcopy(exported)
    doc["rows"]["organisations.Membership"].append(doc["rows"]["organisations.Membership"][0])
    problems = refused(doc, slug="acme-copy")
    assert problems == ["rows['organisations.Membership'][4]: same user, organisation as rows['organisations.Membership'][0]"]
    answer = {
        "participant": {"ref": "assessments.Participant:0"},
        "question": {"framework": ["cx-governance", "1.0", "D1.1"]},
        "level": "9",
    }
    exported["rows"]["assessments.Answer"] = [answer]
    problems = refused(exported, slug="acme-copy")
    assert len(problems) == 1 and problems[0].startswith("rows: refused by the database")


def test_json_columns_keep_their_outer_type(exported):
    snapshot = {"round": {"ref": "assessments.Round:0"}, "data": "not the results", "computed_at": "2026-11-20T17:00:00+00:00"}
    exported["rows"]["assessments.ResultSnapshot"] = [snapshot]
    assert refused(exported, slug="acme-copy") == ["rows['assessments.ResultSnapshot'][0].data: expected an object"]


def test_nul_characters_are_refused_before_any_lookup(exported, fw_doc):
    exported["people"]["nul\x00@acme.test"] = {"full_name": "a\x00b", "language": "fr"}
    exported["rows"]["assessments.Round"][0]["framework"] = {"framework": ["cx-governance\x00", "1.0"]}
    assert refused(exported, slug="acme-copy") == [
        "people['nul\\x00@acme.test']: the key contains a NUL character",
        "people['nul\\x00@acme.test'].full_name: contains a NUL character",
        "rows['assessments.Round'][0].framework.framework[0]: contains a NUL character",
    ]
    fw_doc["dimensions"][0]["title"]["en"] = "Strategy\x00"
    assert framework_refused(fw_doc) == ["dimensions[0].title.en: contains a NUL character"]


@pytest.mark.parametrize(
    "doc",
    [
        [],
        "x",
        {"schema": "cxgov.organisation/1"},
        {"schema": "cxgov.organisation/1", "organisation": [], "people": [], "rows": []},
    ],
)
def test_malformed_documents_are_refused_whole(doc):
    assert refused(doc)


def test_the_command_lists_every_problem_and_exits_non_zero(exported, tmp_path):
    exported["organisation"]["slug"] = "a/b"
    exported["organisation"]["id"] = 3
    path = tmp_path / "org.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_organisation", str(path), stderr=err)
    assert "organisation.id: unknown field" in err.getvalue() and "organisation.slug" in err.getvalue()
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_organisation", str(path))


# ------------------------------------------------------------------------------------ frameworks


@pytest.fixture
def fw_doc(framework):
    doc = export_document(framework)
    doc["version"] = "1.1"
    return doc


def framework_refused(doc) -> list[str]:
    count = Framework.objects.count()
    with pytest.raises(FrameworkError) as caught:
        import_document(doc)
    assert Framework.objects.count() == count
    return caught.value.problems


def test_a_weight_below_a_hundredth_is_refused(fw_doc):
    fw_doc["dimensions"][0]["questions"][0]["weight"] = 0.004
    fw_doc["dimensions"][1]["weight"] = 1.005
    assert framework_refused(fw_doc) == [
        "dimensions[0].questions[0].weight: 0.004 is outside 0.01…1000",
        "dimensions[1].weight: 1.005 has more than 2 decimal places",
    ]


def test_keys_with_a_slash_or_too_long_are_refused(fw_doc):
    fw_doc["dimensions"][0]["key"] = "D1/x"
    fw_doc["dimensions"][1]["questions"][0]["key"] = "Q" * 21
    fw_doc["raci"]["roles"][0]["key"] = "r" * 41
    fw_doc["dimensions"][2]["title"]["fr"] = "T" * 201
    problems = framework_refused(fw_doc)
    assert problems[0].startswith("dimensions[0].key: 'D1/x' must be letters, digits")
    assert problems[1:] == [
        "dimensions[1].questions[0].key: longer than 20 characters (21)",
        "dimensions[2].title.fr: longer than 200 characters (201)",
        "raci.roles[0].key: longer than 40 characters (41)",
    ]


def test_a_version_with_a_slash_is_refused_and_a_non_numeric_one_does_not_break_the_export(fw_doc, framework):
    fw_doc["version"] = "1/0"
    assert framework_refused(fw_doc)[0].startswith("version: '1/0' must be letters, digits")
    fw_doc["version"] = "9.10"
    import_document(copy.deepcopy(fw_doc))
    fw_doc["version"] = "beta"
    import_document(fw_doc)
    # The latest numbered version is the default; a non-numeric one is still exported by name.
    out = StringIO()
    call_command("export_framework", stdout=out)
    assert json.loads(out.getvalue())["version"] == "9.10"
    out = StringIO()
    call_command("export_framework", "--version", "beta", stdout=out)
    assert json.loads(out.getvalue())["version"] == "beta"


def test_unknown_fields_and_wrong_types_are_named(fw_doc):
    fw_doc["dimensions"][0]["id"] = 4
    fw_doc["dimensions"][0]["questions"][0]["levels"][2]["level"] = "3"
    fw_doc["context"][0]["choices"][1]["key"] = fw_doc["context"][0]["choices"][0]["key"]
    assert framework_refused(fw_doc) == [
        "dimensions[0].questions[0].levels[2].level: expected a whole number",
        "dimensions[0].questions[0].levels[2].level: expected 3",
        "dimensions[0].id: unknown field",
        "context[0].choices[1].key: duplicate key 'yes'",
    ]


def test_a_results_snapshot_in_another_shape_is_refused_before_anything_is_written(org, open_round, client_for):
    """Results pages read the snapshot strictly (assessments/domain/snapshot.py): the import checks it the same way."""
    from assessments import services as round_services
    from assessments.models import Answer

    for role in ("facilitator", "sponsor", "respondent"):
        participant = open_round.participants.get(user=org.members_by_role[role])
        Answer.objects.bulk_create(
            Answer(participant=participant, question=q, level=3) for q in open_round.framework.questions.all()
        )
    round_services.round_transition(round_=open_round, to="closed")
    doc = json.loads(json.dumps(export_organisation(org), default=str))
    assert import_organisation(json.loads(json.dumps(doc)), slug="acme-good").slug == "acme-good"  # as exported: accepted
    del doc["rows"]["assessments.ResultSnapshot"][0]["data"]["scores"]["dimensions"][0]["stage"]
    (problem,) = refused(doc, slug="acme-copy")
    assert problem.startswith("rows['assessments.ResultSnapshot'][0].data: not a results snapshot (scores.dimensions[0].stage")

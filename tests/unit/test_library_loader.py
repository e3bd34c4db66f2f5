"""The initiative library loader: the shipped file loads; an invalid file is refused whole, every problem named by path."""

import copy
import json
from collections import Counter
from io import StringIO

import pytest

from roadmaps.library.loader import (
    SHIPPED_FILE,
    LibraryError,
    check_document,
    conditions_for,
    default_activity_keys,
    default_dimension_keys,
    load_document,
    load_file,
    shipped_library,
)


def shipped_doc():
    return json.loads(SHIPPED_FILE.read_text(encoding="utf-8"))


def test_shipped_library_loads_with_two_initiatives_per_step():
    library = shipped_library()
    assert len(library.initiatives) >= 80
    steps = Counter((i.dimension, i.from_level) for i in library.initiatives if i.from_level is not None)
    for dimension in default_dimension_keys():
        for level in range(1, 5):
            assert steps[(dimension, level)] >= 2, (dimension, level)
    assert {i.activity for i in library.initiatives} <= set(default_activity_keys())
    for item in library.initiatives:
        assert library.title(item.key)["fr"] and library.title(item.key)["en"]
        assert library.description(item.key)["fr"] and library.description(item.key)["en"]
        assert item.kpis and all(k.metric for k in item.kpis)


def test_context_initiatives_and_precedes_dimensions_are_mapped():
    by_key = shipped_library().by_key
    appoint = by_key["appoint-cxo"]
    assert (appoint.dimension, appoint.from_level, appoint.context_condition) == ("D3", None, "no_cxo")
    # "appoint a CXO precedes every D3 initiative": it becomes their prerequisite (not its own).
    d3 = [i for i in by_key.values() if i.dimension == "D3" and i.key != "appoint-cxo"]
    assert d3 and all("appoint-cxo" in i.prerequisites for i in d3)
    assert "appoint-cxo" not in appoint.prerequisites
    assert by_key["define-cx-scope"].prerequisites.count("appoint-cxo") == 1
    assert all("appoint-cxo" not in i.prerequisites for i in by_key.values() if i.dimension != "D3")


def test_conditions_follow_the_round_context():
    assert conditions_for(False, "") == {"no_cxo"}
    assert conditions_for(None, "") == set()  # unknown is not "no CXO"
    assert conditions_for(True, "ceo") == set()
    assert conditions_for(True, "") == set()
    assert conditions_for(True, "coo") == {"cxo_not_reporting_to_ceo"}


def test_invalid_file_lists_every_problem_and_loads_nothing():
    doc = shipped_doc()
    doc["initiatives"][0]["colour"] = "red"  # unknown key
    del doc["initiatives"][1]["title"]["en"]  # missing language
    doc["initiatives"][2]["description"]["de"] = "Beschreibung"  # unknown language
    doc["initiatives"][3]["kpis"][0]["metric"] = "nsp"  # unknown metric
    doc["initiatives"][3]["kpis"][0]["drives"] = "csat"  # not a financial metric
    doc["initiatives"][4]["activity"] = "coffee"  # unknown activity
    doc["initiatives"][5]["dimension"] = "D11"  # unknown dimension
    doc["initiatives"][6]["effort"] = 4  # out of range
    keys = [i["key"] for i in doc["initiatives"]]
    a, b = keys.index("D2-2-a"), keys.index("D5-1-a")
    doc["initiatives"][b]["prerequisites"] = ["D2-2-a"]  # D2-2-a already needs D5-1-a: a cycle
    doc["extra"] = True
    with pytest.raises(LibraryError) as error:
        load_document(doc)
    problems = error.value.problems
    expected = [
        "$.extra: unknown key",
        "initiatives[0].colour: unknown key",
        "initiatives[1].title.en: missing text",
        "initiatives[2].description.de: unknown language",
        "initiatives[3].kpis[0].metric: unknown metric 'nsp'",
        "initiatives[3].kpis[0].drives: 'csat' is not a financial metric",
        "initiatives[4].activity: unknown activity 'coffee'",
        "initiatives[5].dimension: unknown dimension 'D11'",
        "initiatives[6].effort: effort 4 outside 1-3",
    ]
    for problem in expected:
        assert problem in problems, problem
    cycles = [p for p in problems if "prerequisite cycle" in p]
    assert len(cycles) == 1 and "D2-2-a" in cycles[0] and "D5-1-a" in cycles[0]
    assert cycles[0].startswith(f"initiatives[{min(a, b)}].prerequisites")


def test_structure_problems_do_not_crash_and_are_named():
    doc = shipped_doc()
    doc["schema"] = "cxgov.initiatives/9"
    doc["initiatives"][0]["prerequisites"] = "D1-1-b"
    doc["initiatives"][1]["kpis"] = [{"metric": "nps", "drives": "retention_rate", "weight": 2}, "nps"]
    doc["initiatives"][2]["from_level"] = "two"
    doc["initiatives"][3]["quick_win"] = "yes"
    doc["initiatives"][4]["key"] = "custom-1"
    del doc["initiatives"][5]["duration_months"]
    doc["initiatives"][6]["precedes_dimensions"] = ["D42"]
    doc["initiatives"].append("not an object")
    problems, _ = check_document(doc)
    for problem in (
        "schema: expected 'cxgov.initiatives/1'",
        "initiatives[0].prerequisites: expected a list of initiative keys",
        "initiatives[1].kpis[0].weight: unknown key",
        "initiatives[1].kpis[1]: expected {metric, drives}",
        "initiatives[2].from_level: expected an integer 1-4 or null",
        "initiatives[3].quick_win: expected true or false",
        "initiatives[4].key: keys starting with 'custom-' are kept for initiatives added by hand",
        "initiatives[5].duration_months: missing",
        "initiatives[6].precedes_dimensions[0]: unknown dimension 'D42'",
        f"initiatives[{len(doc['initiatives']) - 1}]: expected an object",
    ):
        assert problem in problems, problem


def test_every_type_problem_of_an_entry_is_named_in_field_order():
    doc = shipped_doc()
    first, second = doc["initiatives"][0], doc["initiatives"][1]
    first.update(
        key="bad key!",
        dimension=7,
        title="just text",
        effort="three",
        prerequisites=["D1-1-b", 3],
        activity=5,
        quick_win="yes",
        context_condition=3,
        precedes_dimensions="D3",
        kpis="nps",
    )
    del first["description"]
    second["precedes_dimensions"] = ["D1", "D42"]
    second["kpis"] = [{"metric": 5, "drives": 7}, "nps", {"metric": "nps", "drives": "csat"}]
    problems, _ = check_document(doc)
    assert problems[:16] == [
        "initiatives[0].description: missing",
        "initiatives[0].key: expected a key of letters, digits, '-' or '_'",
        "initiatives[0].dimension: expected a dimension key or null",
        'initiatives[0].title: expected {"fr": …, "en": …}',
        "initiatives[0].effort: expected an integer",
        "initiatives[0].prerequisites: expected a list of initiative keys",
        "initiatives[0].activity: expected an activity key",
        "initiatives[0].quick_win: expected true or false",
        "initiatives[0].context_condition: expected a condition key or null",
        "initiatives[0].precedes_dimensions: expected a list of dimension keys",
        "initiatives[0].kpis: expected a list of {metric, drives}",
        "initiatives[1].precedes_dimensions[1]: unknown dimension 'D42'",
        "initiatives[1].kpis[0].metric: expected a metric key",
        "initiatives[1].kpis[0].drives: expected a financial metric key or null",
        "initiatives[1].kpis[1]: expected {metric, drives}",
        "initiatives[1].kpis[2].drives: 'csat' is not a financial metric",
    ]
    # Then the domain's own checks on the neutralised values (the entry's wrong types are not repeated).
    assert "initiatives[0].activity: unknown activity ''" in problems[16:]


def test_too_few_initiatives_per_step_and_unknown_prerequisites():
    doc = shipped_doc()
    doc["initiatives"] = [i for i in doc["initiatives"] if i["key"] != "D4-3-b"]
    doc["initiatives"][0]["prerequisites"] = ["D99-1-a"]
    problems, _ = check_document(doc)
    assert "initiatives: dimension D4 step 3→4 has 1 initiative(s), expected at least 2" in problems
    assert "initiatives[0].prerequisites[0]: unknown initiative 'D99-1-a'" in problems


def test_unreadable_and_malformed_files_are_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(LibraryError) as error:
        load_file(bad)
    assert error.value.problems[0].startswith("$: not valid JSON: line 1")
    with pytest.raises(LibraryError):
        load_file(tmp_path / "missing.json")
    with pytest.raises(LibraryError) as error:
        load_document([])
    assert error.value.problems == ["$: expected an object"]


def test_loading_does_not_change_the_document():
    doc = shipped_doc()
    before = copy.deepcopy(doc)
    load_document(doc)
    assert doc == before


def test_validate_library_command(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("validate_library", stdout=out)
    assert "initiatives, valid" in out.getvalue()
    doc = shipped_doc()
    doc["initiatives"][0]["title"] = {"fr": "Seulement en français"}
    path = tmp_path / "lib.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("validate_library", str(path), stdout=StringIO(), stderr=err)
    assert "initiatives[0].title.en: missing text" in err.getvalue()

"""The round export's `alignment.dispersion` (issue #18, docs/exports.md): the committee's median and
interquartile range per dimension and question, recomputed here from the export's own answers."""

import json
import statistics
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Round
from tests.views.test_mirror import make_round

pytestmark = pytest.mark.django_db


def export(round_id):
    out = StringIO()
    call_command("export_assessment", str(round_id), stdout=out)
    return json.loads(out.getvalue())


def r2(x: Fraction) -> float:
    """Half-up to 2 decimals, on the exact value (a quarter, a sixth, never a float on the way)."""
    cents = Fraction(x) * 100
    whole = int(cents + Fraction(1, 2)) if cents >= 0 else -int(-cents + Fraction(1, 2))
    return float(Decimal(whole).scaleb(-2))


def quartiles(values):
    values = [Fraction(v) for v in values]
    if len(values) < 3:
        return None, None, None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return r2(median), r2(q1), r2(q3)


def test_dispersion_matches_a_recomputation_from_the_exported_answers(framework):
    call_command("seed_demo", stdout=StringIO())
    doc = export(Round.objects.get(organisation__slug="demo-retail").pk)
    dispersion = doc["alignment"]["dispersion"]
    assert set(doc["alignment"]) >= {"by_function", "perception_gaps", "dispersion"}

    levels, weights, dimension_of = defaultdict(list), {}, {}
    for q in doc["scores"]["questions"]:
        weights[q["key"]], dimension_of[q["key"]] = Fraction(str(q["weight"])), q["dimension"]
    per_person = defaultdict(lambda: [Fraction(0), Fraction(0)])
    for a in doc["answers"]:
        if a["level"] is None:
            continue
        levels[a["question"]].append(a["level"])
        entry = per_person[(a["participant"], dimension_of[a["question"]])]
        entry[0] += a["level"] * weights[a["question"]]
        entry[1] += weights[a["question"]]

    assert [row["key"] for row in dispersion["questions"]] == [q["key"] for q in doc["scores"]["questions"]]
    for row in dispersion["questions"]:
        assert row["n"] == len(levels[row["key"]])
        assert (row["median"], row["q1"], row["q3"]) == quartiles(levels[row["key"]]), row

    assert [row["key"] for row in dispersion["dimensions"]] == [d["key"] for d in doc["scores"]["dimensions"]]
    for row in dispersion["dimensions"]:
        scores = [total / weight for (_pid, key), (total, weight) in per_person.items() if key == row["key"]]
        assert row["n"] == len(scores)
        assert (row["median"], row["q1"], row["q3"]) == quartiles(scores), row
    assert any(row["median"] != row["q1"] for row in dispersion["dimensions"])  # not a flat committee


def test_known_figures_nulls_below_three_and_no_person(org, framework):
    round_ = make_round(org, framework)
    dispersion = export(round_.pk)["alignment"]["dispersion"]
    d1, d2, d3 = dispersion["dimensions"][:3]
    assert d1 == {"key": "D1", "n": 6, "median": 4.25, "q1": 4.0, "q3": 4.5}
    assert d2 == {"key": "D2", "n": 6, "median": 4.0, "q1": 3.25, "q3": 4.0}
    assert d3 == {"key": "D3", "n": 0, "median": None, "q1": None, "q3": None}
    d11 = dispersion["questions"][0]
    assert d11 == {"key": "D1.1", "n": 6, "median": 4.0, "q1": 4.0, "q3": 4.75}
    keys = {k for rows in dispersion.values() for row in rows for k in row}
    assert keys == {"key", "n", "median", "q1", "q3"}


def test_every_role_downloads_the_same_figures_in_an_anonymous_round(org, framework, client_for):
    from tests.conftest import publish

    round_ = make_round(org, framework, anonymous=True)
    publish(round_)
    url = reverse("reports:export_json", args=[org.slug, round_.pk])
    figures = [
        json.loads(client_for(org.members_by_role[role]).get(url).content)["alignment"]["dispersion"]
        for role in ("facilitator", "sponsor", "respondent", "viewer")
    ]
    assert figures[0]["dimensions"][0]["median"] == 4.25
    assert all(f == figures[0] for f in figures)

"""Results: every exported figure recomputed independently from the export's own answers; snapshot, consensus,
targets, anonymity and spreadsheets."""

import csv
import io
import json
import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Round
from roadmaps.models import Target

pytestmark = pytest.mark.django_db


def r2(x):
    return None if x is None else float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def export(round_id):
    out = StringIO()
    call_command("export_assessment", str(round_id), stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def recompute(doc):
    """PRODUCT.md's scoring rules, written again plainly with floats, from the export alone."""
    weights_q = {q["key"]: q["weight"] for q in doc["scores"]["questions"]}
    dim_of = {q["key"]: q["dimension"] for q in doc["scores"]["questions"]}
    consensus = {q["key"]: q["consensus_level"] for q in doc["scores"]["questions"] if q["consensus_level"]}
    levels, dk = defaultdict(list), defaultdict(int)
    for a in doc["answers"]:
        (dk.__setitem__(a["question"], dk[a["question"]] + 1) if a["level"] is None else levels[a["question"]].append(a["level"]))
    questions = {}
    for key in weights_q:
        xs = levels[key]
        n = len(xs)
        mean = sum(xs) / n if n else None
        row = {"n": n, "dont_know": dk[key], "answered": n + dk[key], "mean": mean, "score": consensus.get(key, mean)}
        if n >= 3:
            m = mean
            row.update(
                range=max(xs) - min(xs), sd=math.sqrt(sum((x - m) ** 2 for x in xs) / n), ad=sum(abs(x - m) for x in xs) / n
            )
            row["contested"] = row["ad"] > 0.8 or row["range"] >= 3
        else:
            row.update(range=None, sd=None, ad=None, contested=None)
        questions[key] = row
    dims = {}
    for d in doc["scores"]["dimensions"]:
        keys = [k for k, dim in dim_of.items() if dim == d["key"]]
        scored = [(questions[k]["score"], weights_q[k]) for k in keys if questions[k]["score"] is not None]
        score = sum(s * w for s, w in scored) / sum(w for _s, w in scored) if scored else None
        answered = sum(questions[k]["answered"] for k in keys)
        dont_know = sum(questions[k]["dont_know"] for k in keys)
        ads = [questions[k]["ad"] for k in keys if questions[k]["ad"] is not None]
        dims[d["key"]] = {
            "score": score,
            "index": None if score is None else (r2(score) - 1) * 25,
            "stage": None if score is None else math.floor(r2(score)),
            "answered": answered,
            "dont_know": dont_know,
            "dont_know_rate": dont_know / answered if answered else None,
            "low_evidence": bool(answered) and dont_know / answered > 0.5,
            "agreement": 100 * (1 - (sum(ads) / len(ads)) / 2) if ads else None,
            "weight": d["weight"],
        }
    scored = {k: v for k, v in dims.items() if v["score"] is not None}
    overall = sum(v["score"] * v["weight"] for v in scored.values()) / sum(v["weight"] for v in scored.values())
    weakest = min(scored, key=lambda k: scored[k]["score"])
    stage = min(math.floor(r2(overall)), scored[weakest]["stage"] + 1)
    return questions, dims, {"score": overall, "index": (r2(overall) - 1) * 25, "stage": stage, "constraint": weakest}


def test_every_exported_figure_recomputes_from_the_answers(demo):
    doc = export(demo.pk)
    assert doc["schema"] == "cxgov.assessment/1" and doc["round"]["status"] == "closed"
    assert len(doc["participants"]) == 8 and all("function" in p for p in doc["participants"])
    questions, dims, overall = recompute(doc)
    for q in doc["scores"]["questions"]:
        mine = questions[q["key"]]
        for field in ("n", "dont_know", "answered", "range", "contested"):
            assert q[field] == mine[field], (q["key"], field)
        for field in ("mean", "score", "sd", "ad"):
            assert q[field] == pytest.approx(r2(mine[field]), abs=0.01) if mine[field] is not None else q[field] is None, (
                q["key"],
                field,
            )
    for d in doc["scores"]["dimensions"]:
        mine = dims[d["key"]]
        for field in ("stage", "answered", "dont_know", "low_evidence"):
            assert d[field] == mine[field], (d["key"], field)
        for field in ("score", "index", "dont_know_rate", "agreement"):
            assert d[field] == pytest.approx(r2(mine[field]), abs=0.01), (d["key"], field)
    assert doc["scores"]["overall"]["score"] == pytest.approx(r2(overall["score"]), abs=0.01)
    assert doc["scores"]["overall"]["index"] == pytest.approx(overall["index"], abs=0.01)
    assert doc["scores"]["overall"]["stage"] == overall["stage"]
    assert doc["scores"]["overall"]["constraint"] == overall["constraint"]
    # Per-function means and perception gaps, from the same answers.
    function_of = {p["id"]: p["function"] for p in doc["participants"]}
    per = defaultdict(list)
    for a in doc["answers"]:
        if a["level"] is not None:
            per[(a["participant"], a["question"].split(".")[0])].append(a["level"])
    means = defaultdict(list)
    for (pid, dim), xs in per.items():
        means[(function_of[pid], dim)].append(sum(xs) / len(xs))
    for m in doc["alignment"]["by_function"]:
        xs = means[(m["function"], m["dimension"])]
        assert m["mean"] == pytest.approx(r2(sum(xs) / len(xs)), abs=0.01)
    for g in doc["alignment"]["perception_gaps"]:
        shown = [sum(v) / len(v) for (f, d), v in means.items() if d == g["dimension"]]
        assert g["gap"] == pytest.approx(r2(max(shown) - min(shown)), abs=0.01)
        assert g["flagged"] == (max(shown) - min(shown) >= 1)
    assert any(q["contested"] for q in doc["scores"]["questions"]) and any(
        q["consensus_level"] for q in doc["scores"]["questions"]
    )
    assert doc["targets"] and doc["raci"]["as_is"]


def test_exports_of_the_same_round_are_identical(demo):
    assert export(demo.pk) == export(demo.pk)


def test_snapshot_consensus_and_reclose(org, open_round, client_for):
    respondent = open_round.participants.get(user=org.members_by_role["respondent"])
    d11 = open_round.framework.questions.get(key="D1.1")
    for role, level in (("facilitator", 1), ("sponsor", 2), ("respondent", 5)):
        p = open_round.participants.get(user=org.members_by_role[role])
        Answer.objects.create(participant=p, question=d11, level=level)
    services.round_transition(round_=open_round, to="closed")
    q = next(q for q in open_round.snapshot.data["scores"]["questions"] if q["key"] == "D1.1")
    assert (q["score"], q["mean"], q["range"]) == (2.67, 2.67, 4)
    facilitator = client_for(org.members_by_role["facilitator"])
    facilitator.post(
        reverse("assessments:results_consensus", args=[org.slug, open_round.pk, "D1.1"]),
        {"level": "2", "rationale": "Vu en atelier"},
    )
    open_round.snapshot.refresh_from_db()
    q = next(q for q in open_round.snapshot.data["scores"]["questions"] if q["key"] == "D1.1")
    assert (q["score"], q["mean"], q["range"], q["consensus_rationale"]) == (2, 2.67, 4, "Vu en atelier")
    services.round_transition(round_=open_round, to="open")
    Answer.objects.filter(participant=respondent, question=d11).update(level=2)
    services.round_transition(round_=open_round, to="closed")
    open_round.refresh_from_db()
    q = next(q for q in open_round.snapshot.data["scores"]["questions"] if q["key"] == "D1.1")
    assert (q["mean"], q["score"]) == (1.67, 2)


def test_consensus_only_while_closed(org, open_round, client_for):
    facilitator = client_for(org.members_by_role["facilitator"])
    response = facilitator.post(
        reverse("assessments:results_consensus", args=[org.slug, open_round.pk, "D1.1"]), {"level": "3"}, follow=True
    )
    assert "clôturée".encode() in response.content
    assert not open_round.consensus.exists()


def test_targets_default_and_edit(demo, client_for):
    from accounts.models import User

    sponsor = client_for(User.objects.get(email="sponsor@demo.test"))
    url = reverse("roadmaps:targets", args=["demo-retail", demo.pk])
    page = sponsor.get(url)
    assert page.status_code == 200
    stages = {d["key"]: d["stage"] for d in demo.snapshot.data["scores"]["dimensions"]}
    stored = {t.dimension.key: (t.target, t.importance) for t in Target.objects.filter(round=demo).select_related("dimension")}
    assert stored["D1"] == (min(5, stages["D1"] + 1), 2)  # default
    assert stored["D3"] == (4, 3)  # set in the demo workshop
    data = {f"target-{k}": "3" for k in stored} | {f"importance-{k}": "2" for k in stored}
    data["target-D5"] = "9"
    bad = sponsor.post(url, data)
    assert bad.status_code == 400
    assert Target.objects.get(round=demo, dimension__key="D5").target == stored["D5"][0]
    data["target-D5"] = "5"
    assert sponsor.post(url, data).status_code == 302
    assert Target.objects.get(round=demo, dimension__key="D5").target == 5
    respondent = client_for(User.objects.get(email="respondent1@demo.test"))
    assert respondent.post(url, data).status_code == 403


def test_anonymous_round_hides_people_and_small_groups(org, framework, client_for):
    from tests.factories import MembershipFactory, UserFactory

    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Anon", anonymous=True
    )
    people = []
    for i, function in enumerate(["cfo", "cfo", "cfo", "cmo"]):
        user = UserFactory(email=f"anon{i}@acme.test")
        MembershipFactory(user=user, organisation=org, role="respondent")
        people.append((services.participant_invite(round_=round_, email=user.email, function=function).participant, function))
    questions = list(framework.questions.filter(dimension__key="D1"))
    for i, (participant, _function) in enumerate(people):
        for q in questions:
            Answer.objects.create(
                participant=participant,
                question=q,
                level=1 + (i + q.position) % 5,
                comment=f"avis secret {i}" if q.key == "D1.1" else "",
            )
    round_.status = "open"
    round_.save()
    services.round_transition(round_=round_, to="closed")
    doc = export(round_.pk)
    assert all("function" not in p for p in doc["participants"])
    assert all("participant" not in a for a in doc["answers"])
    assert {m["function"] for m in doc["alignment"]["by_function"]} == {"cfo"}
    facilitator = client_for(org.members_by_role["facilitator"])
    alignment = facilitator.get(reverse("assessments:results_alignment", args=[org.slug, round_.pk])).content.decode()
    assert "DAF" in alignment and "Directeur marketing" not in alignment
    page = facilitator.get(reverse("assessments:results_dimension", args=[org.slug, round_.pk, "D1"])).content.decode()
    assert "avis secret 3" in page and "DAF :" not in page
    answers_csv = facilitator.get(reverse("assessments:export_answers", args=[org.slug, round_.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    assert "anon0@acme.test" not in answers_csv and "cfo" not in answers_csv.lower()


def test_spreadsheets_neutralise_formulas_and_keep_numbers(demo, client_for):
    from openpyxl import load_workbook

    from accounts.models import User

    participant = demo.participants.first()
    Answer.objects.filter(participant=participant, question__key="D1.1").update(comment='=HYPERLINK("http://evil")')
    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    response = consultant.get(reverse("assessments:export_answers", args=["demo-retail", demo.pk, "csv"]))
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert any('\'=HYPERLINK("http://evil")' in row for row in rows)
    scores = consultant.get(reverse("assessments:export_scores", args=["demo-retail", demo.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    first = next(csv.reader(io.StringIO(scores), delimiter=";"))
    assert first[0] == "Dimension"
    d1 = next(row for row in csv.reader(io.StringIO(scores), delimiter=";") if row and row[0] == "D1")
    assert "," in d1[2] and "." not in d1[2]  # French decimal comma
    xlsx = consultant.get(reverse("assessments:export_scores", args=["demo-retail", demo.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert isinstance(sheet["C2"].value, float)
    User.objects.filter(email="consultant@demo.test").update(language="en")
    english = consultant.get(reverse("assessments:export_scores", args=["demo-retail", demo.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    d1 = next(row for row in csv.reader(io.StringIO(english)) if row and row[0] == "D1")
    assert "." in d1[2] and "," not in d1[2]  # English: comma-separated, decimal point


def test_results_pages_render_for_the_demo(demo, client_for):
    from accounts.models import User

    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    pages = (("results", []), ("results_alignment", []), ("results_dimension", ["D3"]))
    for name, args in (*((f"assessments:{n}", a) for n, a in pages), ("roadmaps:targets", [])):
        response = consultant.get(reverse(name, args=["demo-retail", demo.pk, *args]))
        assert response.status_code == 200, name
        assert b"<svg" in response.content or name == "roadmaps:targets"


def test_export_carries_the_kpis_up_to_the_close(demo):
    doc = export(demo.pk)
    nps = [m for m in doc["measurements"] if m["metric"] == "nps"]
    assert len(nps) == 4 and all(isinstance(m["value"], float | int) and m["margin_of_error"] > 0 for m in nps)
    assert {m["metric"] for m in doc["measurements"]} >= {"nps", "csat", "retention_rate"}

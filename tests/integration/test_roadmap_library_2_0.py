"""Roadmaps of closed rounds: a 2.0 round is planned with the 2.0 library (D11 and 2.0's new practices),
a 1.0 round with exactly the 1.0 library it always had."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import Answer, Framework, Round, RoundStatus
from roadmaps import services as roadmap_services
from roadmaps.domain.prioritisation import generate_roadmap
from roadmaps.library.loader import LIBRARY_DIR, conditions_for, library_for, shipped_library
from roadmaps.models import Roadmap, RoadmapItem, Target

pytestmark = pytest.mark.django_db

ROLES = (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo"))
V2_KEYS = frozenset(
    e["key"] for e in json.loads((LIBRARY_DIR / "initiatives-2.0.json").read_text(encoding="utf-8"))["initiatives"]
)


def closed_round(org, version: str, levels: dict[str, int], default: int) -> Round:
    """A round on framework ``version`` where everyone answered each question of a dimension at its level, then closed."""
    framework = Framework.objects.get(key="cx-governance", version=version)
    round_ = services.round_create(organisation=org, user=org.members_by_role["facilitator"], framework=framework, title=version)
    for role, function in ROLES:
        services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save()
    Answer.objects.bulk_create(
        Answer(participant=participant, question=question, level=levels.get(question.dimension.key, default))
        for participant in round_.participants.all()
        for question in framework.questions.select_related("dimension")
    )
    services.round_transition(round_=round_, to="closed")  # plans the roadmap (roadmaps/handlers.py)
    round_.refresh_from_db()
    return round_


def raise_targets(round_, org, dimensions=None) -> None:
    """Target 5 on the dimensions named (every one by default), then the roadmap generated again."""
    for target in Target.objects.filter(round=round_).select_related("dimension"):
        if dimensions is None or target.dimension.key in dimensions:
            roadmap_services.target_set(target=target, value=5, importance=2, user=org.members_by_role["facilitator"])
    roadmap_services.roadmap_generate(round_=round_)


def items(round_) -> dict[str, RoadmapItem]:
    return {item.key: item for item in RoadmapItem.objects.filter(round=round_)}


def test_a_2_0_round_with_low_d11_scores_gets_d11_initiatives(org):
    round_ = closed_round(org, "2.0", {"D11": 1}, default=4)
    library = library_for("2.0")
    planned = items(round_)
    d11 = {key: item for key, item in planned.items() if item.dimension == "D11"}
    # Stage 1, target 2 by default: the whole 1→2 step of D11, selected for its gap.
    assert set(d11) == {i.key for i in library.initiatives if i.dimension == "D11" and i.from_level == 1}
    assert len(d11) >= 2
    for key, item in d11.items():
        assert item.selected_by == "gap" and item.from_level == 1
        assert (item.title_fr, item.title_en) == (library.title(key)["fr"], library.title(key)["en"])
        assert item.description_fr == library.description(key)["fr"]
        assert item.activity == library.by_key[key].activity and item.kpis
    assert "D11-1-b" in d11 and d11["D11-1-b"].title_fr == "Ouvrir un chemin vers un conseiller depuis chaque outil automatisé"

    # A target of 5 on D11 brings every step, one level after the other.
    raise_targets(round_, org, {"D11"})
    d11 = {key: item for key, item in items(round_).items() if item.dimension == "D11"}
    assert set(d11) == {i.key for i in library.initiatives if i.dimension == "D11"}
    finish = {key: item.start_month + item.duration_months for key, item in d11.items()}
    for item in d11.values():
        for lower in d11.values():
            if lower.from_level < item.from_level:
                assert finish[lower.key] <= item.start_month, (lower.key, item.key)


def test_a_2_0_round_gets_the_new_practices_of_d3_d7_and_d8(org):
    round_ = closed_round(org, "2.0", {}, default=1)
    planned = items(round_)
    for key in ("D3-1-partners", "D7-1-competitors", "D8-1-complaints", "D11-1-a"):
        assert planned[key].selected_by == "gap", key
    assert {"D3-1-a", "D7-1-a", "D8-1-a"} <= set(planned)  # the 1.0 initiatives are still there
    raise_targets(round_, org, {"D8"})
    planned = items(round_)
    assert {f"D8-{n}-complaints" for n in range(1, 5)} <= set(planned)
    assert planned["D8-2-complaints"].title_en == "Write the complaint-handling policy, mediator included"


def test_a_1_0_round_s_roadmap_is_what_the_1_0_library_gives(org):
    """Every dimension at 1 and every target at 5: each step of every dimension is a candidate, so a 2.0
    addition to D3, D7 or D8 would show up here if a 1.0 round could see it."""
    round_ = closed_round(org, "1.0", {}, default=1)
    raise_targets(round_, org)
    planned = items(round_)
    assert V2_KEYS.isdisjoint(planned)
    assert not any(item.dimension == "D11" for item in planned.values())
    v1 = shipped_library()
    assert set(planned) == {i.key for i in v1.initiatives if i.from_level is not None}
    # The same plan, month for month, as the 1.0 library alone gives through the domain.
    states = roadmap_services.roadmap_dimension_states(round_)
    expected = generate_roadmap(
        v1.initiatives,
        states,
        conditions_for(round_.cxo_exists, round_.cxo_reports_to),
        (),
        Roadmap.objects.get(round=round_).capacity,
    )
    rows = RoadmapItem.objects.filter(round=round_).order_by("position")
    assert [(i.key, i.start_month, i.duration_months) for i in rows] == [
        (p.key, p.start_month, p.duration_months) for p in expected
    ]
    for item in rows:
        assert (item.title_fr, item.description_en) == (v1.title(item.key)["fr"], v1.description(item.key)["en"])


def test_the_roadmap_page_of_a_2_0_round_shows_its_d11_initiatives(org, client_for):
    round_ = closed_round(org, "2.0", {"D11": 1}, default=4)
    facilitator = org.members_by_role["facilitator"]
    facilitator.language = "en"
    facilitator.save(update_fields=["language"])
    with translation.override("en"):
        page = client_for(facilitator).get(reverse("roadmaps:roadmap", args=[org.slug, round_.pk]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert page.status_code == 200
    assert "Open a way to an adviser from every automated tool" in text
    assert "D11 · Data, technology and AI for the experience" in text

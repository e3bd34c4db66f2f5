"""The targets page of a 2.0 round shows the importance the roadmap's priorities used.

While nobody has saved the targets, the roadmap ranks each dimension with the committee's importance
(the mean of the respondents' 1–3 values, rounded half-up: roadmaps.services.priority_importance),
not with the stored starting value (2). The targets page pre-fills that same importance and says
where it comes from; once saved, the saved value shows and the committee's figure stays for
reference. A 1.0 round (no committee importance) is unchanged.
"""

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from assessments import services as round_services
from assessments.models import Answer, DimensionImportance, Framework, RoundStatus
from roadmaps import services
from roadmaps.domain.prioritisation import round_half_up
from roadmaps.models import RoadmapItem, Target
from tests.conftest import publish

pytestmark = pytest.mark.django_db

ROLES = (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo"))

#: Each respondent's importance per dimension (facilitator, sponsor, respondent; None: not given).
IMPORTANCES = {
    "D1": (3, 3, 2),  # 2.67 → 3
    "D2": (3, 2, None),  # 2.5 → 3 (half-up)
    "D3": (1, 1, 2),  # 1.33 → 1
    "D4": (1, 2, None),  # 1.5 → 2
    "D5": (1, 1, 1),  # 1
}
#: What the roadmap ranks with: the committee's importance rounded half-up, else the stored starting value 2.
EXPECTED = {"D1": 3, "D2": 3, "D3": 1, "D4": 2, "D5": 1}
COMMITTEE = {"D1": "2.67", "D2": "2.50", "D3": "1.33", "D4": "1.50", "D5": "1.00"}


def _open_round(org, framework, title):
    round_ = round_services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title=title
    )
    for role, function in ROLES:
        round_services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save()
    return round_


def _answer_all_and_close(round_):
    questions = list(round_.framework.questions.all())
    participants = list(round_.participants.all())
    Answer.objects.bulk_create(Answer(participant=p, question=q, level=2) for p in participants for q in questions)
    round_services.round_transition(round_=round_, to="closed")
    round_.refresh_from_db()
    services.roadmap_ensure(round_=round_)  # generated on closing already: a no-op that says so
    return round_


@pytest.fixture
def closed_2(org):
    """A closed 2.0 round, every question at level 2, with the respondents' importances above; roadmap generated."""
    round_ = _open_round(org, Framework.objects.get(key="cx-governance", version="2.0"), "Round 2.0")
    for key, values in IMPORTANCES.items():
        dimension = round_.framework.dimensions.get(key=key)
        for (role, _function), value in zip(ROLES, values, strict=True):
            if value is not None:
                participant = round_.participants.get(user=org.members_by_role[role])
                DimensionImportance.objects.create(participant=participant, dimension=dimension, importance=value)
    return _answer_all_and_close(round_)


@pytest.fixture
def closed_1(org, framework):
    return _answer_all_and_close(_open_round(org, framework, "Round 1.0"))


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def page(client, org, round_):
    return client.get(reverse("roadmaps:targets", args=[org.slug, round_.pk]))


def selected(html: str, name: str) -> str:
    """The value pre-selected in the ``<select name=…>`` of the page."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    chosen = re.findall(r'<option value="([^"]*)" selected>', select.group(1))
    assert len(chosen) == 1, (name, chosen)
    return chosen[0]


def note(html: str, key: str) -> str | None:
    """The text of the importance's source note of a dimension, None when the page has none."""
    found = re.search(rf'id="importance-source-{key}">(.*?)</div>', html, re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip() if found else None


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def importance_used_by_priorities(round_, key) -> set[int] | None:
    """The importances (1–3) that reproduce every stored gap priority of a dimension's initiatives
    (None when the library has no initiative for its gap).

    Priority = importance × (target − score) × impact ÷ effort, stored rounded half-up to 2 decimals:
    read back from what was stored, not from the function the page calls.
    """
    row = next(d for d in round_.snapshot.results.dimensions if d.key == key)
    score = Fraction(Decimal(str(row.score)))
    target = Target.objects.get(round=round_, dimension__key=key).target
    items = list(RoadmapItem.objects.filter(round=round_, dimension=key, selected_by="gap"))
    if not items:
        return None
    candidates = {1, 2, 3}
    for item in items:
        candidates &= {
            i
            for i in (1, 2, 3)
            if round_half_up(i * (target - score) * item.impact / Fraction(item.effort), 2) == Fraction(item.priority)
        }
    return candidates


def test_the_pre_filled_importance_is_the_one_the_priorities_used(closed_2, org, client_for):
    # The stored starting values are all 2: the page must not show them.
    stored = dict(Target.objects.filter(round=closed_2).values_list("dimension__key", "importance"))
    assert {stored[key] for key in EXPECTED} == {2}
    assert not Target.objects.filter(round=closed_2, updated_by__isnull=False).exists()

    response = page(client_for(org.members_by_role["facilitator"]), org, closed_2)
    assert response.status_code == 200
    html = response.content.decode()
    states = {s.key: s for s in services.roadmap_dimension_states(closed_2)}
    scored = [d.key for d in closed_2.snapshot.results.dimensions if not d.unscored]
    assert set(EXPECTED) <= set(scored)
    for key in scored:
        shown = int(selected(html, f"importance-{key}"))
        assert shown == states[key].importance, key
        assert importance_used_by_priorities(closed_2, key) in ({shown}, None), key
        assert shown == EXPECTED.get(key, 2), key
    # The dimensions the committee weighed all have initiatives ranked by their gap.
    for key, expected in EXPECTED.items():
        assert importance_used_by_priorities(closed_2, key) == {expected}, key


def test_the_page_says_the_figure_is_the_committee_s(closed_2, org, client_for):
    html = page(client_for(english(org.members_by_role["facilitator"])), org, closed_2).content.decode()
    for key, figure in COMMITTEE.items():
        assert note(html, key) == f"Average importance given by the committee: {figure}", key
        assert f'aria-describedby="importance-source-{key}"' in html
    # A dimension where nobody gave an importance keeps its starting value, with no note.
    others = [d.key for d in closed_2.snapshot.results.dimensions if not d.unscored and d.key not in COMMITTEE]
    assert others
    for key in others:
        assert note(html, key) is None and selected(html, f"importance-{key}") == "2"
    assert "the average importance given by the committee, rounded half-up" in text_of(html)
    assert "By default: one stage up, importance 2." not in text_of(html)


def test_the_committee_s_figure_is_written_the_french_way(closed_2, org, client_for):
    html = page(client_for(org.members_by_role["sponsor"]), org, closed_2).content.decode()
    assert html.count('class="small text-body-secondary cx-importance-source"') == len(COMMITTEE)
    assert note(html, "D1").endswith(" 2,67") and note(html, "D2").endswith(" 2,50")
    assert selected(html, "importance-D1") == "3"


def test_once_saved_the_saved_importance_shows_and_ranks(closed_2, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    html = page(facilitator, org, closed_2).content.decode()
    keys = [d.key for d in closed_2.snapshot.results.dimensions if not d.unscored]
    data = {f"target-{k}": selected(html, f"target-{k}") for k in keys}
    data |= {f"importance-{k}": selected(html, f"importance-{k}") for k in keys}
    data["importance-D1"] = "1"  # the committee said 2.67: the workshop decides otherwise
    response = facilitator.post(reverse("roadmaps:targets", args=[org.slug, closed_2.pk]), data)
    assert response.status_code == 302

    html = page(facilitator, org, closed_2).content.decode()
    assert selected(html, "importance-D1") == "1"
    assert note(html, "D1") == "Saved value. Average importance given by the committee: 2.67"
    # Saving what was pre-filled stores the committee's rounded importance: nothing moves.
    for key in ("D2", "D3", "D4", "D5"):
        assert selected(html, f"importance-{key}") == str(EXPECTED[key])
        assert Target.objects.get(round=closed_2, dimension__key=key).importance == EXPECTED[key]
    # The roadmap, regenerated since nobody worked on it, ranks with what the page shows.
    for key in keys:
        assert importance_used_by_priorities(closed_2, key) in ({int(selected(html, f"importance-{key}"))}, None), key
    assert importance_used_by_priorities(closed_2, "D1") == {1}


def test_a_refused_row_comes_back_as_typed_beside_the_committee_s_figure(closed_2, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    response = facilitator.post(
        reverse("roadmaps:targets", args=[org.slug, closed_2.pk]), {"target-D1": "4", "importance-D1": "9"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a target from 1 to 5 and an importance from 1 to 3." in html
    assert note(html, "D1") == "Average importance given by the committee: 2.67"
    assert selected(html, "target-D1") == "4"


def test_a_1_0_round_is_unchanged(closed_1, org, client_for):
    html = page(client_for(english(org.members_by_role["facilitator"])), org, closed_1).content.decode()
    assert "cx-importance-source" not in html and "given by the committee" not in html
    assert "By default: one stage up, importance 2." in text_of(html)
    for d in closed_1.snapshot.results.dimensions:
        if not d.unscored:
            assert selected(html, f"importance-{d.key}") == "2"
            assert importance_used_by_priorities(closed_1, d.key) in ({2}, None), d.key


# --------------------------------------------------------------------------- access


def test_anonymous_is_sent_to_sign_in(closed_2, org, client):
    response = page(client, org, closed_2)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_outsider_learns_nothing(closed_2, org, outsider, client_for):
    response = page(client_for(outsider), org, closed_2)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Acme" not in body and "Round 2.0" not in body and "committee" not in body and "2,67" not in body


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_members_without_unpublished_results_are_refused(role, closed_2, org, client_for):
    response = page(client_for(org.members_by_role[role]), org, closed_2)
    assert response.status_code == 403
    assert "2,67" not in response.content.decode()


def test_the_sponsor_sets_targets_with_the_committee_s_importance(closed_2, org, client_for):
    html = page(client_for(org.members_by_role["sponsor"]), org, closed_2).content.decode()
    assert selected(html, "importance-D3") == "1" and selected(html, "importance-D2") == "3"


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_after_publication_every_member_reads_the_importance_that_ranked(role, closed_2, org, client_for):
    publish(closed_2)
    response = page(client_for(english(org.members_by_role[role])), org, closed_2)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="importance-D1"' not in html  # read only
    row = re.search(r'<th scope="row">D1 .*?</tr>', html, re.S)
    assert row
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert text_of(cells[2]).strip().startswith("3 ")  # the importance cell: 3, then the note
    assert note(html, "D1") == "Average importance given by the committee: 2.67"
    assert importance_used_by_priorities(closed_2, "D1") == {3}

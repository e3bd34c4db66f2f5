"""`seed_demo` on question bank 2.0: the executives answer the RACI grid (issue #17) — an A each, and R, C
and I per role; they disagree on some activities' A, some name nobody, and the A is never consulted or
informed as well. The letters come from their own generator: the levels (and scores) stay the demo's."""

from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from assessments import demo, raci_catalogue
from assessments.models import Answer, RaciAnswer, RaciLetter, Round
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_round(framework):
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail", title=demo.DEMO_ROUND_TITLE)
    assert round_.framework.version == "2.0"
    return round_


def test_every_demo_executive_gives_letters_beside_their_a(demo_round):
    catalogue = raci_catalogue.catalogue_for(demo_round)
    roles = {r.key for r in catalogue.roles}
    participants = list(demo_round.participants.all())
    assert len(participants) == 8
    for participant in participants:
        letters = RaciLetter.objects.filter(participant=participant)
        assert letters.filter(letter="R").exists() and letters.filter(letter="C").exists()
        assert set(letters.values_list("role", flat=True)) <= roles
        # An A for every activity the round asks about.
        assert RaciAnswer.objects.filter(participant=participant).count() == len(catalogue.activities)
    # Never C or I for the role a participant names A (it may be R).
    accountable = {(a.participant_id, a.activity_id): a.choice for a in RaciAnswer.objects.filter(participant__round=demo_round)}
    for letter in RaciLetter.objects.filter(participant__round=demo_round):
        if accountable.get((letter.participant_id, letter.activity_id)) == letter.role:
            assert letter.letter == "R"


def test_the_executives_disagree_on_some_as_and_name_nobody_for_others(demo_round):
    votes = defaultdict(Counter)
    for activity, choice in RaciAnswer.objects.filter(participant__round=demo_round).values_list("activity__key", "choice"):
        votes[activity][choice] += 1
    for contested in ("cx_budget", "cx_strategy"):
        named = {c for c in votes[contested] if c not in ("nobody", "dont_know")}
        assert len(named) >= 2, contested  # several roles named A: the ownership map's ambiguity
    assert votes["cx_budget"]["cmo"] == 4 and votes["cx_budget"]["cfo"] == 3  # RACI_VOTES kept as each one's A
    assert votes["cx_finance_link"]["nobody"] >= 5
    assert any(counts["nobody"] == 0 for counts in votes.values())


def test_the_letters_change_no_level(demo_round, monkeypatch):
    """The same round seeded again without any letter gives the same answers, level for level."""

    def levels(round_):
        return sorted(
            Answer.objects.filter(participant__round=round_).values_list("participant__function", "question__key", "level")
        )

    users = {p.user.email: p.user for p in demo_round.participants.select_related("user")}
    users["consultant@demo.test"] = demo_round.created_by
    monkeypatch.setattr(demo, "_letters", lambda *args: [])
    twin = demo.seed_demo_round(OrganisationFactory(name="Twin Retail", slug="twin-retail"), users)
    assert levels(twin) == levels(demo_round) and levels(twin)
    assert not RaciLetter.objects.filter(participant__round=twin).exists()

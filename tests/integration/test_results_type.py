"""Snapshots stored by the real code read back through the type without losing a byte (issue #14, item 5).

Each round is closed through the services, so its snapshot is what ``results_store`` writes:
attributed with don't-knows, a dimension nobody could score and a recorded consensus; anonymous
with one submission (a low sample, no function group shown); after a withdrawal; the demo. The
pure shapes are covered in tests/unit/test_snapshot_type.py.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from assessments import services
from assessments.domain.snapshot import Results
from assessments.exports import round_results
from assessments.models import Answer, ResultSnapshot, Round, RoundStatus
from assessments.results import compute_results

pytestmark = pytest.mark.django_db


def stored(round_) -> dict:
    return ResultSnapshot.objects.get(round_id=round_.pk).data


def assert_round_trips(round_) -> Results:
    data = stored(round_)
    results = Results.from_data(data)
    assert results.to_data() == data
    if not _reorders_keys():
        assert json.dumps(results.to_data()) == json.dumps(data)  # byte for byte where the database keeps key order
    return results


def _reorders_keys() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"  # jsonb hands objects back in an order of its own


def answer(round_, level_of):
    """Every participant answers every question: ``level_of(index, question)`` (None is a don't-know)."""
    questions = list(round_.framework.questions.select_related("dimension").order_by("position"))
    for index, participant in enumerate(round_.participants.order_by("pk")):
        Answer.objects.bulk_create(Answer(participant=participant, question=q, level=level_of(index, q)) for q in questions)


def close(round_):
    services.round_transition(round_=round_, to="closed")
    return Round.objects.get(pk=round_.pk)


def test_an_attributed_round_with_dont_knows_an_unscored_dimension_and_a_consensus(open_round, org):
    def level_of(index, question):
        if question.dimension.key == "D10":
            return None  # nobody can say: D10 is unscored
        if question.position % 4 == index:
            return None
        return (index * 2 + question.position) % 5 + 1

    answer(open_round, level_of)
    round_ = close(open_round)
    question = round_.framework.questions.get(key="D1.1")
    services.consensus_record(
        round_=round_, question=question, level=4, rationale="Agreed « à l'unanimité ».", user=org.members_by_role["facilitator"]
    )
    results = assert_round_trips(round_)
    assert results.dimension("D10").unscored and results.dimension("D10").score is None
    assert results.question("D1.1").consensus_rationale == "Agreed « à l'unanimité »."
    assert sum(q.dont_know for q in results.questions) > 0
    assert {m.function for m in results.alignment.by_function} == {"cxo", "ceo", "cfo"}  # attributed: every group


def test_an_anonymous_round_with_one_submission_is_a_low_sample(org, framework):
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Anon", anonymous=True
    )
    for role, function in (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo")):
        services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save()
    answer(round_, lambda index, q: None if q.position % 3 == 0 else index + 2)
    last = round_.participants.order_by("pk").last()
    Answer.objects.filter(participant=last, question__dimension__key="D3").delete()  # D3: 2 respondents of 3 needed
    services.participant_submit(participant=round_.participants.order_by("pk").first())
    round_ = close(round_)
    results = assert_round_trips(round_)
    assert results.sample is not None and results.sample.low and results.sample.submitted == 1
    assert [d.key for d in results.sample.short] == ["D3"]
    assert results.alignment.by_function == ()  # groups of one are never shown in an anonymous round


def test_after_a_withdrawal_the_refreshed_snapshot_still_round_trips(open_round):
    answer(open_round, lambda index, q: index + 1)
    round_ = close(open_round)
    services.participant_withdraw(participant=round_.participants.order_by("pk").last())
    results = assert_round_trips(round_)
    assert results.participants.counted == 2


def test_the_demo_round_round_trips(framework):
    call_command("seed_demo", stdout=StringIO())
    demo = Round.objects.get(organisation__slug="demo-retail")
    results = assert_round_trips(demo)
    assert results.contested() and all(d.score is not None for d in results.dimensions)


def test_a_snapshot_is_parsed_once_per_instance_and_again_when_its_data_changes(open_round):
    answer(open_round, lambda index, q: index + 2)
    round_ = close(open_round)
    snapshot = round_.snapshot
    first = snapshot.results
    assert snapshot.results is first  # one parse per request: the page's helpers share it
    snapshot.refresh_from_db()
    assert snapshot.results is not first and snapshot.results == first
    snapshot.data = {**snapshot.data, "participants": {"counted": 9, "submitted": 9}}
    assert snapshot.results.participants.counted == 9


def test_exports_read_the_stored_results_once_closed_and_live_figures_before(open_round):
    answer(open_round, lambda index, q: index + 3)
    live = round_results(open_round)
    expected = compute_results(open_round)
    expected.pop("computed_at")
    assert {k: v for k, v in live.to_data().items() if k != "computed_at"} == expected
    round_ = close(open_round)
    assert round_results(round_) is round_.snapshot.results

"""A closed round's snapshot always equals a recomputation from the answers that count.

PRODUCT.md: every saved answer of a participant who has not been withdrawn counts. Withdrawing
a participant or removing the member after closing, and autosaves racing the closing, must all
leave the snapshot equal to compute_results on the stored answers.
"""

import contextlib
import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from assessments import services
from assessments.models import Participant, ResultSnapshot, Round, RoundStatus
from assessments.results import compute_results
from organisations import services as organisation_services
from organisations.models import Membership, Role
from tests.conftest import publish, require_service
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def recomputed(round_) -> dict:
    data = compute_results(Round.objects.get(pk=round_.pk))
    data.pop("computed_at")
    return data


def snapshot(round_) -> dict:
    data = dict(ResultSnapshot.objects.get(round_id=round_.pk).data)
    data.pop("computed_at")
    return data


def answer_all(round_, level_of):
    questions = list(round_.framework.questions.order_by("position")[:10])
    for participant in round_.participants.all():
        for question in questions:
            services.answer_save(participant=participant, question=question, values={"level": level_of(participant)})


@pytest.mark.django_db
def test_withdrawal_after_closing_updates_the_snapshot(org, open_round, client_for):
    levels = {"facilitator": 1, "sponsor": 2, "respondent": 5}
    answer_all(open_round, lambda p: levels[p.user.email.split("@")[0]])
    services.round_transition(round_=open_round, to="closed")
    before = snapshot(open_round)
    respondent = open_round.participants.get(user=org.members_by_role["respondent"])
    response = client_for(org.members_by_role["facilitator"]).post(
        reverse("assessments:participant_withdraw", args=[org.slug, open_round.pk, respondent.pk]), {"confirm": "1"}, follow=True
    )
    assert response.status_code == 200
    after = snapshot(open_round)
    assert after != before
    assert after == recomputed(open_round)
    assert after["participants"]["counted"] == 2
    assert after["distributions"]["D1.1"]["5"] == 0


@pytest.mark.django_db
def test_member_removal_after_publishing_updates_the_snapshot(org, open_round, client_for):
    answer_all(open_round, lambda p: 5 if p.user == org.members_by_role["sponsor"] else 2)
    publish(open_round)
    membership = Membership.objects.get(organisation=org, user=org.members_by_role["sponsor"])
    response = client_for(org.members_by_role["facilitator"]).post(
        reverse("organisations:member_remove", args=[org.slug, membership.pk]), {"confirm": "1"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert open_round.participants.get(user=org.members_by_role["sponsor"]).withdrawn_at is not None
    after = snapshot(open_round)
    assert after == recomputed(open_round)
    assert after["distributions"]["D1.1"] == {"1": 0, "2": 2, "3": 0, "4": 0, "5": 0, "dk": 0}


@pytest.mark.django_db
def test_organisations_reaches_rounds_only_through_its_signal():
    """organisations.services sends member_removed; the receiver lives in assessments (lower layers never import higher ones)."""
    from organisations.signals import member_removed

    assert any(
        "withdraw_removed_member" in repr(receiver) for _key, receiver in [(r[0], r[1]()) for r in member_removed.receivers]
    )
    with open(organisation_services.__file__, encoding="utf-8") as file:
        source = file.read()
    member_remove = source.split("def member_remove", 1)[1].split("\ndef ", 1)[0]
    assert "assessments" not in member_remove


# ------------------------------------------------------------------ autosaves racing the closing


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_autosaves_in_flight_while_closing_are_in_the_snapshot_or_refused(org, framework):
    """Autosaves fired at the moment of closing: each one either counts in the snapshot or gets a 409."""
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (DATABASE_URL)", False)
    questions = list(framework.questions.order_by("position").values_list("key", flat=True))
    users = [
        MembershipFactory(organisation=org, role=Role.RESPONDENT, user=UserFactory(email=f"racer{i}@acme.test")).user
        for i in range(6)
    ]
    mismatches = 0
    for attempt in range(12):
        round_ = services.round_create(
            organisation=org, user=org.members_by_role["facilitator"], framework=framework, title=f"Race {attempt}"
        )
        for user in users:
            services.participant_invite(round_=round_, email=user.email, function="other")
        Round.objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
        clients = []
        for user in users:
            client = Client()
            client.force_login(user)
            clients.append(client)
        barrier = threading.Barrier(len(clients) + 1)
        statuses: list[int] = []

        def autosave(client, offset, round_=round_, barrier=barrier, statuses=statuses):
            barrier.wait()
            for i in range(8):
                key = questions[(offset * 8 + i) % len(questions)]
                statuses.append(
                    client.post(
                        reverse("assessments:answer_save", args=[org.slug, round_.pk, key]),
                        {f"q-{key}-level": str(1 + (i + offset) % 5)},
                    ).status_code
                )
            connection.close()

        def close(round_=round_, barrier=barrier):
            barrier.wait()
            services.round_transition(round_=Round.objects.get(pk=round_.pk), to="closed")
            connection.close()

        threads = [threading.Thread(target=autosave, args=(c, n)) for n, c in enumerate(clients)] + [
            threading.Thread(target=close)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert set(statuses) <= {200, 409}
        if snapshot(round_) != recomputed(round_):
            mismatches += 1
    assert mismatches == 0, f"{mismatches} of 12 closings stored a snapshot that misses answers committed after it"


# ------------------------------------------------------------------ any sequence of operations


class SnapshotMachine(RuleBasedStateMachine):
    """Answers, withdrawals, member removals, closings and reopenings in any order."""

    def __init__(self):
        super().__init__()
        from assessments.models import Framework

        # Each example in its own savepoint, rolled back in teardown: replays start from the same database.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

        framework = Framework.objects.get(key="cx-governance", version="1.0")
        self.org = OrganisationFactory()
        facilitator = MembershipFactory(organisation=self.org, role=Role.FACILITATOR).user
        self.round = services.round_create(organisation=self.org, user=facilitator, framework=framework, title="Property")
        self.people = [MembershipFactory(organisation=self.org, role=Role.RESPONDENT).user for _ in range(3)]
        for person in self.people:
            services.participant_invite(
                round_=self.round, email=person.email, function=["ceo", "cfo", "cxo"][len(self.people) % 3]
            )
        services.round_transition(round_=self.round, to="open")
        self.questions = list(framework.questions.order_by("position")[:3])

    def participant(self, index) -> Participant:
        return Participant.objects.get(round=self.round, user=self.people[index])

    @rule(who=st.integers(0, 2), question=st.integers(0, 2), level=st.sampled_from([1, 2, 3, 4, 5, None]))
    def answer(self, who, question, level):
        with contextlib.suppress(services.RoundClosedError):
            services.answer_save(participant=self.participant(who), question=self.questions[question], values={"level": level})

    @rule(who=st.integers(0, 2))
    def withdraw(self, who):
        participant = self.participant(who)
        if participant.withdrawn_at is None:
            services.participant_withdraw(participant=participant)

    @rule(who=st.integers(0, 2))
    def remove_member(self, who):
        membership = Membership.objects.filter(organisation=self.org, user=self.people[who]).first()
        if membership is not None:
            organisation_services.member_remove(membership=membership)

    @rule(who=st.integers(0, 2))
    def invite_again(self, who):
        if Round.objects.get(pk=self.round.pk).status in (RoundStatus.DRAFT, RoundStatus.OPEN):
            services.participant_invite(round_=self.round, email=self.people[who].email, function="coo")

    @rule()
    def close(self):
        with contextlib.suppress(services.TransitionError):
            services.round_transition(round_=self.round, to="closed")

    @rule()
    def reopen(self):
        with contextlib.suppress(services.TransitionError):
            services.round_transition(round_=self.round, to="open")

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @invariant()
    def snapshot_equals_recomputation(self):
        if Round.objects.get(pk=self.round.pk).status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
            assert snapshot(self.round) == recomputed(self.round)


@pytest.mark.django_db
def test_any_sequence_keeps_the_snapshot_equal_to_a_recomputation(framework):
    run_state_machine_as_test(SnapshotMachine, settings=settings(max_examples=30, stateful_step_count=12, deadline=None))

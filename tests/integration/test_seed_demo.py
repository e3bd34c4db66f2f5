"""`seed_demo`: idempotent, the accounts and roles of PRODUCT.md, and a closed round with real disagreement."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from assessments.models import Answer, Participant, Round
from organisations.models import Membership

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_is_idempotent_and_complete(framework):
    printed = seed()
    counts = (
        User.objects.count(),
        Membership.objects.count(),
        Round.objects.count(),
        Participant.objects.count(),
        Answer.objects.count(),
    )
    seed()
    assert counts == (
        User.objects.count(),
        Membership.objects.count(),
        Round.objects.count(),
        Participant.objects.count(),
        Answer.objects.count(),
    )
    assert "consultant@demo.test" in printed and "cxgov-demo" in printed
    roles = dict(Membership.objects.values_list("user__email", "role").filter(organisation__slug="demo-retail"))
    assert roles["consultant@demo.test"] == "facilitator" and roles["sponsor@demo.test"] == "sponsor"
    assert all(roles[f"respondent{i}@demo.test"] == "respondent" for i in range(1, 9))
    assert list(Membership.objects.filter(user__email="outsider@demo.test").values_list("organisation__slug", "role")) == [
        ("other-bank", "facilitator")
    ]
    assert User.objects.get(email="respondent3@demo.test").check_password("cxgov-demo")


def test_demo_round_has_disagreement_and_dont_know(framework):
    seed()
    round_ = Round.objects.get(organisation__slug="demo-retail")
    assert round_.status == "closed" and not round_.anonymous
    participants = list(round_.participants.all())
    assert len(participants) == 8 and len({p.function for p in participants}) == 8
    answers = Answer.objects.filter(participant__round=round_)
    assert answers.filter(level__isnull=True).exists()
    levels = Counter(answers.filter(question__key="D3.2").values_list("level", flat=True))
    assert min(levels) == 1 and max(levels) == 5  # the disagreement the workshop discusses
    assert answers.exclude(comment="").exists()


def test_password_option(framework):
    seed("--password", "autre-mot-de-passe")
    assert User.objects.get(email="consultant@demo.test").check_password("autre-mot-de-passe")

"""Builds benchmark data: a round of N respondents on a framework of Q questions (shared with the tests)."""

import copy
import random

from django.utils import timezone

from accounts.models import User
from assessments.frameworks.loader import export_document, import_document
from assessments.models import Answer, Framework, Participant, Round, RoundStatus
from cxgov.tokens import new_nonce
from organisations.models import Membership, Organisation, Role

FUNCTIONS = ["ceo", "cxo", "cmo", "cfo", "chro", "coo", "cio", "sales", "service", "product"]


def framework_with(questions_per_dimension: int) -> Framework:
    """The shipped framework, or a copy with more questions per dimension (same texts, new keys)."""
    shipped = Framework.objects.get(key="cx-governance", version="1.0")
    if all(d.questions.count() == questions_per_dimension for d in shipped.dimensions.all()):
        return shipped
    version = f"bench-{questions_per_dimension}"
    existing = Framework.objects.filter(key="cx-governance", version=version).first()
    if existing:
        return existing
    doc = copy.deepcopy(export_document(shipped))
    doc["version"] = version
    for dimension in doc["dimensions"]:
        template = dimension["questions"][0]
        dimension["questions"] = [
            {**copy.deepcopy(template), "key": f"{dimension['key']}.{i + 1}"} for i in range(questions_per_dimension)
        ]
    return import_document(doc)


def build_round(
    *, respondents: int, questions_per_dimension: int = 5, slug: str = "bench-org", seed: int = 1
) -> tuple[Round, User]:
    """An open round with `respondents` participants who answered every question; returns (round, one respondent)."""
    rng = random.Random(seed)  # noqa: S311 — reproducible benchmark data
    framework = framework_with(questions_per_dimension)
    organisation, _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": f"Bench {slug}"})
    round_ = Round.objects.create(
        organisation=organisation,
        framework=framework,
        title=f"Bench {respondents}",
        status=RoundStatus.OPEN,
        opened_at=timezone.now(),
    )
    users = [
        User.objects.create_user(email=f"{slug}-{round_.pk}-{i}@bench.test", password="bench-pass-123")  # noqa: S106
        for i in range(respondents)
    ]
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=organisation, role=Role.RESPONDENT) for u in users], ignore_conflicts=True
    )
    participants = Participant.objects.bulk_create(
        [
            Participant(round=round_, user=u, function=FUNCTIONS[i % len(FUNCTIONS)], nonce=new_nonce())
            for i, u in enumerate(users)
        ]
    )
    questions = list(framework.questions.all())
    Answer.objects.bulk_create(
        [Answer(participant=p, question=q, level=rng.choice([1, 2, 3, 4, 5, None])) for p in participants for q in questions],
        batch_size=2000,
    )
    return round_, users[0]

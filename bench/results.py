"""Scoring a round of 40 participants on the shipped framework, and the results summary page for it."""

if __package__ in (None, ""):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import random

from bench.harness import median_ms, setup_django


def run() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from assessments import services
    from assessments.domain.alignment import align_round
    from assessments.domain.scoring import score_round
    from assessments.domain.types import Answer
    from assessments.models import Framework
    from assessments.results import framework_spec
    from bench.fixtures import FUNCTIONS, build_round
    from organisations.models import Membership

    spec = framework_spec(Framework.objects.get(key="cx-governance", version="1.0"))
    rng = random.Random(7)  # noqa: S311
    keys = [q.key for d in spec.dimensions for q in d.questions]
    answers = [Answer(participant_id=p, question_key=k, level=rng.choice([1, 2, 3, 4, 5, None])) for p in range(40) for k in keys]
    functions = {p: FUNCTIONS[p % len(FUNCTIONS)] for p in range(40)}

    scoring_ms = median_ms(lambda: score_round(spec, answers), runs=25)
    alignment_ms = median_ms(lambda: align_round(spec, answers, functions, False), runs=25)

    round_, _user = build_round(respondents=40, slug="bench-r")
    services.round_transition(round_=round_, to="closed")
    facilitator = User.objects.create_user(email="bench-facilitator@bench.test", password="bench-pass-123")  # noqa: S106
    Membership.objects.create(user=facilitator, organisation=round_.organisation, role="facilitator")
    client = Client()
    client.force_login(facilitator)
    url = reverse("assessments:results", args=["bench-r", round_.pk])

    def page():
        assert client.get(url).status_code == 200

    page_ms = median_ms(page)
    with CaptureQueriesContext(connection) as queries:
        page()
    return {
        "scoring_40_participants": {"value": scoring_ms, "unit": "ms", "target": 5, "better": "lower"},
        "alignment_40_participants": {"value": alignment_ms, "unit": "ms", "target": None, "better": "lower"},
        "results_summary_time": {"value": page_ms, "unit": "ms", "target": 50, "better": "lower"},
        "results_summary_queries": {"value": len(queries), "unit": "queries", "target": None, "better": "lower"},
    }


if __name__ == "__main__":
    teardown = setup_django()
    try:
        for name, figure in run().items():
            print(f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})")
    finally:
        teardown()

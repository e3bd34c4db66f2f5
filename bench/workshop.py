"""Live workshop: how long after a respondent's answer the facilitator's projector view shows it.

The projector polls the workshop partial every POLL_MS (htmx, `hx-trigger="every 2s"`). An
answer saved at a random moment waits for the next poll, then for the partial to be served, so

    latency = autosave server time + wait for the next poll + partial server time

Each trial saves a real answer through the autosave endpoint and fetches the real partial (both
timed, server side, through Django's test client), checks that the partial shows the new count,
and adds the wait for the next poll. The trials' save moments are spread evenly over the polling
interval (phase (i + ½) / n of it), so the median wait is half the interval, as for answers
arriving at random; the worst case waits the whole interval. Network and browser time are left
out, as in the other benchmarks (a few tens of milliseconds on a venue's Wi-Fi).

Round: 50 questions × 40 respondents who all answered (bench.fixtures), dimension D3.
"""

if __package__ in (None, ""):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import re
import statistics
import time

from bench.harness import median_ms, setup_django

POLL_MS = 2000
TRIALS = 15


def run() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import Answer
    from bench.fixtures import build_round
    from organisations.models import Membership, Role

    slug = "bench-w"
    round_, respondent = build_round(respondents=40, questions_per_dimension=5, slug=slug)
    facilitator = User.objects.create_user(email=f"facilitator@{slug}.test", password="bench-pass-123")
    Membership.objects.create(user=facilitator, organisation=round_.organisation, role=Role.FACILITATOR)
    phone, projector = Client(), Client()
    phone.force_login(respondent)
    projector.force_login(facilitator)
    save = reverse("assessments:answer_save", args=[slug, round_.pk, "D3.2"])
    live = reverse("assessments:workshop_live", args=[slug, round_.pk, "D3"]) + "?status=open"
    htmx = {"HTTP_HX_REQUEST": "true"}

    def fetch_partial() -> str:
        response = projector.get(live, **htmx)
        assert response.status_code == 200
        return response.content.decode()

    def shown(html: str, level: str) -> int:
        table = re.search(r'data-cx-distribution="D3\.2">(.*?)</table>', html, flags=re.S).group(1)
        return int(re.search(rf'data-level="{level}" data-count="(\d+)"', table).group(1))

    def expected(level: str) -> int:
        return Answer.objects.filter(participant__round=round_, question__key="D3.2", level=int(level)).count()

    partial_ms = median_ms(fetch_partial)
    latencies, server = [], []
    for i in range(TRIALS):
        level = str(1 + i % 5)
        start = time.perf_counter()
        assert phone.post(save, {"q-D3.2-level": level}).status_code == 200
        save_ms = (time.perf_counter() - start) * 1000
        wait_ms = POLL_MS * (i + 0.5) / TRIALS  # the next poll fires this long after the save
        start = time.perf_counter()
        html = fetch_partial()
        serve_ms = (time.perf_counter() - start) * 1000
        assert shown(html, level) == expected(level), "the partial does not show the new answer"
        latencies.append(save_ms + wait_ms + serve_ms)
        server.append(save_ms + serve_ms)
    with CaptureQueriesContext(connection) as queries:
        fetch_partial()
    return {
        "workshop_update_latency": {
            "value": round(statistics.median(latencies), 2),
            "unit": "ms",
            "target": 3000,
            "better": "lower",
        },
        "workshop_update_latency_worst": {
            "value": round(POLL_MS + max(server), 2),
            "unit": "ms",
            "target": 3000,
            "better": "lower",
        },
        "workshop_partial_time": {"value": partial_ms, "unit": "ms", "target": None, "better": "lower"},
        "workshop_partial_queries": {"value": len(queries), "unit": "queries", "target": 10, "better": "lower"},
    }


if __name__ == "__main__":
    teardown = setup_django()
    try:
        for name, figure in run().items():
            print(f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})")
    finally:
        teardown()

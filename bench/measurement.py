"""KPI register import: a CSV of 100,000 raw survey responses, median time and peak memory of the import;
and the time the import page takes to answer a 48.6 MB file of 2.7 million bad rows (a web worker is
killed after 30 s, so a bad file must be refused quickly)."""

if __package__ in (None, ""):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os
import random
import tempfile
import time
import tracemalloc

from bench.harness import median_ms, setup_django

RESPONSES = 100_000
INVALID_ROWS = 2_700_000  # 18 bytes a row: 48.6 MB, as in the report of issue #21
QUARTERS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


def write_responses(path: str, rows: int = RESPONSES, seed: int = 1) -> None:
    """NPS (half the rows), CSAT, CES on 1–7 and FCR over four quarters, `;`-separated with a BOM and decimal commas."""
    rng = random.Random(seed)  # reproducible benchmark data
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write("metric;period;score\r\n")
        for i in range(rows):
            quarter = QUARTERS[(i // 10) % 4]
            kind = i % 10
            if kind < 5:
                line = f"nps;{quarter};{rng.choice((0, 3, 5, 6, 7, 7, 8, 8, 9, 9, 10, 10))}"
            elif kind < 8:
                line = f"csat;{quarter};{rng.choice((1, 2, 3, 4, 4, 5, 5))}"
            elif kind < 9:
                line = f"ces;{quarter};{rng.choice(('2', '3,5', '4', '5', '5,5', '6', '7'))}"
            else:
                line = f"fcr;{quarter};{rng.choice((0, 1, 1, 1))}"
            out.write(line + "\r\n")


def write_invalid(path: str, rows: int = INVALID_ROWS) -> None:
    """Raw NPS responses that are all out of range (4200 is not a 0–10 score)."""
    with open(path, "wb") as out:
        out.write(b"metric;period;score\r\n")
        chunk = b"nps;2026-Q3;4200\r\n" * 10_000
        for _ in range(rows // 10_000):
            out.write(chunk)


def invalid_file_answer_seconds(organisation, user) -> float:
    """One POST of the whole file to the import page through the test client (upload parsing included)."""
    from django.test import Client
    from django.urls import reverse

    handle, path = tempfile.mkstemp(suffix=".csv")
    os.close(handle)
    try:
        write_invalid(path)
        client = Client()
        client.force_login(user)
        url = reverse("measurement:import", kwargs={"slug": organisation.slug})
        with open(path, "rb") as upload:
            start = time.perf_counter()
            response = client.post(url, {"file": upload, "source": "bench"})
            seconds = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
    finally:
        os.unlink(path)
    return seconds


def run() -> dict:
    from accounts.models import User
    from measurement.models import Measurement
    from measurement.services import measurement_import
    from organisations.models import Membership, Organisation, Role

    organisation, _ = Organisation.objects.get_or_create(slug="bench-m", defaults={"name": "Bench measurement"})
    user = User.objects.filter(email="bench-m@bench.test").first() or User.objects.create_user(
        email="bench-m@bench.test", password="bench-pass-123"
    )
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.FACILITATOR})
    handle, path = tempfile.mkstemp(suffix=".csv")
    os.close(handle)
    try:
        write_responses(path)

        def import_file():
            with open(path, "rb") as upload:
                outcome = measurement_import(
                    organisation=organisation, user=user, file=upload, source="bench", ces_scale=7, fcr_window_days=7
                )
            assert outcome.imported and outcome.rows == RESPONSES, outcome.errors[:3]

        seconds = median_ms(import_file, runs=5, warmup=1) / 1000
        tracemalloc.start()
        try:
            import_file()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert Measurement.objects.filter(organisation=organisation).count() == 16
        assert sum(Measurement.objects.filter(organisation=organisation).values_list("n", flat=True)) == RESPONSES
    finally:
        os.unlink(path)
    invalid_seconds = invalid_file_answer_seconds(organisation, user)
    return {
        "measurement_invalid_file_answer_time": {"value": round(invalid_seconds, 2), "unit": "s", "target": 2, "better": "lower"},
        "measurement_import_time": {"value": round(seconds, 2), "unit": "s", "target": 5, "better": "lower"},
        "measurement_import_peak_memory": {"value": round(peak / 1024 / 1024, 2), "unit": "MB", "target": 200, "better": "lower"},
    }


if __name__ == "__main__":
    teardown = setup_django()
    try:
        for name, figure in run().items():
            print(f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})")
    finally:
        teardown()

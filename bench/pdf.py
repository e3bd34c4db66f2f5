"""The demo PDF: WeasyPrint warm in-process against Chromium's command line on the same HTML (time and peak memory)."""

if __package__ in (None, ""):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.harness import median_ms, setup_django

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
]


def _chromium(html_path: Path, runs: int = 5) -> tuple[float, float] | None:
    chromium = shutil.which("chromium")
    time_bin = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if not chromium:
        return None
    walls, peaks = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as profile:
            out = Path(profile) / "out.pdf"
            cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", html_path.as_uri()]
            if time_bin:
                cmd = [time_bin, "-v", *cmd]
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            walls.append(time.perf_counter() - start)
            match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
            if match:
                peaks.append(int(match.group(1)) / 1024)
    return statistics.median(walls) * 1000, (statistics.median(peaks) if peaks else float("nan"))


def run() -> dict:
    from django.core.management import call_command

    from assessments.models import Round
    from reports.builders import build_report_data
    from reports.models import Report
    from reports.rendering import render_html, render_pdf
    from reports.services import report_request

    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    round_ = Round.objects.get(organisation__slug="demo-retail")
    html = render_html(build_report_data(round_, "fr"))
    render_pdf(html)  # warm: fonts, CSS, imports
    renders = []
    weasy_ms = median_ms(lambda: renders.append(render_pdf(html)), runs=5, warmup=1)
    # Peak memory a render adds, summed over the processes doing it (this one and its forked helpers).
    growth = statistics.median(r.peak_growth_mb for r in renders)
    pages, processes = renders[-1].pages, renders[-1].processes
    single_ms = median_ms(lambda: render_pdf(html, processes=1), runs=5, warmup=1)

    # The same HTML, with its static files, for Chromium's command line.
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        from django.contrib.staticfiles import finders

        for relative in (
            "css/report.css",
            "fonts/LiberationSans-Regular.ttf",
            "fonts/LiberationSans-Bold.ttf",
            "fonts/LiberationSans-Italic.ttf",
        ):
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(finders.find(relative), target)
        page = root / "report.html"
        page.write_text(html, encoding="utf-8")
        chromium = _chromium(page)

    # A cached re-download: the request finds the stored file, the download streams it.
    from django.test import Client

    from accounts.models import User

    user = User.objects.get(email="consultant@demo.test")
    report, _ = report_request(round_=round_, language="fr", user=user)
    report = Report.objects.get(pk=report.pk)
    client = Client()
    client.force_login(user)
    url = f"/o/demo-retail/rounds/{round_.pk}/reports/{report.pk}/download/"

    def download():
        response = client.get(url)
        b"".join(response.streaming_content)

    download_ms = median_ms(download, runs=15)
    figures = {
        "pdf_render_warm": {"value": round(weasy_ms), "unit": "ms", "target": None, "better": "lower"},
        "pdf_render_processes": {"value": processes, "unit": "processes", "target": None, "better": "lower"},
        "pdf_render_single_process": {"value": round(single_ms), "unit": "ms", "target": None, "better": "lower"},
        "pdf_pages": {"value": pages, "unit": "pages", "target": None, "better": "lower"},
        "pdf_render_rss_growth": {"value": round(growth, 1), "unit": "MB", "target": None, "better": "lower"},
        "pdf_cached_download": {"value": download_ms, "unit": "ms", "target": 50, "better": "lower"},
    }
    if chromium:
        chrome_ms, chrome_mb = chromium
        figures["chromium_print_wall"] = {"value": round(chrome_ms), "unit": "ms", "target": None, "better": "lower"}
        figures["chromium_print_peak_rss"] = {"value": round(chrome_mb, 1), "unit": "MB", "target": None, "better": "lower"}
        figures["pdf_time_ratio_vs_chromium"] = {
            "value": round(weasy_ms / chrome_ms, 2),
            "unit": "x",
            "target": 1.0,
            "better": "lower",
        }
        figures["pdf_memory_ratio_vs_chromium"] = {
            "value": round(max(growth, 0) / chrome_mb, 2),
            "unit": "x",
            "target": 0.5,
            "better": "lower",
        }
    return figures


if __name__ == "__main__":
    teardown = setup_django()
    try:
        for name, figure in run().items():
            print(f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})")
    finally:
        teardown()

"""The PDF: contents checked with pdftotext, a TOC that tells the truth, nothing fetched, the pipeline's states."""

import io
import itertools
import re
import shutil
import subprocess
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Round
from reports import services
from reports.models import Report
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")]


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def render(round_, tmp_path, lang="fr"):
    pdf = tmp_path / f"report-{lang}.pdf"
    call_command(
        "render_report",
        str(round_.pk),
        "--output",
        str(pdf),
        "--lang",
        lang,
        "--html",
        str(tmp_path / "r.html"),
        stdout=StringIO(),
    )
    return pdf


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def test_demo_report_contents_and_toc(demo, tmp_path):
    pdf = render(demo, tmp_path)
    pages = pages_text(pdf)
    full = "\n".join(pages)
    assert "Demo Retail" in pages[0]
    flat = re.sub(r"\s+", " ", full)
    for dimension in demo.framework.dimensions.all():
        assert dimension.title_fr in flat, dimension.key
    assert "RACI" in full and "Feuille de route" in full
    # Every TOC entry points to the page where its heading really is.
    toc = pages[1]
    entries = re.findall(r"^\s*(D\d+) · .*?\s{2,}(\d+)\s*$", toc, flags=re.M)
    assert len(entries) == demo.framework.dimensions.count() == 11  # the demo runs on question bank 2.0
    for key, page in entries:
        assert re.search(rf"^\s*{key} · ", pages[int(page) - 1], flags=re.M), (key, page)
    summary_page = int(re.search(r"Synthèse\s{2,}(\d+)", toc).group(1))
    assert "Synthèse" in pages[summary_page - 1]
    # The artifacts a person looks at: the cover and the RACI page.
    ARTIFACTS.mkdir(exist_ok=True)
    raci_page = (
        next(i for i, text in enumerate(pages) if "RACI de la responsabilité CX" in text or "RACI of CX ownership" in text) + 1
    )
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(ARTIFACTS / "report-cover")],
        check=True,
    )
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            "-f",
            str(raci_page),
            "-l",
            str(raci_page),
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "report-raci"),
        ],
        check=True,
    )


def test_english_report(demo, tmp_path):
    full = re.sub(r"\s+", " ", "\n".join(pages_text(render(demo, tmp_path, "en"))))
    first = demo.framework.dimensions.get(key="D1").title_en
    assert "Executive summary" in full and first in full


class Canary(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802 — http.server's naming
        Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_user_text_can_never_make_the_renderer_fetch_anything(demo, tmp_path):
    server = HTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    hostile = (
        f'<img src="http://127.0.0.1:{port}/comment"><link rel="stylesheet" href="file:///etc/passwd"><script>alert(1)</script>'
    )
    try:
        Answer.objects.filter(participant__round=demo, question__key="D1.1").update(comment=hostile)
        demo.organisation.name = f'Demo <img src="http://127.0.0.1:{port}/org"> Retail'
        demo.organisation.save()
        full = "\n".join(pages_text(render(demo, tmp_path)))
    finally:
        server.shutdown()
    assert Canary.hits == []
    assert f"http://127.0.0.1:{port}/comment" in re.sub(r"\s+", "", full) or "<img" in full
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'<img src="http://127.0.0.1:{port}' not in html


def test_fetcher_serves_static_files_only():
    from reports.rendering import BlockedFetch, resolve

    content, mime = resolve("https://cxgov-static.invalid/static/css/report.css")
    assert b"@page" in content and mime == "text/css"
    assert resolve("data:text/css,a%7Bb:c%7D") == (b"a{b:c}", "text/css")
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:8000/",
        "https://cxgov-static.invalid/static/../../manage.py",
        "https://cxgov-static.invalid/media/logos/x.png",
        "https://evil.example/static/css/report.css",
    ):
        with pytest.raises(BlockedFetch):
            resolve(url)


# ------------------------------------------------------------------------------ pipeline


@pytest.mark.django_db(transaction=True)
def test_request_render_reuse_and_download(demo, client_for):
    from accounts.models import User

    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    url = reverse("reports:request", args=["demo-retail", demo.pk])
    assert consultant.post(url, {"language": "fr"}).status_code == 302
    report = Report.objects.get()
    assert report.status == "done" and report.pages > 15 and report.checksum
    consultant.post(url, {"language": "fr"})
    assert Report.objects.count() == 1  # nothing changed: the same file is reused
    download = consultant.get(reverse("reports:download", args=["demo-retail", demo.pk, report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    status = consultant.get(reverse("reports:status", args=["demo-retail", demo.pk, report.pk]))
    assert b"hx-trigger" not in status.content  # done: the page stops polling
    from assessments import services as round_services

    round_services.consensus_record(
        round_=demo, question=demo.framework.questions.get(key="D1.1"), level=4, rationale="x", user=None
    )
    consultant.post(url, {"language": "fr"})
    assert Report.objects.count() == 2  # the content changed: a new report


def test_a_task_delivered_twice_renders_once(demo):
    report = Report.objects.create(round=demo, language="fr", content_hash="x")
    assert services.report_render(report.pk) is not None
    assert services.report_render(report.pk) is None
    assert Report.objects.get(pk=report.pk).status == "done"


@pytest.mark.django_db(transaction=True)
def test_failure_shows_its_message_and_can_be_retried(demo, client_for, monkeypatch):
    from accounts.models import User

    def boom(html):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(services, "html_to_pdf", boom)
    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    consultant.post(reverse("reports:request", args=["demo-retail", demo.pk]), {"language": "en"})
    report = Report.objects.get()
    assert report.status == "failed" and "renderer exploded" in report.error
    page = consultant.get(reverse("reports:list", args=["demo-retail", demo.pk])).content.decode()
    assert "renderer exploded" in page and reverse("reports:retry", args=["demo-retail", demo.pk, report.pk]) in page
    monkeypatch.undo()
    consultant.post(reverse("reports:retry", args=["demo-retail", demo.pk, report.pk]))
    assert Report.objects.get(pk=report.pk).status == "done"


def test_a_report_stuck_running_is_failed_when_polled(demo, client_for):
    from accounts.models import User

    report = Report.objects.create(
        round=demo, language="fr", content_hash="y", status="running", started_at=timezone.now() - timedelta(minutes=11)
    )
    fresh = Report.objects.create(round=demo, language="fr", content_hash="z", status="running", started_at=timezone.now())
    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    consultant.get(reverse("reports:status", args=["demo-retail", demo.pk, report.pk]))
    assert Report.objects.get(pk=report.pk).status == "failed"
    assert services.reports_sweep() == 0 and Report.objects.get(pk=fresh.pk).status == "running"


@pytest.mark.django_db(transaction=True)
def test_broker_unreachable_gives_a_clear_message(demo, client_for, monkeypatch):
    from kombu.exceptions import OperationalError

    from accounts.models import User
    from cxgov.celery import app
    from outbox.models import OutboxMessage
    from reports import tasks

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.report_generate, "apply_async", unreachable)
    user = User.objects.get(email="consultant@demo.test")
    User.objects.filter(pk=user.pk).update(language="en")
    consultant = client_for(user)
    response = consultant.post(reverse("reports:request", args=["demo-retail", demo.pk]), {"language": "fr"}, follow=True)
    assert response.status_code == 200
    assert "your report will be generated as soon as it is back" in response.content.decode()
    report = Report.objects.get()
    # Nothing lost: the report waits, and so does its task, for the relay.
    assert report.status == "pending"
    assert OutboxMessage.objects.filter(key=f"report:{report.pk}", sent_at__isnull=True).count() == 1


# ------------------------------------------------------------------------------ parallel layout


def demo_html(round_, lang="fr"):
    from reports.builders import build_report_data
    from reports.rendering import render_html

    return render_html(build_report_data(round_, lang))


def page_images(pdf: bytes, tmp_path: Path, name: str) -> list[bytes]:
    from PIL import Image

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / name)], check=True)
    return [Image.open(png).convert("RGB").tobytes() for png in sorted(tmp_path.glob(f"{name}-*.png"))]


def test_chapters_laid_out_in_parallel_give_the_same_pages_links_and_outline(demo, tmp_path):
    import pikepdf

    from reports.rendering import render_pdf

    html = demo_html(demo)
    whole = render_pdf(html, processes=1)
    parallel = render_pdf(html, processes=2)
    assert (whole.processes, parallel.processes) == (1, 2) and whole.pages == parallel.pages > 15
    # Pixel for pixel the same pages: page numbers, contents numbers, running headers, landscape RACI.
    assert page_images(parallel.pdf, tmp_path, "parallel") == page_images(whole.pdf, tmp_path, "whole")
    (tmp_path / "p.pdf").write_bytes(parallel.pdf)
    assert pages_text(tmp_path / "p.pdf")[2].count("Synthèse") >= 1

    def outline(pdf):
        with pikepdf.open(io.BytesIO(pdf)) as document, document.open_outline() as tree:
            pages = {page.objgen: n for n, page in enumerate(document.pages)}
            return [(item.title, pages[item.destination[0].objgen], len(item.children)) for item in tree.root]

    assert outline(parallel.pdf) == outline(whole.pdf)
    assert [title for title, _, _ in outline(parallel.pdf)][:2] == ["Sommaire", "Synthèse"]

    # Every contents line links to the page its chapter starts on, and prints that page's number.
    def contents_links(pdf):
        with pikepdf.open(io.BytesIO(pdf)) as document:
            pages = {page.objgen: n for n, page in enumerate(document.pages)}
            names = pikepdf.NameTree(document.Root.Names.Dests)

            def target(link):  # an explicit destination, or a named one (WeasyPrint's own)
                destination = link.Dest if isinstance(link.Dest, pikepdf.Array) else names[str(link.Dest)]
                return pages[destination[0].objgen]

            return [(target(link), tuple(sorted(round(float(v), 1) for v in link.Rect))) for link in document.pages[1].Annots]

    links = contents_links(parallel.pdf)
    assert links == contents_links(whole.pdf)
    targets = [page for page, _ in itertools.groupby(target for target, _ in links)]
    toc_numbers = [int(n) for n in re.findall(r"\s{2,}(\d+)\s*$", pages_text(tmp_path / "p.pdf")[1], flags=re.M)]
    # The contents, the summary, a page per dimension, then alignment, roadmap, RACI, KPIs, method, appendix,
    # and the chapters a round may add: the ownership map (2.0 rounds) and the decision log (issue #17).
    chapters = 2 + demo.framework.dimensions.count() + 5 + sum(f'id="{name}"' in html for name in ("ownership", "decisions"))
    assert len(targets) == chapters and [target + 1 for target in targets] == toc_numbers
    with pikepdf.open(io.BytesIO(parallel.pdf)) as document:
        assert document.Root.Lang == "fr" and "Demo Retail" in str(document.docinfo.Title)
        fonts = [str(font.BaseFont) for page in document.pages for font in page.Resources.Font.values()]
    assert len({name for name in fonts if name.endswith("+Report-Sans")}) == 3  # one subset per part, each its own tag


def test_a_failing_dying_or_hanging_layout_process_fails_the_render_and_leaves_no_process(demo, monkeypatch):
    import os

    from reports import rendering
    from reports.forking import ForkedCallFailed

    html = demo_html(demo)

    def broken(html):
        raise ValueError("layout exploded")
        yield

    monkeypatch.setattr(rendering, "_body_stages", broken)
    with pytest.raises(ForkedCallFailed, match="layout exploded"):
        rendering.render_pdf(html, processes=2)

    def dies(html):
        os._exit(3)
        yield

    monkeypatch.setattr(rendering, "_body_stages", dies)
    with pytest.raises(ForkedCallFailed, match="stopped before"):
        rendering.render_pdf(html, processes=2)

    def hangs(html):
        time.sleep(60)
        yield

    monkeypatch.setattr(rendering, "_body_stages", hangs)
    monkeypatch.setattr(rendering, "PART_TIMEOUT", 1)
    started = time.monotonic()
    with pytest.raises(ForkedCallFailed, match="more than 1 s"):
        rendering.render_pdf(html, processes=2)
    assert time.monotonic() - started < 10  # stopped, not waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child was reaped


def test_one_process_setting_renders_in_this_process(demo, settings):
    from reports.rendering import render_pdf

    settings.REPORT_PDF_PROCESSES = 1
    result = render_pdf(demo_html(demo, "en"))
    assert result.processes == 1 and result.pdf.startswith(b"%PDF") and result.pages > 15


def test_the_collector_is_paused_during_a_render_and_resumed_after_even_on_failure(demo, monkeypatch):
    import gc

    from reports import rendering

    html = demo_html(demo)
    seen = []
    document = rendering._document

    def watching(*args, **kwargs):
        seen.append(gc.isenabled())
        return document(*args, **kwargs)

    monkeypatch.setattr(rendering, "_document", watching)
    assert gc.isenabled()
    rendering.render_pdf(html, processes=1)
    assert seen == [False] and gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(rendering, "_document", broken)
    with pytest.raises(RuntimeError):
        rendering.render_pdf(html, processes=1)
    assert gc.isenabled()


def test_a_contents_longer_than_a_page_and_free_text_ids_number_the_same_in_parallel(tmp_path):
    from reports.rendering import PART_BREAK, render_pdf

    ids = [f"c-é.{n}_x" for n in range(70)]  # framework keys are free text (ids with quotes WeasyPrint itself rejects)
    contents = "".join(f'<li><a href="#{id_}">Chapitre {n}</a></li>' for n, id_ in enumerate(ids))
    chapters = "".join(
        f'{PART_BREAK}<section class="chapter" id="{id_}"><h1>Chapitre {n}</h1><p>{"texte " * (n % 7 * 40)}</p></section>'
        for n, id_ in enumerate(ids)
    )
    html = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>T</title>'
        '<link rel="stylesheet" href="css/report.css"></head><body data-org="Org">'
        f'<section class="cover"><div class="cover-band">Org</div></section><section class="toc"><h1>Sommaire</h1><ol>{contents}</ol></section>'
        f"{chapters}</body></html>"
    )
    whole, parallel = render_pdf(html, processes=1), render_pdf(html, processes=2)
    assert parallel.processes == 2 and parallel.pages == whole.pages > 70
    (tmp_path / "w.pdf").write_bytes(whole.pdf)
    (tmp_path / "p.pdf").write_bytes(parallel.pdf)
    assert pages_text(tmp_path / "p.pdf") == pages_text(tmp_path / "w.pdf")
    pages = pages_text(tmp_path / "p.pdf")
    assert "Chapitre 0" in pages[1] and re.search(r"Chapitre 69\s+(\d+)", pages[2])  # the contents run over two pages
    assert re.search(r"Chapitre 69\s+(\d+)", pages[2]).group(1) == str(
        next(n for n, text in enumerate(pages, 1) if text.lstrip().startswith("Chapitre 69"))
    )


def test_renders_from_two_threads_at_once_both_succeed_one_after_the_other(demo, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from reports import rendering

    html = demo_html(demo)
    spans = []
    render = rendering._render_pdf

    def timed(*args, **kwargs):
        start = time.monotonic()
        try:
            return render(*args, **kwargs)
        finally:
            spans.append((start, time.monotonic()))

    monkeypatch.setattr(rendering, "_render_pdf", timed)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: rendering.render_pdf(html, processes=2), range(2)))
    assert [r.processes for r in results] == [2, 2] and results[0].pages == results[1].pages
    assert all(r.pdf.startswith(b"%PDF") for r in results)
    (first, second) = sorted(spans)
    assert first[1] <= second[0]  # never two forks at once: the second waited for the first


def test_a_bare_round_without_roadmap_raci_logos_or_kpis_renders_the_same_in_parallel(org, open_round, framework, tmp_path):
    from assessments import services as round_services
    from reports.rendering import render_pdf
    from roadmaps.models import RaciCell, Roadmap, RoadmapItem

    questions = list(framework.questions.all())
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=2) for p in open_round.participants.all() for q in questions
    )
    round_services.round_transition(round_=open_round, to="closed")
    # Closing proposes the RACI and generates the roadmap: without them, as a round closed before that.
    for model in (RoadmapItem, RaciCell, Roadmap):
        model.objects.filter(round=open_round).delete()
    open_round.refresh_from_db()
    html = demo_html(open_round, "en")
    whole, parallel = render_pdf(html, processes=1), render_pdf(html, processes=2)
    assert parallel.processes == 2 and parallel.pages == whole.pages
    assert page_images(parallel.pdf, tmp_path, "bare-parallel") == page_images(whole.pdf, tmp_path, "bare-whole")
    (tmp_path / "bare.pdf").write_bytes(parallel.pdf)
    text = "\n".join(pages_text(tmp_path / "bare.pdf"))
    assert "Acme Retail" in text and "No roadmap has been generated for this round yet." in re.sub(r"\s+", " ", text)

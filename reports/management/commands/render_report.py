"""Renders a round's PDF synchronously (French by default)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Round
from reports.builders import build_report_data
from reports.rendering import html_to_pdf, render_html


class Command(BaseCommand):
    help = "Render the PDF report of a closed round."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--lang", default="fr", choices=["fr", "en"])
        parser.add_argument("--html", default=None, help="Also write the HTML that was rendered.")

    def handle(self, *args, round_id, output, lang, html, **options):
        round_ = Round.objects.select_related("organisation", "framework").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"No round {round_id}.")
        if not hasattr(round_, "snapshot"):
            raise CommandError("This round has no results yet: close it first.")
        markup = render_html(build_report_data(round_, lang))
        if html:
            Path(html).write_text(markup, encoding="utf-8")
        pdf, pages = html_to_pdf(markup)
        Path(output).write_bytes(pdf)
        self.stdout.write(f"{output}: {pages} pages, {len(pdf):,} bytes")

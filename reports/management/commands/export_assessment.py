"""Prints one round as JSON (EXPORTS.md)."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Round
from reports.exports import build_export


class Command(BaseCommand):
    help = "Print a round as JSON (cxgov.assessment/1)."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)

    def handle(self, *args, round_id, **options):
        round_ = Round.objects.select_related("organisation", "framework").filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"No round {round_id}.")
        self.stdout.write(json.dumps(build_export(round_), ensure_ascii=False, indent=2))

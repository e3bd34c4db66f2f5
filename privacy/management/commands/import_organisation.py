"""Loads an organisation exported by `export_organisation` (all or nothing)."""

import json

from django.core.management.base import BaseCommand, CommandError

from privacy.portability import PortabilityError, import_organisation

MAX_SHOWN = 20  # problems repeated in the error itself (all of them go to stderr)


class Command(BaseCommand):
    help = "Import an organisation from an export_organisation JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", default=None, help="Short name to give it here (default: the exported one).")

    def handle(self, *args, file, slug, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                doc = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from None
        try:
            organisation = import_organisation(doc, slug=slug)
        except PortabilityError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            shown = "\n".join(error.problems[:MAX_SHOWN])
            more = f"\n… and {len(error.problems) - MAX_SHOWN} more" if len(error.problems) > MAX_SHOWN else ""
            raise CommandError(f"{len(error.problems)} problem(s), nothing was imported:\n{shown}{more}") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {organisation.name} as {organisation.slug}."))

"""Loads an organisation exported by `export_organisation` (all or nothing)."""

import json

from django.core.management.base import BaseCommand, CommandError

from privacy.portability import PortabilityError, import_organisation


class Command(BaseCommand):
    help = "Import an organisation from an export_organisation JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", default=None, help="Short name to give it here (default: the exported one).")

    def handle(self, *args, file, slug, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                doc = json.load(handle)
            organisation = import_organisation(doc, slug=slug)
        except (OSError, json.JSONDecodeError, PortabilityError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {organisation.name} as {organisation.slug}."))

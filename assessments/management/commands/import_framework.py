"""Imports a framework JSON file, refusing the whole file when any check fails."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.frameworks.loader import FrameworkError, import_document


class Command(BaseCommand):
    help = "Import a framework JSON file, schema 1 or 2 (EXPORTS.md, docs/exports.md). Nothing is written when any check fails."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                doc = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}") from None
        try:
            framework = import_document(doc)
        except FrameworkError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(error.problems)} problem(s): nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {framework.key} {framework.version}."))

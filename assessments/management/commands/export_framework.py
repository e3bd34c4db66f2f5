"""Prints a framework as JSON, in the schema it was imported with (EXPORTS.md; version 2 in docs/exports.md)."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.frameworks.loader import export_document, version_order
from assessments.models import Framework


class Command(BaseCommand):
    help = "Print a framework as JSON (the latest version of the key unless --version is given)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # PRODUCT.md names the option --version, which Django uses for its own version: ours wins here.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--key", default="cx-governance")
        parser.add_argument("--version", dest="fw_version", default=None)

    def handle(self, *args, key, fw_version, **options):
        frameworks = Framework.objects.filter(key=key)
        if fw_version:
            frameworks = frameworks.filter(version=fw_version)
        framework = max(frameworks, key=lambda f: version_order(f.version), default=None)
        if framework is None:
            raise CommandError(f"No framework {key} {fw_version or ''}".strip())
        self.stdout.write(json.dumps(export_document(framework), ensure_ascii=False, indent=2))

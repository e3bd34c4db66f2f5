"""Writes all of an organisation's data as JSON (to import into another instance)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from organisations.models import Organisation
from privacy.portability import export_organisation


class Command(BaseCommand):
    help = "Export an organisation (by its short name) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", default=None)

    def handle(self, *args, slug, output, **options):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No organisation {slug!r}.")
        text = json.dumps(export_organisation(organisation), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text)

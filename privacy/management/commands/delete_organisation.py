"""Deletes an organisation and all its data (irreversible)."""

from django.core.management.base import BaseCommand, CommandError

from organisations.models import Organisation
from privacy.services import organisation_delete


class Command(BaseCommand):
    help = "Delete an organisation (by short name) and everything in it."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--yes", action="store_true", help="Confirm the deletion.")

    def handle(self, *args, slug, yes, **options):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No organisation {slug!r}.")
        if not yes:
            raise CommandError("This deletes everything of the organisation: add --yes to confirm.")
        organisation_delete(organisation=organisation)
        self.stdout.write(self.style.SUCCESS(f"Deleted {slug}."))

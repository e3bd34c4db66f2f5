"""Validates an initiative library file (the shipped one by default), naming every problem with its JSON path."""

from django.core.management.base import BaseCommand, CommandError

from roadmaps.library.loader import SHIPPED_FILE, LibraryError, load_file


class Command(BaseCommand):
    help = "Validate an initiative library JSON file (default: the shipped library). Exits non-zero on any problem."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SHIPPED_FILE))

    def handle(self, *args, file, **options):
        try:
            library = load_file(file)
        except LibraryError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(error.problems)} problem(s): the library is refused.") from None
        self.stdout.write(self.style.SUCCESS(f"{library.key} {library.version}: {len(library.initiatives)} initiatives, valid."))

"""Erases a person's personal data; their answers stay, anonymised."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from privacy.services import person_erase


class Command(BaseCommand):
    help = "Erase a person (by e-mail): name and e-mail removed, account disabled, answers kept anonymously."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account {email!r}.")
        person_erase(user=user)
        self.stdout.write(self.style.SUCCESS("Erased."))

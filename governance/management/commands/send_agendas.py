"""Sends the agenda of tomorrow's steering meetings now (what Celery beat does twice a day)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from governance.tasks import send_due_agendas


class Command(BaseCommand):
    help = "E-mail the agenda of every steering meeting held tomorrow (Paris time) to its attendees, once."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today: {today!r} is not a date (YYYY-MM-DD)") from None
        count = send_due_agendas(today)
        self.stdout.write(f"{count} agenda e-mail(s) sent.")

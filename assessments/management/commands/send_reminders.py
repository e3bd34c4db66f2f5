"""Sends the due-date reminders now (what Celery beat does daily; for the embedded default)."""

from django.core.management.base import BaseCommand

from assessments.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Remind participants who have not submitted, for open rounds due within 3 days."

    def handle(self, *args, **options):
        count = send_due_reminders()
        self.stdout.write(f"{count} reminder(s) queued.")

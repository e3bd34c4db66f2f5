"""Sends to the broker the background work that could not be sent when it was recorded."""

from django.core.management.base import BaseCommand

from outbox.services import relay_waiting, waiting


class Command(BaseCommand):
    help = "Relays to the broker the outbox messages that are still waiting."

    def handle(self, *args, **options):
        sent = relay_waiting()
        self.stdout.write(f"{sent} message(s) sent, {waiting().count()} still waiting.")

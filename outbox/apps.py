"""Outbox: background work recorded in the same transaction as the change, relayed to the broker after commit.

The bottom layer: it imports no other app of the project; the others call it.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outbox")
    default_auto_field = "django.db.models.BigAutoField"

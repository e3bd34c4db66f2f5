"""Assessments: frameworks, rounds, participants, answers and scores."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from .frameworks.loader import load_shipped_frameworks

        # The shipped framework files are loaded on `migrate` (idempotent: existing versions are kept).
        post_migrate.connect(load_shipped_frameworks, sender=self)
        from .undo import register_handlers

        register_handlers()  # what organisations:undo may restore (organisations/undo.py)
        from .impact import register_providers

        register_providers()  # what removing a member does to the rounds (organisations/impact.py)
        from . import handlers

        handlers.connect()

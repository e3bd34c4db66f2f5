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
        from . import handlers

        handlers.connect()

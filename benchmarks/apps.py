"""Benchmarks app configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = _("Benchmarks")

    def ready(self):
        from . import handlers

        handlers.connect()  # the benchmark rows follow each results snapshot (assessments/signals.py)

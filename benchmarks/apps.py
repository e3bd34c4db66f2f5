"""Benchmarks app configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = _("Benchmarks")

    def ready(self):
        from assessments import panels

        from . import handlers

        # The results summary shows the benchmark section in the slot assessments offers for it.
        panels.register("results_summary", "benchmarks/_summary.html")
        handlers.connect()  # the benchmark rows follow each results snapshot (assessments/signals.py)

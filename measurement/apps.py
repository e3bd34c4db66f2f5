"""Measurement practice: the KPI register, its statistics (domain/metrics.py) and CSV import."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "measurement"
    verbose_name = _("Measurement")

    def ready(self):
        from .undo import register_handlers

        register_handlers()  # what organisations:undo may restore (organisations/undo.py)

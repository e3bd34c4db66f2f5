"""Measurement practice: the KPI register, its statistics (domain/metrics.py) and CSV import."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "measurement"
    verbose_name = _("Measurement")

    def ready(self):
        from assessments import panels, score_caps

        from .claims import evidence_caps
        from .undo import register_handlers

        register_handlers()  # what organisations:undo may restore (organisations/undo.py)
        # Claims against evidence (issue #18): beside each question on the results and in the workshop,
        # and the caps of a round that caps by evidence when its results are computed.
        panels.register("results_dimension", "measurement/claims_question.html")
        panels.register("workshop_question", "measurement/claims_workshop.html")
        score_caps.register(evidence_caps)

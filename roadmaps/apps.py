"""Roadmaps: targets, initiatives and the RACI of CX ownership."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = _("Roadmaps")

    def ready(self):
        from .undo import register_handlers

        register_handlers()  # what organisations:undo may restore (organisations/undo.py)
        from . import handlers

        handlers.connect()  # targets, RACI and roadmap follow the round's results and status (assessments/signals.py)
        from . import org_choices

        org_choices.connect()  # the RACI catalogue a round asks about; the chief executive's column title

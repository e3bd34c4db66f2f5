"""Workspace: what a consulting firm works with, above the rounds it runs for its clients.

The firm's pages and engagement templates, the consultant's home (every organisation with its
latest round), an organisation's home page (its rounds) and the new-round page that starts from a
template. Tenancy (organisations) keeps the firms, memberships and rights and knows nothing of this.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Workspace")

    def ready(self):
        from assessments import panels
        from roadmaps import target_defaults

        from .services import template_default_targets

        # A round started from a template takes the template's default targets (roadmaps sits below).
        target_defaults.register(template_default_targets)
        # Participants read the template's introduction where the questionnaire offers a slot for it.
        panels.register("round_introduction", "workspace/_round_introduction.html")

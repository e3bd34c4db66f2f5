"""The governance rhythm a validated to-be RACI drives: steering meetings, their agenda, the decision log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance rhythm")

"""Organisations: tenants, memberships, roles and invitations; all access scoping lives here."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from audit.middleware import register_organisation_finder

        from . import logos  # noqa: F401 — connects the receivers that delete logo files with their owner
        from .selectors import member_organisation

        # Audit sits below tenancy: it learns how to find a member's organisation from here.
        register_organisation_finder(member_organisation)

"""The default framework stays 1.0 while a newer version is loaded beside it (question bank 2.0, issue #16)."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.forms import RoundForm
from assessments.frameworks.loader import export_document, import_document
from assessments.models import Framework, Round
from assessments.selectors import default_framework
from roadmaps.services import default_framework as roles_framework
from workspace.forms import EngagementTemplateForm

pytestmark = pytest.mark.django_db


def test_a_newer_version_loaded_beside_1_0_does_not_become_the_default(framework, org):
    """2.0 is loaded on migrate, but new rounds, templates, the RACI roles and the demo start on 1.0 until the questionnaire shows 2.0."""
    newer = export_document(framework)
    newer["version"] = "9.0"
    import_document(newer)
    assert Framework.objects.order_by("-imported_at").first().version == "9.0"
    assert default_framework() == framework
    assert RoundForm(organisation=org).initial["framework"] == framework.pk
    assert EngagementTemplateForm().initial["framework"] == framework.pk
    assert roles_framework(org) == framework
    call_command("seed_demo", stdout=StringIO())
    assert set(Round.objects.values_list("framework__version", flat=True)) == {"1.0"}


def test_without_the_default_the_latest_imported_is_used(framework):
    other = export_document(framework)
    other["key"], other["version"] = "other-bank", "1.0"
    imported = import_document(other)
    Framework.objects.filter(pk=framework.pk).delete()
    assert default_framework() == imported

"""The default framework is question bank 2.0, whatever else is loaded beside it (issue #16).

1.0 stays loaded for the rounds that used it; a bank imported later (a consultant's own version)
does not become the default by being the latest.
"""

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


@pytest.fixture
def v2(db):
    return Framework.objects.get(key="cx-governance", version="2.0")


def test_a_newer_version_loaded_later_does_not_become_the_default(framework, v2, org):
    """New rounds, templates, the RACI roles and the demo start on 2.0, not on the latest imported bank."""
    newer = export_document(framework)
    newer["version"] = "9.0"
    import_document(newer)
    assert Framework.objects.order_by("-imported_at").first().version == "9.0"
    assert default_framework() == v2
    assert RoundForm(organisation=org).initial["framework"] == v2.pk
    assert EngagementTemplateForm().initial["framework"] == v2.pk
    assert roles_framework(org) == v2
    call_command("seed_demo", stdout=StringIO())
    assert set(Round.objects.values_list("framework__version", flat=True)) == {"2.0"}


def test_a_round_may_still_choose_1_0(framework, org):
    form = RoundForm({"title": "On 1.0", "framework": framework.pk}, organisation=org)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["framework"] == framework


def test_without_the_default_the_latest_imported_is_used(framework, v2):
    other = export_document(framework)
    other["key"], other["version"] = "other-bank", "1.0"
    imported = import_document(other)
    Framework.objects.filter(pk=v2.pk).delete()
    assert default_framework() == imported

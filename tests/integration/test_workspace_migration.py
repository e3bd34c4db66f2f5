"""Engagement templates moved from organisations to workspace without losing a row (issue #14).

The database is taken back to the schema before the move, filled the old way (a template in
organisations, a round pointing at it), then migrated forward: the templates, their ids and the
link from each round to its template must all be there, now in workspace.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.models import Round
from workspace.models import EngagementTemplate, RoundOrigin

pytestmark = pytest.mark.django_db(transaction=True)  # migrations cannot run inside the test's transaction

BEFORE = [
    ("organisations", "0003_firm_updated_at_engagementtemplate"),
    ("assessments", "0007_roundinvitation"),
    ("workspace", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_templates_and_the_rounds_started_from_them_survive_the_move(org, framework):
    from assessments.services import round_create

    facilitator = org.members_by_role["facilitator"]
    templated = round_create(organisation=org, user=facilitator, framework=framework, title="From a template")
    plain = round_create(organisation=org, user=facilitator, framework=framework, title="From scratch")
    try:
        old = _migrate(BEFORE).loader.project_state([t for t in BEFORE if t[1] is not None]).apps
        Firm = old.get_model("organisations", "Firm")
        OldTemplate = old.get_model("organisations", "EngagementTemplate")
        OldRound = old.get_model("assessments", "Round")
        firm = Firm.objects.create(name="Conseil & Associés")
        kept = OldTemplate.objects.create(
            firm=firm,
            name="Comex 360",
            framework_id=framework.pk,
            anonymous=True,
            introduction_fr="Bonjour",
            default_targets={"D1": {"target": 4, "importance": 3}},
        )
        unused = OldTemplate.objects.create(firm=firm, name="Quick scan", framework_id=framework.pk)
        OldRound.objects.filter(pk=templated.pk).update(template=kept)
    finally:
        _migrate(_latest())

    template = EngagementTemplate.objects.get(pk=kept.pk)
    assert (template.name, template.firm_id, template.anonymous, template.introduction_fr) == (
        "Comex 360",
        firm.pk,
        True,
        "Bonjour",
    )
    assert template.default_targets == {"D1": {"target": 4, "importance": 3}}
    assert EngagementTemplate.objects.filter(pk=unused.pk, name="Quick scan").exists()
    assert list(RoundOrigin.objects.values_list("round_id", "template_id")) == [(templated.pk, kept.pk)]
    assert Round.objects.get(pk=templated.pk).origin.template == template
    assert not RoundOrigin.objects.filter(round_id=plain.pk).exists()
    # New rows carry on after the moved ones (the table and its sequence are the same).
    assert EngagementTemplate.objects.create(firm_id=firm.pk, name="After the move", framework=framework).pk > unused.pk

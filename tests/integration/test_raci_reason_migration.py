"""RACI cells stored with French and English reasons get their reason code back (roadmaps 0003), and back again.

The database is taken back to the schema before the move, filled the old way (the reasons as the
proposal worded them), then migrated forward: each cell must carry the code and parameters the
domain gives today; migrating back must write the same words again.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.models import Round
from roadmaps.models import RaciCell

pytestmark = pytest.mark.django_db(transaction=True)  # migrations cannot run inside the test's transaction

BEFORE = [("roadmaps", "0002_orgrole_racicell_roadmap_roadmapitem")]
NBSP = "\u00a0"

# (activity, role, French, English) as the proposal stored them, and the code each must become.
OLD_CELLS = [
    (
        "cx_strategy",
        "cxo",
        f"Le CXO porte la vision et la stratégie CX{NBSP}; le DG la co-construit et la porte en comité de direction.",
        "The CXO owns the CX vision and strategy; the CEO co-builds it and carries it in the executive committee.",
        ("rule", {"table": "with_cxo", "activity": "cx_strategy"}),
    ),
    (
        "shared_objectives",  # the same words in both tables: the round's context picks the table
        "ceo",
        f"Le DG fixe des objectifs CX partagés par tout le comité de direction{NBSP}; la DRH les intègre aux objectifs "
        "individuels et à la rémunération variable.",
        "The CEO sets CX objectives shared by the whole executive committee; HR builds them into individual "
        "objectives and variable pay.",
        ("rule", {"table": "with_cxo", "activity": "shared_objectives"}),
    ),
    (
        "close_the_loop",
        "product",
        f"Passage à l'action encore faible (stade 2){NBSP}: corriger les irritants demande des changements produit, "
        "pas seulement des gestes au cas par cas.",
        "Acting on insight is still weak (stage 2): fixing pain points needs product changes, not only case-by-case recovery.",
        ("weak_dimension", {"dimension": "D8", "activity": "close_the_loop", "role": "product", "stage": 2}),
    ),
    (
        "close_the_loop",
        "ceo",
        f"Le rôle prévu (coo) n'apparaît pas dans la matrice{NBSP}: ceo prend le A en attendant.",
        "The intended role (coo) is not in this RACI: ceo takes the A meanwhile.",
        ("fallback", {"intended": "coo", "taken_by": "ceo", "letter": "A"}),
    ),
    (
        "cx_governance",
        "chro",
        f"Le CXO rend compte à chro{NBSP}: consulté sur la stratégie et le pilotage CX.",
        "The CXO reports to chro: consulted on CX strategy and steering.",
        ("reports_to", {"role": "chro"}),
    ),
    (
        "cx_budget",
        "cio",
        "Fixé à la main par le facilitateur.",
        "Set by hand by the facilitator.",
        ("manual", {}),
    ),
    (
        "cx_budget",
        "sales",
        f"Informé{NBSP}: tout le comité de direction suit cette activité.",
        "Informed: the whole executive committee follows this activity.",
        ("informed", {}),
    ),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old_cells(round_id):
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    return old.get_model("roadmaps", "RaciCell").objects.filter(round_id=round_id)


def test_stored_reasons_become_codes_and_words_come_back_on_the_way_down(open_round):
    Round.objects.filter(pk=open_round.pk).update(cxo_exists=True)
    try:
        cells = _old_cells(open_round.pk)
        for activity, role, fr, en, _code in OLD_CELLS:
            cells.create(round_id=open_round.pk, activity=activity, role=role, letter="C", reason_fr=fr, reason_en=en)
        cells.create(round_id=open_round.pk, activity="omnichannel", role="sales", letter="R", reason_fr="", reason_en="")
    finally:
        _migrate(_latest())

    stored = {(c.activity, c.role): (c.reason_code, c.reason_params) for c in RaciCell.objects.filter(round=open_round)}
    assert stored == {
        **{(activity, role): code for activity, role, _fr, _en, code in OLD_CELLS},
        ("omnichannel", "sales"): ("", {}),
    }

    try:
        back = {(c.activity, c.role): (c.reason_fr, c.reason_en) for c in _old_cells(open_round.pk)}
        assert back == {
            **{(activity, role): (fr, en) for activity, role, fr, en, _code in OLD_CELLS},
            ("omnichannel", "sales"): ("", ""),
        }
    finally:
        _migrate(_latest())

"""The decision log in the PDF and in the round export (issue #17), read from governance.

Kept apart from builders.py and exports.py so that each of those only names it: the PDF's chapter
(``templates/reports/pdf/_decisions.html``) and the export's ``decisions`` list (docs/exports.md).
"""

from django.utils import formats

from governance.selectors_decisions import decision_labels, decision_rows, decisions_list


def decisions_report(round_) -> dict:
    """``{"decisions": [...]}`` for the report data, in the active language, newest first; ``{}`` with none.

    A round without decisions adds no key at all, so the reports already rendered for it keep their
    content hash and are reused.
    """
    decisions = list(decisions_list(round_=round_))
    if not decisions:
        return {}
    rows = decision_rows(decisions, decision_labels(round_=round_))
    return {
        "decisions": [
            {
                "date": formats.date_format(row["decided_on"], "DATE_FORMAT"),
                "title": row["title"],
                "rationale": row["rationale"],
                "activity": row["activity"],
                "role": row["role"],
                "initiatives": row["initiatives"],
            }
            for row in rows
        ]
    }


def decisions_export(round_) -> list[dict]:
    """The export's ``decisions``: in the order they were taken (date, then recording), keys rather than words."""
    decisions = reversed(list(decisions_list(round_=round_)))
    return [
        {
            "title": d.title,
            "rationale": d.rationale,
            "decided_on": d.decided_on.isoformat(),
            "activity": d.activity,
            "deciding_role": d.deciding_role,
            "initiatives": [str(key) for key in d.initiative_keys or ()],
        }
        for d in decisions
    ]

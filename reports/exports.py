"""The round export of EXPORTS.md (`export_assessment` and the "Everything (JSON)" download).

It composes what several apps keep: the round, its answers and results (assessments), its targets,
roadmap and RACI (roadmaps) and the organisation's KPI values (measurement). Reports sits above all
of them, so the composition lives here and none of those apps imports another one to build it.
"""

from decimal import Decimal

from django.utils import timezone

from assessments.domain.snapshot import Results
from assessments.exports import round_results
from assessments.mirror import dispersion_export
from assessments.models import Answer, Participant, Round
from assessments.results import DETAILS_SCHEMA
from assessments.selectors import individual_answers_visible
from measurement.claims import claims_export
from measurement.selectors import measurements_export
from organisations.models import Role
from roadmaps.exports import raci_export, roadmap_export
from roadmaps.models import Target

from .decisions import decisions_export

SCHEMA = "cxgov.assessment/1"


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def build_export(round_: Round, *, role: str | None = Role.FACILITATOR) -> dict:
    """The round as `role` may see it. The `export_assessment` command, run by an operator, is a facilitator's view.

    Whoever may not see individual answers (every role but the facilitator, and everyone in an
    anonymous round) gets the anonymous shape of EXPORTS.md: participants without their function,
    answers without their participant, in an order that betrays nobody.
    """
    attributed = individual_answers_visible(role=role, round_=round_)
    organisation = round_.organisation
    framework = round_.framework
    results = round_results(round_)
    counted = Participant.objects.filter(round=round_, withdrawn_at__isnull=True).order_by("pk")
    participants: list[dict[str, object]]
    if not attributed:
        participants = [{"id": p.pk, "submitted": p.submitted_at is not None} for p in counted]
    else:
        participants = [{"id": p.pk, "function": p.function, "submitted": p.submitted_at is not None} for p in counted]
    answer_rows = (
        Answer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True)
        .values_list("participant_id", "question__key", "level")
        .order_by("participant_id", "question__position")
    )
    if not attributed:
        # No answer is linked to a person: ordered by question, then level, so no row order betrays one.
        answers = sorted(
            ({"question": key, "level": level} for _pid, key, level in answer_rows),
            key=lambda a: (a["question"], a["level"] is None, a["level"] or 0),
        )
    else:
        answers = [{"participant": pid, "question": key, "level": level} for pid, key, level in answer_rows]
    targets = Target.objects.filter(round=round_).select_related("dimension").order_by("dimension__position")
    return {
        "schema": SCHEMA,
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name,
            "sector": organisation.sector,
            "size_band": organisation.size_band,
        },
        "round": {
            "id": round_.pk,
            "title": round_.title,
            "status": round_.status,
            "anonymous": round_.anonymous,
            "closed_at": _iso(round_.closed_at),
            "framework": {"key": framework.key, "version": framework.version},
            # Only on a short-form round (issue #16), so that every other export stays what it was.
            **({"short_form": sorted(round_.question_keys or ())} if round_.short_form else {}),
        },
        "context": {"cxo_exists": round_.cxo_exists, "cxo_reports_to": round_.cxo_reports_to or None},
        "participants": participants,
        "answers": answers,
        "answers_attributed": attributed,
        "scores": results.scores.to_data(),
        # With the committee's median and interquartile range per dimension and question (issue #18): aggregates only.
        "alignment": {**results.alignment.to_data(), "dispersion": dispersion_export(round_)},
        # The minimum response rule's counts (assessments/domain/sample.py); "low": true means the
        # results rest on too few answers and every output says so (null for results stored before the rule).
        "low_sample": results.sample.to_data() if results.sample is not None else None,
        "targets": [{"dimension": t.dimension.key, "target": t.target, "importance": t.importance} for t in targets],
        "roadmap": roadmap_export(round_),
        "raci": _raci(round_, results),
        "measurements": _measurements(round_),
        # Claims against evidence (issue #18): each scored question with an evidence rule ([] without rules).
        "claims": claims_export(round_, results),
        "decisions": decisions_export(round_),
    }


def _raci(round_: Round, results: Results) -> dict:
    """EXPORTS.md's ``raci``; on a 2.0 round, with the snapshot's ownership map last (docs/exports.md).

    ``ownership_map`` is tied to the framework, as the answer details are: every 2.0 export has
    it (null for results stored before the map existed), a 1.0 export never does.
    """
    raci = raci_export(round_)
    if round_.framework.schema == DETAILS_SCHEMA:
        raci["ownership_map"] = results.ownership.to_data() if results.ownership is not None else None
    return raci


def _json_number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def _measurements(round_: Round) -> list[dict]:
    """Every KPI period up to the round's close (all of them while it is open), numbers as JSON numbers."""
    until = timezone.localtime(round_.closed_at).date() if round_.closed_at else None
    return [
        {key: _json_number(value) for key, value in item.items()}
        for item in measurements_export(organisation=round_.organisation, until=until)
    ]

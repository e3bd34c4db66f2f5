"""Builds a round's results (scores, alignment, distributions) from its answers, through the pure domain."""

from collections import defaultdict

from django.utils import timezone

from .domain.alignment import align_round
from .domain.scoring import score_round
from .domain.types import Answer as DomainAnswer
from .domain.types import DimensionSpec, FrameworkSpec, QuestionSpec
from .models import Answer, Consensus, Round

LEVEL_KEYS = ("1", "2", "3", "4", "5", "dk")


def framework_spec(framework) -> FrameworkSpec:
    dimensions = list(framework.dimensions.order_by("position"))
    questions: dict[int, list] = defaultdict(list)
    for q in framework.questions.order_by("position").only("key", "weight", "dimension_id"):
        questions[q.dimension_id].append(QuestionSpec(key=q.key, weight=q.weight))
    return FrameworkSpec(
        dimensions=tuple(DimensionSpec(key=d.key, weight=d.weight, questions=tuple(questions[d.pk])) for d in dimensions)
    )


def counted_answers(round_: Round):
    """(participant id, function, question key, level) of every answer that counts: not withdrawn."""
    return list(
        Answer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True).values_list(
            "participant_id", "participant__function", "question__key", "level"
        )
    )


def compute_results(round_: Round) -> dict:
    """The results of the round as JSON-ready data (EXPORTS.md's `scores` and `alignment`, plus distributions)."""
    spec = framework_spec(round_.framework)
    rows = counted_answers(round_)
    answers = [DomainAnswer(participant_id=pid, question_key=key, level=level) for pid, _f, key, level in rows]
    functions = {pid: function for pid, function, _k, _l in rows}
    consensus = {c.question.key: c for c in Consensus.objects.filter(round=round_).select_related("question")}
    scores = score_round(spec, answers, {key: c.level for key, c in consensus.items()})
    alignment = align_round(spec, answers, functions, round_.anonymous)
    exported = scores.as_export()
    for row in exported["questions"]:
        entry = consensus.get(row["key"])
        row["consensus_rationale"] = entry.rationale if entry else None
    distributions: dict[str, dict[str, int]] = {q.key: dict.fromkeys(LEVEL_KEYS, 0) for d in spec.dimensions for q in d.questions}
    for _pid, _function, key, level in rows:
        if key in distributions:
            distributions[key]["dk" if level is None else str(level)] += 1
    participants = round_.participants.filter(withdrawn_at__isnull=True)
    return {
        "scores": exported,
        "alignment": alignment.as_export(),
        "distributions": distributions,
        "participants": {"counted": participants.count(), "submitted": participants.filter(submitted_at__isnull=False).count()},
        "computed_at": timezone.now().isoformat(),
    }


def summary_rows(data: dict, titles: dict[str, str], targets: dict) -> dict:
    """What the executive summary shows (web page and PDF): rows, strengths, gaps, contested questions."""
    rows = []
    for d in data["scores"]["dimensions"]:
        target = targets.get(d["key"])
        value = getattr(target, "target", target)
        gap = (value - d["score"]) if (value is not None and d["score"] is not None) else None
        rows.append({**d, "title": titles[d["key"]], "target": value, "gap": gap})
    scored = [r for r in rows if not r["unscored"]]
    return {
        "rows": rows,
        "strengths": sorted(scored, key=lambda r: -r["score"])[:3],
        "gaps": sorted((r for r in scored if r["gap"] and r["gap"] > 0), key=lambda r: -r["gap"])[:3],
        "contested": sorted((q for q in data["scores"]["questions"] if q["contested"]), key=lambda q: -q["ad"]),
    }

"""Roadmap generation: a full roadmap (10 dimensions from level 1 to target 5, the whole shipped library).

`roadmap_generation` is the median time of the pure generation (select, prioritise, schedule, place
in horizons) that `roadmaps.services.roadmap_generate` runs; `roadmap_generation_saved` times that
service end to end on a closed round (reading the snapshot and targets, writing the items that
moved: the capacity alternates between 6 and 5 from one run to the next).
"""

if __package__ in (None, ""):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import median_ms, setup_django


def _full_round():
    """A closed round whose ten dimensions all score 1.0 (stage 1), with every target at 5."""
    from django.utils import timezone

    from accounts.models import User
    from assessments.models import Answer, Framework, Participant, ResultSnapshot, Round, RoundStatus
    from assessments.results import compute_results
    from organisations.models import Organisation
    from roadmaps.models import Target

    framework = Framework.objects.get(key="cx-governance", version="1.0")
    organisation, _ = Organisation.objects.get_or_create(slug="bench-roadmap", defaults={"name": "Bench roadmap"})
    round_ = Round.objects.create(
        organisation=organisation, framework=framework, title="Bench roadmap", status=RoundStatus.CLOSED,
        closed_at=timezone.now(), cxo_exists=False,
    )  # fmt: skip
    dimensions = list(framework.dimensions.order_by("position"))
    # A real snapshot (pages read it strictly through assessments/domain/snapshot.py): one respondent
    # at level 1 on every question gives every dimension 1.0, stage 1.
    user, _ = User.objects.get_or_create(email="bench-roadmap@bench.test")
    participant = Participant.objects.create(round=round_, user=user, function="cxo", nonce="bench")
    Answer.objects.bulk_create(Answer(participant=participant, question=q, level=1) for q in framework.questions.all())
    ResultSnapshot.objects.create(round=round_, data=compute_results(round_), computed_at=timezone.now())
    Target.objects.bulk_create(Target(round=round_, dimension=d, target=5, importance=2) for d in dimensions)
    return round_


def run() -> dict:
    from roadmaps import services
    from roadmaps.domain.prioritisation import generate_roadmap
    from roadmaps.library.loader import conditions_for, shipped_library
    from roadmaps.models import Roadmap

    round_ = _full_round()
    library = shipped_library()
    states = services.roadmap_dimension_states(round_)
    conditions = conditions_for(round_.cxo_exists, round_.cxo_reports_to)
    planned = generate_roadmap(library.initiatives, states, conditions)
    assert len(planned) >= 80, len(planned)

    pure_ms = median_ms(lambda: generate_roadmap(library.initiatives, states, conditions), runs=25)
    capacities = iter([6, 5] * 50)

    def regenerate():
        # Capacity alternates, so every run moves items: what a regeneration after an edit writes.
        Roadmap.objects.filter(round=round_).update(capacity=next(capacities))
        services.roadmap_generate(round_=round_)

    saved_ms = median_ms(regenerate)
    return {
        "roadmap_generation": {"value": pure_ms, "unit": "ms", "target": 20, "better": "lower"},
        "roadmap_generation_saved": {"value": saved_ms, "unit": "ms", "target": None, "better": "lower"},
    }


if __name__ == "__main__":
    teardown = setup_django()
    try:
        for name, figure in run().items():
            print(f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})")
    finally:
        teardown()

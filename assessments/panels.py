"""Places on assessments' pages that higher apps fill with a template of their own.

The results summary shows the peer benchmark and the questionnaire shows the engagement template's
introduction, but benchmarks and workspace sit above assessments: a template of assessments that
named theirs would climb the layers just as an import would (tests/unit/test_template_layers.py).
So each page declares a slot (``{% panels "results_summary" %}``) and the owning app registers its
template for that slot from its ``AppConfig.ready``; the slot renders them with the page's context.
"""

#: The slots assessments' pages offer, so that a typo in a registration fails at start-up.
SLOTS = frozenset({"results_summary", "round_introduction", "results_dimension", "workshop_question"})

_PANELS: dict[str, list[str]] = {slot: [] for slot in SLOTS}


def register(slot: str, template_name: str) -> None:
    if slot not in SLOTS:
        raise ValueError(f"assessments has no panel slot {slot!r} (known: {', '.join(sorted(SLOTS))})")
    if template_name not in _PANELS[slot]:
        _PANELS[slot].append(template_name)


def templates_for(slot: str) -> list[str]:
    """The templates registered for ``slot``, in registration order."""
    return list(_PANELS[slot])

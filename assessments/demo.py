"""Demo rounds for `seed_demo`."""


def seed_demo_round(organisation, users) -> None:
    """Rounds are added to the demo with the questionnaire (see issue 3); nothing to seed before that."""

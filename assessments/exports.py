"""A round's results as the exports read them (the scores download here, the round export of reports/exports.py)."""

from .domain.snapshot import Results
from .models import Round, RoundStatus
from .results import compute_results


def round_results(round_: Round) -> Results:
    """The stored snapshot once the round is closed; live figures before (draft/open)."""
    if round_.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED) and hasattr(round_, "snapshot"):
        return round_.snapshot.results
    return Results.from_data(compute_results(round_))

"""`{% question_claim q.key as claim %}`: a question's claim against the KPI register, from the page's own context.

The results page of a dimension and the workshop render it in the slots assessments offers
(assessments/panels.py). The round's claims are computed once per request and language, however
many questions the page lists.
"""

from weakref import WeakKeyDictionary

from django import template

from cxgov.language import active_language
from organisations.permissions import Action, role_can

from ..claims import ClaimView, RoundClaims, round_claims

register = template.Library()

# Per request (forgotten with it): round id and language → the round's claims.
_PER_REQUEST: WeakKeyDictionary = WeakKeyDictionary()


def _claims(context, round_) -> RoundClaims | None:
    snapshot = context.get("snapshot")
    results = snapshot.results if snapshot is not None else None
    request = context.get("request")
    if request is None:
        return round_claims(round_, results)
    cache = _PER_REQUEST.setdefault(request, {})
    key = (round_.pk, active_language())
    if key not in cache:
        cache[key] = round_claims(round_, results)
    return cache[key]


@register.simple_tag(takes_context=True)
def question_claim(context, key) -> ClaimView | None:
    """Reads ``round`` and ``membership`` (and ``snapshot`` when the page has it); None for a question
    without a rule, a round without results, or a member who may not see the KPI register."""
    round_, membership = context.get("round"), context.get("membership")
    if round_ is None or membership is None or not role_can(membership.role, Action.VIEW_MEASUREMENTS):
        return None
    claims = _claims(context, round_)
    return claims.for_question(str(key)) if claims is not None else None

"""`{% round_benchmark as bm %}`: the benchmark block of a round's results page, from the page's own context."""

from django import template
from django.utils.translation import gettext as _

from cxgov.numbers import format_number
from organisations.permissions import Action, role_can

from .. import selectors
from ..charts import peer_boxes

register = template.Library()


@register.simple_tag(takes_context=True)
def round_benchmark(context):
    """Reads ``round``, ``membership`` and ``rows`` (the summary rows, assessments.results.SummaryRow) of the
    results page; None without results."""
    round_, membership, rows = context.get("round"), context.get("membership"), context.get("rows")
    if round_ is None or membership is None or not rows:
        return None
    benchmark = selectors.benchmark_for_round(round_=round_)
    block = {
        "benchmark": benchmark,
        "min_peers": selectors.MIN_PEERS,
        "min_quartiles": selectors.MIN_PEERS_FOR_QUARTILES,
        "min_submitted": selectors.MIN_SUBMITTED,
        "can_opt_in": role_can(membership.role, Action.EDIT_ORGANISATION),
        "organisation": round_.organisation,
        "framework": round_.framework,
        "chart": None,
    }
    if benchmark.shown:
        items = []
        for row in rows:
            stats = benchmark.for_dimension(row.key)
            peer = None if stats is None else (stats.count, stats.q1, stats.median, stats.q3)
            items.append((f"{row.key} {row.title}", row.score, peer))
        block["chart"] = peer_boxes(
            items,
            id_prefix="benchmark",
            title=_("Scores compared with peers"),
            description=_(
                "For each dimension, the middle half of the peer organisations' scores (box, first to third quartile), "
                "their median (tick) and this round's score (dot), on a scale of 1 to 5."
            ),
            brand=round_.organisation.brand_colour,
            labels={
                "dimension": _("Dimension"),
                "ours": _("Our score"),
                "q1": _("Peers' first quartile"),
                "median": _("Peers' median"),
                "q3": _("Peers' third quartile"),
                "peers": _("Peers"),
                "box": _("Middle half of peers"),
                "not_enough": _("not enough peers"),
                "no_data": _("no data"),
            },
            number_format=format_number,
        )
    return block

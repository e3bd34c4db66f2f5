"""What the roadmap page and the PDF show of a round's roadmap: rows with labels and dates, and the timeline."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cxgov.language import active_language
from measurement.domain.metrics import METRICS
from measurement.presentation import metric_label

from . import charts, selectors
from .domain.prioritisation import horizon_for, month_start
from .models import ItemStatus


def pick(fr: str, en: str) -> str:
    """A bilingual column's text in the active language, the other language's when it is empty."""
    return (en or fr) if active_language() == "en" else (fr or en)


def month_labeller(start_date):
    """Labels roadmap months (month 0 is the start): month and year once a start date is set, else "M0", "M1"…"""
    # "N" (juin, juil., sept.): French "M" gives "Jui" for both June and July.
    return lambda month: date_format(month_start(start_date, month), "N Y") if start_date else f"M{month}"


def roadmap_view_data(*, round_, settings_row, titles: dict, brand: str) -> dict:
    """Rows (labels, dates, owners, KPIs) and the SVG timeline, in the active language."""
    start_date = settings_row.start_date if settings_row else None
    items = list(selectors.roadmap_items(round_=round_))
    roles = selectors.org_roles(organisation=round_.organisation, framework=round_.framework)
    role_titles = {r.key: pick(r.title_fr, r.title_en) for r in roles}
    activities = list(round_.framework.raci_activities.order_by("position"))
    activity_titles = {a.key: a.tr("title") for a in activities}
    status_labels = dict(ItemStatus.choices)
    horizon_labels = {"now": _("Now"), "next": _("Next"), "later": _("Later"), "beyond": _("Beyond")}
    by_key = {item.key: item for item in items}
    month_label = month_labeller(start_date)
    rows = []
    for item in items:
        finish = item.start_month + item.duration_months
        rows.append(
            {
                "item": item,
                "title": pick(item.title_fr, item.title_en),
                "description": pick(item.description_fr, item.description_en),
                "dimension": f"{item.dimension} · {titles[item.dimension]}"
                if item.dimension in titles
                else (item.dimension or ""),
                "horizon": horizon_labels[horizon_for(item.start_month)],
                "start_on": month_start(start_date, item.start_month) if start_date else None,
                "last_month": month_start(start_date, finish - 1) if start_date else None,
                "finish": finish,
                "owner": role_titles.get(item.owner_role, item.owner_role) if item.owner_role else None,
                "activity": activity_titles.get(item.activity, item.activity),
                "status": status_labels.get(item.status, item.status),
                "kpis": [
                    {
                        "metric": metric_label(k["metric"]) if k["metric"] in METRICS else k["metric"],
                        "drives": metric_label(k["drives"]) if k.get("drives") in METRICS else k.get("drives"),
                    }
                    for k in item.kpis
                ],
                "prerequisites": [pick(by_key[p].title_fr, by_key[p].title_en) for p in item.prerequisites if p in by_key],
            }
        )
    chart = charts.timeline(
        [
            {
                "title": r["title"],
                "start_month": r["item"].start_month,
                "duration_months": r["item"].duration_months,
                "status": r["item"].status,
                "locked": r["item"].locked,
                "custom": r["item"].custom,
                "owner": r["owner"],
            }
            for r in rows
        ],
        start_date=start_date,
        id_prefix="timeline",
        title=_("Roadmap timeline"),
        description=_("Each initiative as a bar from its start month to its end, over the horizons Now, Next, Later and Beyond."),
        brand=brand,
        labels={
            **horizon_labels,
            **{key: str(label) for key, label in ItemStatus.choices},
            "locked": _("Locked"),
            "custom": _("Added by hand"),
            "initiative": _("Initiative"),
            "horizon": _("Horizon"),
            "start": _("Start"),
            "end": _("End"),
            "status": _("Status"),
            "owner": _("Owner"),
            "empty": _("No initiative"),
            "unassigned": _("unassigned"),
        },
        month_label=month_label,
    )
    return {
        "start_date": start_date,
        "items": items,
        "roles": roles,
        "role_titles": role_titles,
        "activities": activities,
        "activity_titles": activity_titles,
        "rows": rows,
        "chart": chart,
    }

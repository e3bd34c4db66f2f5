"""Roadmap and RACI downloads as CSV and XLSX (same rights as the other score exports)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.access import download_access
from assessments.views_results import round_caveat, spreadsheet_download
from cxgov.language import active_language

from .exports import raci_export, roadmap_export


@login_required
def export_roadmap(request, slug, round_id, fmt):
    membership, round_, _snapshot = download_access(request, slug, round_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    lang = active_language()
    headers = [
        _("Key"), _("Initiative"), _("Dimension"), _("Horizon"), _("Start"), _("End"), _("Duration (months)"), _("Priority"),
        _("Effort"), _("Impact"), _("Quick win"), _("Activity"), _("Owner"), _("Owner set by hand"), _("Status"), _("KPIs"),
    ]  # fmt: skip
    rows = [
        [
            i["key"],
            i["title"][lang],
            i["dimension"],
            i["horizon"],
            i["start_date"],
            i["end_date"],
            i["duration_months"],
            i["priority"],
            i["effort"],
            i["impact"],
            i["quick_win"],
            i["activity"],
            i["owner_role"],
            i["owner_overridden"],
            i["status"],
            ", ".join(f"{k['metric']} → {k['drives']}" for k in i["kpis"]),
        ]  # fmt: skip
        for i in roadmap_export(round_)["initiatives"]
    ]
    name = f"{membership.organisation.name} {round_.title} roadmap"
    return spreadsheet_download(request, name, fmt, [(_("Roadmap"), headers, rows)], caveat=round_caveat(round_))


@login_required
def export_raci(request, slug, round_id, fmt):
    membership, round_, _snapshot = download_access(request, slug, round_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    lang = active_language()
    data = raci_export(round_)
    titles = {a.key: a.tr("title") for a in round_.framework.raci_activities.all()}
    roles = [r for r in data["roles"] if not r["hidden"]]
    letters = {(c["activity"], c["role"]): c["value"] for c in data["to_be"]["cells"]}
    headers = [_("Activity"), *[r["title"][lang] for r in roles], _("Accountable today (as-is)")]
    as_is = {row["activity"]: row["accountable"] for row in data["as_is"]}
    rows = [[titles.get(key, key), *[letters.get((key, r["key"]), "") for r in roles], as_is.get(key) or ""] for key in titles]
    violations = [
        [v["severity"], v["code"], v["activity"] or "", v["role"] or "", v["message"][lang]] for v in data["to_be"]["violations"]
    ]
    name = f"{membership.organisation.name} {round_.title} RACI"
    sheets = [
        (_("RACI"), headers, rows),
        (_("Checks"), [_("Severity"), _("Code"), _("Activity"), _("Role"), _("Message")], violations),
    ]
    return spreadsheet_download(request, name, fmt, sheets, caveat=round_caveat(round_), csv_sheets=1)

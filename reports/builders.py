"""Builds ReportData: everything the PDF shows, from the results snapshot and the round's data, in one language."""

import base64
import hashlib
import json
from io import BytesIO

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from assessments import charts
from assessments.models import Round
from assessments.raci_catalogue import catalogue_for
from assessments.results import (
    QuestionRow,
    function_heatmap,
    low_sample,
    ownership_view,
    perception_gaps,
    radar_chart,
    summary_rows,
)
from assessments.selectors import comments_by_question
from cxgov.language import active_language
from measurement import charts as measurement_charts
from measurement.claims import round_claims
from measurement.selectors import kpi_tree
from organisations.models import Firm
from roadmaps.exports import raci_export
from roadmaps.models import Roadmap
from roadmaps.presentation import roadmap_view_data
from roadmaps.selectors import targets_for
from roadmaps.services import raci_context
from workspace.selectors import round_template

from .decisions import decisions_report

# Bump when the templates change what a given set of data looks like: old files are then re-rendered.
TEMPLATE_VERSION = "2"  # 2: half-up figures (cxgov.numbers) and the low-sample caveat


def logo_data_uri(field) -> str | None:
    """A logo re-encoded as a PNG data: URI, so the renderer never fetches media (or anything else)."""
    if not field:
        return None
    try:
        with field.open("rb") as handle:
            image = Image.open(handle)
            image.load()
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    image.thumbnail((600, 300))
    png = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
    out = BytesIO()
    png.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _firm_for(round_: Round):
    template = round_template(round_)
    if template is not None:
        return template.firm
    if round_.created_by_id:
        firm = Firm.objects.filter(members=round_.created_by_id).first()
        if firm:
            return firm
    return Firm.objects.filter(
        members__memberships__organisation=round_.organisation, members__memberships__role="facilitator"
    ).first()


def build_report_data(round_: Round, language: str) -> dict:
    """All the report's content as plain data (JSON-serialisable), in `language`."""
    with translation.override(language):
        organisation = round_.organisation
        framework = round_.framework
        results = round_.snapshot.results
        dimensions = list(framework.dimensions.order_by("position"))
        titles = {d.key: d.tr("title") for d in dimensions}
        questions = list(round_.asked_questions().order_by("position"))
        qtext = {q.key: q.tr("text") for q in questions}
        level_labels = {str(entry["level"]): framework.level_label(entry["level"]) for entry in framework.levels}
        level_labels["dk"] = _("Don't know")
        targets = targets_for(round_=round_, dimension_scores=results.dimensions)
        summary = summary_rows(results, titles, targets)
        overall = results.overall
        brand = charts.valid_brand(organisation.brand_colour)
        radar = radar_chart(summary.rows, brand)
        # Comments, grouped by question and never attributed: one PDF serves every role and share-link
        # holders, and only facilitators may see whose answer is whose (PRODUCT.md, "Who may do what").
        comments = {
            key: [{"text": c["text"], "evidence": c["evidence"], "function": None} for c in items]
            for key, items in comments_by_question(round_=round_, role=None).items()
        }
        # ReportData is plain data (hashed, then rendered): the typed results go back to their stored rows here.
        drows = {r.key: r for r in results.dimensions}
        qrows = {r.key: r for r in results.questions}
        dimension_pages = []
        for d in dimensions:
            qs = [q for q in questions if q.dimension_id == d.pk]
            drow = drows[d.key]
            dimension_pages.append(
                {
                    "key": d.key,
                    "title": titles[d.key],
                    "row": drow.to_data(),
                    "stage_label": framework.level_label(drow.stage) if drow.stage else "—",
                    "target": getattr(targets.get(d.key), "target", None),
                    "questions": [QuestionRow.of(qrows[q.key], qtext[q.key]).as_data() for q in qs],
                    "contested": [QuestionRow.of(qrows[q.key], qtext[q.key]).as_data() for q in qs if qrows[q.key].contested],
                    "comments": [{"key": q.key, "items": comments.get(q.key, [])} for q in qs if comments.get(q.key)],
                }
            )
        heatmap = function_heatmap(results.alignment, dimensions, titles)
        gaps = [g.as_data() for g in perception_gaps(results.alignment, titles)]
        appendix = []
        for q in questions:
            counts = results.distribution(q.key)
            appendix.append(
                {
                    "key": q.key,
                    "text": qtext[q.key],
                    "row": qrows[q.key].to_data(),
                    "counts": [(level_labels[k], counts[k]) for k in ("1", "2", "3", "4", "5", "dk")],
                }
            )
        closed = round_.closed_at or round_.created_at
        firm = _firm_for(round_)
        report = {
            "language": language,
            "organisation": {"name": organisation.name, "logo": logo_data_uri(organisation.logo), "brand": brand},
            "firm": {"name": firm.name, "logo": logo_data_uri(firm.logo), "brand": charts.valid_brand(firm.brand_colour)}
            if firm
            else None,
            "round": {
                "title": round_.title,
                "anonymous": round_.anonymous,
                "date": formats.date_format(timezone.localtime(closed).date(), "DATE_FORMAT"),
                "participants": results.participants.to_data(),
                "framework": framework.tr("title"),
                # A short-form round (issue #16) says so on the cover: each dimension rests on fewer questions.
                "short_form": len(questions) if round_.short_form else None,
            },
            "low_sample": low_sample(results),
            "overall": {
                **overall.to_data(),
                "label": framework.level_label(overall.stage) if overall.stage else "—",
                "constraint_title": titles.get(overall.constraint or "", ""),
            },
            "summary": {
                "rows": [r.as_data() for r in summary.rows],
                "strengths": [r.as_data() for r in summary.strengths],
                "gaps": [r.as_data() for r in summary.gaps],
                "contested": [QuestionRow.of(q, qtext[q.key]).as_data() for q in summary.contested[:5]],
            },
            "radar": {"svg": str(radar.svg), "title": radar.title},
            "dimensions": dimension_pages,
            "heatmap": {"svg": str(heatmap.svg), "title": heatmap.title} if heatmap else None,
            "perception_gaps": gaps,
            **_ownership(round_, results),  # the ownership map (2.0 rounds, issue #17): no key on 1.0
            "appendix": appendix,
            "levels": [{"level": e["level"], "label": framework.level_label(e["level"])} for e in framework.levels],
            "roadmap": _roadmap(round_, titles, brand),
            "raci": _raci(round_),
            "measurement": _measurement(round_, language),
            **_claims(round_, results, qtext),  # claims against evidence (issue #18): no key without a claim
            **decisions_report(round_),  # the decision log (issue #17): no key when there is none
        }
    return report


def _ownership(round_, results) -> dict:
    """``{"ownership": …}``: the snapshot's ownership map, contested activities first, as the results page lists it.

    Functions appear in attributed rounds, as in the alignment chapter. A snapshot without a map
    (1.0 rounds) adds no key, so the reports already rendered for it keep their content hash.
    """
    if results.ownership is None:
        return {}
    activities = ownership_view(results.ownership, catalogue_for(round_), functions_shown=not round_.anonymous)
    gaps = any(a["gaps"] for a in activities)
    return {"ownership": {"activities": activities, "anonymous": round_.anonymous, "gaps": gaps}}


def _claims(round_, results, qtext) -> dict:
    """``{"claims": …}``: each question with an evidence rule, claimed against supported, for the KPI chapter.

    A round whose framework has no rules, or no scored question with one, adds no key, so the reports
    already rendered for it keep their content hash.
    """
    claims = round_claims(round_, results)
    if claims is None or not claims.claims:
        return {}
    rows = [{**c.as_data(), "text": qtext.get(c.claim.question, "")} for c in claims.claims]
    return {"claims": {"rows": rows, "capped": claims.capped, "months": claims.window_months}}


def _roadmap(round_, titles, brand):
    """The roadmap rows and timeline, as the roadmap page shows them (same code), in plain data."""
    settings_row = Roadmap.objects.filter(round=round_).first()
    if settings_row is None:
        return None
    data = roadmap_view_data(round_=round_, settings_row=settings_row, titles=titles, brand=brand)
    return {
        "timeline_svg": str(data["chart"].svg),
        "rows": [
            {
                "title": row["title"],
                "dimension": row["item"].dimension or "",
                "owner": row["owner"] or _("unassigned"),
                "horizon": row["horizon"],
                "dates": " – ".join(formats.date_format(d, "N Y") for d in (row["start_on"], row["last_month"]) if d),
                "status": str(row["status"]),
                "kpis": [f"{k['metric']} → {k['drives']}" for k in row["kpis"]],
            }
            for row in data["rows"]
        ],
    }


def _raci(round_):
    """The to-be RACI grid (visible roles only) with its validation status."""
    export = raci_export(round_)
    context = raci_context(round_)
    letters = {(c["activity"], c["role"]): c["value"] for c in export["to_be"]["cells"]}
    if not letters:
        return None
    visible = [r for r in export["roles"] if not r["hidden"]]
    language = active_language()
    return {
        "roles": [r["title"].get(language) or r["title"]["fr"] for r in visible],
        "grid": [
            {"title": a.tr("title"), "letters": [letters.get((a.key, r["key"]), "") for r in visible]} for a in context.activities
        ],
        "errors": sum(1 for v in export["to_be"]["violations"] if v["severity"] == "error"),
        "violations": [
            {"severity": v["severity"], "message": v["message"].get(language) or v["message"]["fr"]}
            for v in export["to_be"]["violations"]
        ],
    }


def _measurement(round_, language):
    """The KPI tree with the latest value of each metric (the same SVG as the web page)."""
    branches = kpi_tree(organisation=round_.organisation)
    svg = measurement_charts.kpi_tree_chart(
        branches, chart_id="kpi-tree", colour=charts.valid_brand(round_.organisation.brand_colour)
    )
    return {"tree_svg": str(svg)}


def content_hash(report_data: dict) -> str:
    payload = json.dumps(report_data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{TEMPLATE_VERSION}\n{payload}".encode()).hexdigest()

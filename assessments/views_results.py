"""Results pages: executive summary, a page per dimension, alignment, the ownership map and consensus; the downloads.

The targets page is roadmaps' (roadmaps/views_targets.py), the JSON export reports' (reports/exports.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxgov.numbers import format_number
from cxgov.spreadsheets import csv_response, xlsx_response
from organisations.permissions import Action
from organisations.selectors import membership_get

from . import charts, dimension_targets, selectors, services
from .access import RESULT_STATUSES, download_access, results_access, round_page_base
from .exports import round_results
from .models import Answer, Function, RoundStatus
from .raci_catalogue import catalogue_for
from .results import (
    DETAILS_SCHEMA,
    QuestionRow,
    chart_words,
    function_heatmap,
    low_sample,
    ownership_view,
    perception_gaps,
    radar_chart,
    summary_rows,
)


def _stage_label(framework, stage):
    return framework.level_label(stage) if stage else "—"


@login_required
def summary(request, slug, round_id):
    membership, round_, snapshot = results_access(request, slug, round_id)
    context = round_page_base(membership, round_, snapshot, "summary")
    if snapshot is None:
        return render(request, "assessments/results/pending.html", context)
    results = snapshot.results
    titles = context["titles"]
    targets = dimension_targets.for_round(round_=round_, dimension_scores=results.dimensions)
    summary_data = summary_rows(results, titles, targets)
    rows = summary_data.rows
    questions = {q.key: q for q in round_.framework.questions.all()}
    contested = [QuestionRow.of(q, questions[q.key].tr("text")) for q in summary_data.contested[:5]]
    overall = results.overall
    radar = radar_chart(rows, membership.organisation.brand_colour)
    comparison = _comparison(round_, rows)
    context.update(
        {
            "overall": overall,
            "overall_label": _stage_label(round_.framework, overall.stage),
            "constraint": next((r for r in rows if r.key == overall.constraint), None),
            "rows": rows,
            "strengths": summary_data.strengths,
            "gaps": summary_data.gaps,
            "contested": contested,
            "radar": radar,
            "comparison": comparison,
            "participants": results.participants,
        }
    )
    return render(request, "assessments/results/summary.html", context)


def _comparison(round_, rows):
    """Round-to-round deltas when the previous round of the same framework has results."""
    previous = round_.previous
    if previous is None or previous.framework_id != round_.framework_id or not hasattr(previous, "snapshot"):
        return None
    before = previous.snapshot.results.scores_by_dimension()
    return charts.deltas(
        [(f"{r.key} {r.title}", before.get(r.key), r.score) for r in rows],
        id_prefix="deltas",
        title=_("Change since %(title)s") % {"title": previous.title},
        description=_("For each dimension, the score of the previous round and of this round, on a scale of 1 to 5."),
        labels=chart_words(previous=previous.title, current=round_.title),
        number_format=format_number,
    )


@login_required
def dimension(request, slug, round_id, key):
    membership, round_, snapshot = results_access(request, slug, round_id)
    return _dimension_page(request, membership, round_, snapshot, key)


def _dimension_page(request, membership, round_, snapshot, key, *, refused=None, status=200):
    """A dimension's results; ``refused`` is ``(question key, typed level, typed rationale, message)``
    for a consensus that was refused: its form comes back as typed, with the message, status 400."""
    context = round_page_base(membership, round_, snapshot, key)
    if snapshot is None:
        return render(request, "assessments/results/pending.html", context)
    dim = next((d for d in context["dimensions"] if d.key == key), None)
    if dim is None:
        raise Http404
    results = snapshot.results
    drow = results.dimension(key)
    questions = {q.key: q for q in round_.framework.questions.filter(dimension=dim)}
    level_labels = {str(entry["level"]): round_.framework.level_label(entry["level"]) for entry in round_.framework.levels}
    level_labels["dk"] = _("Don't know")
    comments = selectors.comments_by_question(round_=round_, role=membership.role, dimension=dim)
    function_labels = dict(Function.choices)
    items = []
    for q in results.questions_of(key):
        question = questions[q.key]
        chart = charts.distribution(
            results.distribution(q.key),
            levels=("1", "2", "3", "4", "5"),
            dont_know_key="dk",
            level_labels=level_labels,
            id_prefix=f"dist-{q.key.replace('.', '-')}",
            title=_("Answers to %(key)s") % {"key": q.key},
            description=_("How many participants chose each level, and how many did not know."),
            labels=chart_words(),
        )
        items.append(
            {
                "row": q,
                "question": question,
                "chart": chart,
                "comments": [{**c, "function": function_labels.get(c["function"])} for c in comments.get(question.key, [])],
                "consensus_levels": [(str(i), f"{i} · {level_labels[str(i)]}") for i in range(1, 6)],
            }
        )
        if refused is not None and refused[0] == question.key:
            items[-1].update({"typed_level": refused[1], "typed_rationale": refused[2], "error": refused[3]})
    context.update({"dimension": dim, "drow": drow, "items": items, "stage_label": _stage_label(round_.framework, drow.stage)})
    return render(request, "assessments/results/dimension.html", context, status=status)


@login_required
def alignment(request, slug, round_id):
    membership, round_, snapshot = results_access(request, slug, round_id)
    context = round_page_base(membership, round_, snapshot, "alignment")
    if snapshot is None:
        return render(request, "assessments/results/pending.html", context)
    results = snapshot.results
    titles = context["titles"]
    heatmap = function_heatmap(results.alignment, context["dimensions"], titles)
    gaps = perception_gaps(results.alignment, titles)
    questions = {q.key: q for q in round_.framework.questions.all()}
    contested = [QuestionRow.of(q, questions[q.key].tr("text")) for q in results.contested()]
    context.update({"heatmap": heatmap, "gaps": gaps, "contested": contested, "functions_hidden": round_.anonymous})
    return render(request, "assessments/results/alignment.html", context)


@login_required
def ownership(request, slug, round_id):
    """The ownership map (issue #17): who the executives name accountable for each RACI activity. 2.0 rounds only."""
    membership, round_, snapshot = results_access(request, slug, round_id)
    if round_.framework.schema != DETAILS_SCHEMA:
        raise Http404  # a 1.0 round keeps its one-role answers, shown with the RACI as before
    context = round_page_base(membership, round_, snapshot, "ownership")
    if snapshot is None:
        return render(request, "assessments/results/pending.html", context)
    stored = snapshot.results.ownership
    # As the alignment page: functions appear in attributed rounds, to whoever may read the results.
    functions_shown = not round_.anonymous
    activities = ownership_view(stored, catalogue_for(round_), functions_shown=functions_shown) if stored else None
    context.update({"activities": activities, "functions_shown": functions_shown})
    return render(request, "assessments/results/ownership.html", context)


@login_required
@require_POST
def consensus(request, slug, round_id, question_key):
    membership = membership_get(user=request.user, slug=slug, action=Action.EDIT_CONSENSUS_ROADMAP_RACI)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    question = round_.asked_questions().filter(key=question_key).select_related("dimension").first()
    if question is None:
        raise Http404
    raw = request.POST.get("level", "")
    rationale = request.POST.get("rationale", "")
    if raw not in {"", "1", "2", "3", "4", "5"} or len(rationale) > 2000:
        message = _("Choose a level from 1 to 5 (or none), with a rationale of up to 2,000 characters.")
        snapshot = getattr(round_, "snapshot", None) if round_.status == RoundStatus.CLOSED else None
        if snapshot is not None:  # the form is on the page: back to it, as typed
            refused = (question.key, raw, rationale, message)
            return _dimension_page(request, membership, round_, snapshot, question.dimension.key, refused=refused, status=400)
        messages.error(request, message)
    else:
        try:
            services.consensus_record(
                round_=round_, question=question, level=int(raw) if raw else None, rationale=rationale, user=request.user
            )
        except services.ConsensusError:
            messages.error(request, _("Consensus is recorded while the round is closed."))
        else:
            messages.success(request, _("The consensus on %(key)s is recorded; the results are updated.") % {"key": question.key})
    return redirect(
        f"{request.build_absolute_uri(_dimension_url(slug, round_id, question.dimension.key))}#q-{question.key.replace('.', '-')}"
    )


def _dimension_url(slug, round_id, key):
    return reverse("assessments:results_dimension", args=[slug, round_id, key])


# -------------------------------------------------------------------------------- downloads


@login_required
def export_scores(request, slug, round_id, fmt):
    """Dimension and question scores as stored. A round on a framework with "not applicable", confidence and
    importance (schema 2) adds their columns last; a 1.0 round's download keeps exactly its former columns."""
    membership, round_, snapshot = download_access(request, slug, round_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    results = round_results(round_)
    details = _details_shown(round_)
    titles = {d.key: d.tr("title") for d in round_.framework.dimensions.all()}
    texts = {q.key: q.tr("text") for q in round_.framework.questions.all()}
    name = f"{membership.organisation.name} {round_.title} scores"
    sheets = [
        (_("Dimensions"), *_dimension_sheet(results, titles, details)),
        (_("Questions"), *_question_sheet(results, texts, details)),
    ]
    return spreadsheet_download(request, name, fmt, sheets, caveat=low_sample(results))


def _details_shown(round_) -> bool:
    """Whether a round's downloads carry the answer details ("not applicable", confidence, importance).

    Tied to the framework, as the snapshot's keys are (docs/exports.md): every 2.0 download has the
    same columns (empty cells for a snapshot stored before the details), a 1.0 one never has them.
    """
    return round_.framework.schema == DETAILS_SCHEMA


def _detail_headers():
    return [_("Not applicable"), _("Low confidence"), _("High confidence")]


def _detail_cells(row):
    """A snapshot row's "not applicable" count and its levels given with low and high confidence (None when not stored)."""
    confidence = row.confidence
    return [row.not_applicable, confidence.low if confidence else None, confidence.high if confidence else None]


def _dimension_sheet(results, titles, details):
    headers = [
        _("Dimension"),
        _("Title"),
        _("Score"),
        _("Index"),
        _("Stage"),
        _("Answered"),
        _("Don't know"),
        _("Don't-know rate"),
        _("Low evidence"),
        _("Agreement"),
    ]
    if details:
        headers += [*_detail_headers(), _("Committee's importance (1–3)")]
    rows = []
    for d in results.dimensions:
        row = [
            d.key,
            titles.get(d.key, ""),
            d.score,
            d.index,
            d.stage,
            d.answered,
            d.dont_know,
            d.dont_know_rate,
            d.low_evidence,
            d.agreement,
        ]
        if details:
            row += [*_detail_cells(d), d.importance]
        rows.append(row)
    return headers, rows


def _question_sheet(results, texts, details):
    headers = [
        _("Question"),
        _("Dimension"),
        _("Text"),
        _("Score"),
        _("Mean"),
        _("Agreed level"),
        _("Rationale"),
        _("Levels given"),
        _("Don't know"),
        _("Range"),
        _("Standard deviation"),
        _("Average distance"),
        _("Contested"),
    ]
    if details:
        headers += _detail_headers()
    rows = []
    for q in results.questions:
        row = [
            q.key,
            q.dimension,
            texts.get(q.key, ""),
            q.score,
            q.mean,
            q.consensus_level,
            q.consensus_rationale,
            q.n,
            q.dont_know,
            q.range,
            q.sd,
            q.ad,
            q.contested,
        ]
        if details:
            row += _detail_cells(q)
        rows.append(row)
    return headers, rows


def round_caveat(round_):
    """The low-sample caveat of a round's stored results (None before closing or above the rule)."""
    snapshot = getattr(round_, "snapshot", None) if round_.status in RESULT_STATUSES else None
    return low_sample(snapshot.results) if snapshot is not None else None


def spreadsheet_download(request, name, fmt, sheets, *, caveat, csv_sheets=None):
    """A CSV or XLSX download of ``(title, headers, rows)`` sheets, carrying any low-sample caveat.

    XLSX: the caveat is a sheet of its own, first, so the workbook opens on it. CSV: the first
    ``csv_sheets`` sheets (all by default) one under the other, then the caveat last, so the table a
    spreadsheet reads from the first row keeps its shape.
    """
    caveat_rows = [[caveat["title"]], [caveat["text"]]] if caveat else []
    if fmt == "xlsx":
        return xlsx_response(name, [*([(_("Low sample"), caveat_rows[0], caveat_rows[1:])] if caveat else []), *sheets])
    (_title, headers, rows), *others = sheets[: csv_sheets or len(sheets)]
    rows = [*rows, *(line for _t, more_headers, more in others for line in ([], more_headers, *more))]
    if caveat:
        rows += [[], *caveat_rows]
    return csv_response(name, headers, rows, language=request.LANGUAGE_CODE)


def _answer_cell(answer: Answer):
    """An answer's level column: the level, or what stands for none ("not applicable" is no don't-know)."""
    if answer.level is not None:
        return answer.level
    return _("Not applicable") if answer.not_applicable else _("Don't know")


@login_required
def export_answers(request, slug, round_id, fmt):
    """Individual answers: facilitators only. In anonymous rounds rows carry no person and no function.

    A 2.0 round's rows add the answer's confidence after its level; a 1.0 round's columns are unchanged.
    """
    membership = membership_get(user=request.user, slug=slug, action=Action.DOWNLOAD_ANSWERS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    details = _details_shown(round_)
    function_labels = dict(Function.choices)
    answers = (
        Answer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True)
        .select_related("participant__user", "question__dimension")
        .order_by("participant_id", "question__position")
    )
    level_headers = [_("Level"), _("Confidence")] if details else [_("Level")]
    if round_.anonymous:
        headers = [_("Question"), _("Dimension"), *level_headers, _("Comment"), _("Evidence link")]
        # Ordered by what the rows say (question, level, confidence), not by participant, so that
        # the order links no two rows to the same person.
        ordered = sorted(answers, key=lambda a: (a.question.key, str(_answer_cell(a)), a.confidence or ""))
        rows = [[a.question.key, a.question.dimension.key, *_level_cells(a, details), a.comment, a.evidence_url] for a in ordered]
    else:
        headers = [
            _("Participant"),
            _("E-mail address"),
            _("Function"),
            _("Question"),
            _("Dimension"),
            *level_headers,
            _("Comment"),
            _("Evidence link"),
        ]
        rows = [
            [
                a.participant.user.display_name,
                a.participant.user.email,
                function_labels.get(a.participant.function, a.participant.function),
                a.question.key,
                a.question.dimension.key,
                *_level_cells(a, details),
                a.comment,
                a.evidence_url,
            ]
            for a in answers
        ]
    name = f"{membership.organisation.name} {round_.title} answers"
    return spreadsheet_download(request, name, fmt, [(_("Answers"), headers, rows)], caveat=round_caveat(round_))


def _level_cells(answer: Answer, details: bool):
    """The level column, then (2.0) the confidence the respondent gave it, empty when none was said."""
    if not details:
        return [_answer_cell(answer)]
    return [_answer_cell(answer), answer.get_confidence_display() if answer.confidence else None]

"""The executive mirror (issue #18): who may open whose mirror, and what it shows, for the page and the PDF.

A mirror is private. Its participant opens their own (``…/mirror/``); in an attributed round the
round's facilitators (the right to see individual answers) may open anyone's
(``…/mirror/<participant id>/``). Anyone else, another participant included, finds nothing (404):
not even whether that participant exists. It is computed from the answers that count (not
withdrawn), not from the results snapshot, which holds no per-participant figure; the round's
answers are frozen once it is closed, so it reads the same until the round is reopened.

The figures come from the pure domain (assessments/domain/mirror.py). Here they are joined to what a
person reads (dimension titles, question texts, function names) and to the small bar each row
draws: positions on the 1–5 scale, written as plain numbers for an SVG's presentation attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisations.models import Membership
from organisations.selectors import membership_get

from . import selectors
from .access import RESULT_STATUSES
from .domain.mirror import ContestedRow, FunctionView, Mirror, MirrorRow, Quartiles, dispersion, executive_mirror
from .domain.types import LEVEL_MAX, LEVEL_MIN, FrameworkSpec, PerceptionGap
from .domain.types import Answer as DomainAnswer
from .models import Answer, Dimension, Function, Participant, Question, Round
from .results import framework_spec


@dataclass(frozen=True)
class MirrorAccess:
    """A mirror someone may open: whose, in which round, and whether it is theirs."""

    membership: Membership
    round: Round
    participant: Participant
    own: bool  # the requester's own mirror (else a facilitator's look at someone else's)

    @property
    def ready(self) -> bool:
        """Figures exist once the round is closed (or published); before, the page says when they will."""
        return self.round.status in RESULT_STATUSES


def mirror_access(*, user, slug: str, round_id: int, participant_id: int | None = None) -> MirrorAccess:
    """The mirror ``user`` asks for, or ``Http404``.

    Without ``participant_id``: the user's own participation (not withdrawn). With it: their own
    again, or, for a member who may see individual answers, that participant's in an attributed
    round. A round the user may not see is a 404 as well (not a 403): a mirror is nobody else's business.
    """
    membership = membership_get(user=user, slug=slug)
    try:
        round_ = selectors.round_get(membership=membership, round_id=round_id)
    except PermissionDenied:
        raise Http404 from None
    counted = Participant.objects.filter(round=round_, withdrawn_at__isnull=True).select_related("user")
    own = counted.filter(user=user).first()
    if participant_id is None or (own is not None and own.pk == participant_id):
        if own is None:
            raise Http404
        return MirrorAccess(membership=membership, round=round_, participant=own, own=True)
    if not selectors.individual_answers_visible(role=membership.role, round_=round_):
        raise Http404
    other = counted.filter(pk=participant_id).first()
    if other is None:
        raise Http404
    return MirrorAccess(membership=membership, round=round_, participant=other, own=False)


def _answers(round_: Round) -> tuple[list[DomainAnswer], dict[int, str]]:
    """The round's answers that count (one query), and each participant's function."""
    rows = Answer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True).values_list(
        "participant_id", "participant__function", "question__key", "level", "not_applicable"
    )
    answers, functions = [], {}
    for pid, function, key, level, not_applicable in rows:
        answers.append(DomainAnswer(participant_id=pid, question_key=key, level=level, not_applicable=not_applicable))
        functions[pid] = function
    return answers, functions


def _framework(round_: Round) -> tuple[FrameworkSpec, dict[str, str]]:
    """The round's framework as the domain scores it (results.framework_spec, short form included) and each
    dimension's title."""
    titles = {d.key: d.tr("title") for d in Dimension.objects.filter(framework=round_.framework)}
    return framework_spec(round_.framework, round_.question_keys), titles


# ----------------------------------------------------------------------------- what the page draws

SCALE = LEVEL_MAX - LEVEL_MIN
MARK = Fraction(3, 2)  # half the width of the participant's mark, in hundredths of the bar


def _x(value: Fraction) -> Fraction:
    """A value of the 1–5 scale as a position on a bar 100 wide."""
    return (value - LEVEL_MIN) * 100 / SCALE


def _svg(value: Fraction) -> str:
    """A number for an SVG attribute: a dot, never the active language's decimal comma."""
    return f"{float(value):.2f}"


@dataclass(frozen=True)
class Bar:
    """The bar of a row, in a viewBox 100 wide: the interquartile range, the median, the participant's mark."""

    iqr_x: str
    iqr_width: str
    median_x: str
    own_x: str | None

    @classmethod
    def of(cls, own: Fraction | None, committee: Quartiles | None) -> Bar | None:
        if committee is None:
            return None
        q1, q3 = _x(committee.q1), _x(committee.q3)
        width = max(q3 - q1, Fraction(1, 2))  # an IQR of zero still shows
        own_x = None
        if own is not None:
            own_x = _svg(min(max(_x(own) - MARK, Fraction(0)), 100 - 2 * MARK))
        return cls(
            iqr_x=_svg(min(q1, 100 - width)),
            iqr_width=_svg(width),
            median_x=_svg(min(max(_x(committee.median) - Fraction(1, 2), Fraction(0)), Fraction(99))),
            own_x=own_x,
        )


@dataclass(frozen=True)
class Line:
    """A mirror row with what a person reads beside it."""

    row: MirrorRow
    title: str  # the dimension's title, or the question's text
    bar: Bar | None
    no_level: str = ""  # a question the participant left without a level: "dk", "na" or "" (not answered)

    @property
    def key(self) -> str:
        return self.row.key

    @property
    def ad(self) -> Fraction | None:
        return self.row.ad if isinstance(self.row, ContestedRow) else None

    @property
    def places(self) -> int:
        """Decimals of the participant's own value: a question's is a whole level, a dimension's a score."""
        return 0 if isinstance(self.row, ContestedRow) else 2


@dataclass(frozen=True)
class FunctionLine:
    view: FunctionView
    title: str  # the dimension's title
    function: str  # the function's name


@dataclass(frozen=True)
class GapLine:
    gap: PerceptionGap
    title: str


@dataclass(frozen=True)
class MirrorPage:
    """Everything the mirror's page and PDF show."""

    mirror: Mirror
    participant: Participant
    function: str  # the participant's function's name ("" in an anonymous round)
    anonymous: bool
    dimensions: list[Line]
    questions: list[Line]  # the contested questions, most divided first
    functions: list[FunctionLine]
    gaps: list[GapLine]

    @property
    def outliers(self) -> list[Line]:
        return [line for line in (*self.dimensions, *self.questions) if line.row.outlier]


def mirror_page(*, round_: Round, participant: Participant) -> MirrorPage:
    """The mirror of ``participant`` (of ``round_``, checked by ``mirror_access``), in the active language."""
    answers, functions = _answers(round_)
    spec, titles = _framework(round_)
    mirror = executive_mirror(spec, answers, participant.pk, functions, round_.anonymous)
    contested = {row.key for row in mirror.questions}
    texts = {q.key: q.tr("text") for q in Question.objects.filter(framework=round_.framework, key__in=contested)}
    own_answers = {a.question_key: a for a in answers if a.participant_id == participant.pk}
    names = dict(Function.choices)

    def no_level(key: str) -> str:
        answer = own_answers.get(key)
        if answer is None or answer.level is not None:
            return ""
        return "na" if answer.not_applicable else "dk"

    return MirrorPage(
        mirror=mirror,
        participant=participant,
        function="" if mirror.function is None else str(names.get(mirror.function, mirror.function)),
        anonymous=round_.anonymous,
        dimensions=[Line(row=r, title=titles.get(r.key, ""), bar=Bar.of(r.own, r.committee)) for r in mirror.dimensions],
        questions=[
            Line(row=r, title=texts.get(r.key, ""), bar=Bar.of(r.own, r.committee), no_level=no_level(r.key))
            for r in mirror.questions
        ],
        functions=[
            FunctionLine(view=v, title=titles.get(v.dimension, ""), function=str(names.get(v.function, v.function)))
            for v in mirror.functions
        ],
        gaps=[GapLine(gap=g, title=titles.get(g.dimension, "")) for g in mirror.gaps],
    )


def dispersion_export(round_: Round) -> dict:
    """The committee's median and interquartile range per dimension and question (``alignment.dispersion``, docs/exports.md)."""
    answers, _functions = _answers(round_)
    spec, _titles = _framework(round_)
    return dispersion(spec, answers).as_export()

"""RACI of CX ownership: validation of the to-be matrix, as-is votes, proposed to-be.

Implements PRODUCT.md "RACI of CX ownership". Pure: roles, activities and context are arguments.

Public API
    ``validate(cells, activities, roles, cxo_exists) -> tuple[Violation, ...]``
    ``as_is(votes, activities=None) -> tuple[AsIsRow, ...]``
    ``propose_to_be(activities, roles, cxo_exists, cxo_reports_to, as_is_rows, dimension_stages)
    -> tuple[ProposedCell, ...]``
    ``cells_of(proposal) -> dict[(activity, role), letter]``

Validation (every violation at once; errors first, in activity order, then warnings)
    Only cells of the given ``activities`` and visible ``roles`` are read; a letter held by a
    hidden role does not count. Letters are ``R A C I`` (case-insensitive); ``""``/``None``
    is an empty cell; anything else raises ``ValueError``.

    ==========================  ========  =====================================================
    code                        severity  when
    ==========================  ========  =====================================================
    ``no_accountable``          error     the row has no A
    ``multiple_accountable``    error     the row has more than one A (``role`` is ``None``)
    ``no_responsible``          error     the row has no R. Literal rule: an A does not count
                                          as doing the work, so a row with only an A is an error
    ``too_many_consulted``      warning   more than 4 C in the row (4 is fine)
    ``strategy_owner_not_cx``   warning   ``cx_strategy`` has its A on ``service`` or ``cmo``
    ``role_overloaded``         warning   a role is A of more than 4 activities (4 is fine)
    ``cxo_idle``                warning   ``cxo_exists`` and ``cxo`` holds no A and no R in the
                                          visible matrix (also when the ``cxo`` column is hidden)
    ==========================  ========  =====================================================

As-is
    Per activity: votes per named role, ``nobody``, ``dont_know``; ``accountable`` is the role
    with a strict plurality of the named votes (tie or no named vote: ``None``);
    ``disagreement = 1 - top / named`` (``None`` without named votes). Rows follow
    ``activities`` when given (rows with no vote included, votes for other activities
    ignored), else the order in which activities first appear.

Proposed to-be: the rules
    Base table, one row per activity (A, then R, then C; I where shown, "others" = every other
    visible role). Each role's A count stays at most 4, ``cx_strategy`` is never held by
    ``service`` or ``cmo``, and the CXO holds A or R, so the proposal raises no warning.

    =====================  =========================================  ==========================================
    activity               with a CXO: A / R / C (/ I)                without a CXO: A / R / C (/ I)
    =====================  =========================================  ==========================================
    cx_strategy            cxo / ceo / cmo cfo coo / I others         ceo / coo / cmo cfo chro / I others
    cx_governance          ceo / cxo / coo cfo chro                   ceo / coo / cfo chro cmo
    journey_ownership      cxo / product coo / service sales cmo      coo / product / service sales cmo
    voc_programme          cxo / service / product cmo cio            coo / service / product cmo cio
    cx_metrics             cfo / cxo / cio service                    cfo / service / cio coo
    cx_dashboard           cxo / cio / cfo / I others                 ceo / cfo / coo cio / I others
    close_the_loop         coo / service / cxo product cio            coo / service / product cio
    cx_finance_link        cfo / cxo / ceo coo                        cfo / cio / ceo coo
    shared_objectives      ceo / chro / cxo cfo coo                   ceo / chro / cfo coo
    ex_programme           chro / coo / cxo service                   chro / coo / service
    cx_culture             chro / cxo / coo service                   chro / coo / service
    cx_tools_data          cio / cxo / service cmo                    cio / service / cmo coo
    omnichannel            coo / service sales / cmo cio cxo          coo / service sales / cmo cio
    cx_budget              cfo / cxo / ceo coo                        cfo / coo / ceo
    =====================  =========================================  ==========================================

    A per role. With a CXO: cxo 4 (strategy, journeys, VoC, dashboard), cfo 3, ceo 2, coo 2,
    chro 2, cio 1. Without: ceo 4, coo 4, cfo 3, chro 2, cio 1. The CXO is the orchestrator:
    it holds at most 4 A and is R wherever another executive answers for the result
    (governance is chaired by the CEO, culture by HR, measurement rigour by the CFO); this is
    why ``cx_governance`` and ``cx_culture`` are not the CXO's A although the CXO runs them.

    Adjustments, applied in this order after the base table:

    1. Weak dimensions add doers (upgrade to R; never changes an A):
       ``D8`` (closing the loop) at stage <= 2 -> ``product`` R on ``close_the_loop``;
       ``D6`` (journeys) at stage <= 2 -> ``service`` R on ``journey_ownership``.
       An unscored dimension (``None``/missing) triggers nothing.
    2. With a CXO reporting to a visible role other than ``ceo``/``cxo``: that role is
       upgraded to C on ``cx_strategy`` and ``cx_governance``.
    3. As-is: the role respondents named accountable today, when visible and not A or R in
       the proposed row, is upgraded to C for the handover.
    Upgrades to C only replace an empty cell or an I, and only while the row has fewer than
    4 C (so ``too_many_consulted`` cannot fire).

    Roles that are hidden or missing: an A or R whose role is not in ``roles`` falls back to
    ``ceo``; if ``ceo`` is not visible or is already the row's A, an R falls back to ``cxo``
    (when a CXO exists), else to the first visible role that is not the A; an A falls back to
    the first visible role (for ``cx_strategy`` the first that is not ``service``/``cmo``;
    if only those two are visible, ``strategy_owner_not_cx`` is then genuine). C and I of missing roles are dropped. Without a CXO the ``cxo``
    column, if shown, gets no letter at all. Activities without a rule:
    A ``ceo`` (fallback), R ``cxo`` with a CXO, else the first other visible role. With at
    least two visible roles every row therefore has one A and at least one R; fallbacks may
    overload ``ceo`` (the warning is then genuine). With a CXO whose column is hidden, the
    with-CXO table is used and its cxo letters fall back as above.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .types import AsIsRow, ProposedCell, Violation

LETTERS = ("R", "A", "C", "I")
ERROR, WARNING = "error", "warning"
MAX_ACCOUNTABLE_PER_ROLE = 4
MAX_CONSULTED_PER_ROW = 4
NOT_CX_STRATEGY_OWNERS = ("service", "cmo")
NOBODY, DONT_KNOW = "nobody", "dont_know"

_STRENGTH = {"A": 4, "R": 3, "C": 2, "I": 1}

NBSP = "\u00a0"


def _text(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def _q(key: str) -> str:
    """A key in French guillemets."""
    return f"«{NBSP}{key}{NBSP}»"


def _letter(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value.upper() in LETTERS:
        return value.upper()
    raise ValueError(f"not a RACI letter: {value!r}")


# --------------------------------------------------------------------------- validation


def validate(
    cells: Mapping[tuple[str, str], str | None],
    activities: Sequence[str],
    roles: Sequence[str],
    cxo_exists: bool,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[Violation, ...]:
    """Every violation of the to-be matrix: errors (activity order), then warnings.

    ``labels`` (key → ``{"fr", "en"}``) names activities and roles in the messages; keys otherwise.
    """
    labels = labels or {}

    def fr(key: str) -> str:
        return _q(labels.get(key, {}).get("fr") or key)

    def en(key: str) -> str:
        return "“" + (labels.get(key, {}).get("en") or key) + "”"

    activities = list(dict.fromkeys(activities))
    roles = list(dict.fromkeys(roles))
    visible, listed = set(roles), set(activities)
    grid: dict[str, dict[str, str]] = {a: {} for a in activities}
    for (activity, role), value in cells.items():
        letter = _letter(value)
        if letter and activity in listed and role in visible:
            grid[activity][role] = letter

    errors: list[Violation] = []
    warnings: list[Violation] = []
    for activity in activities:
        row = grid[activity]
        accountable = [r for r in roles if row.get(r) == "A"]
        if not accountable:
            errors.append(
                Violation(
                    ERROR,
                    "no_accountable",
                    activity,
                    None,
                    _text(
                        f"Aucun rôle n'est redevable (A) de l'activité {fr(activity)}{NBSP}: il en faut exactement un.",
                        f"No role is accountable (A) for the activity {en(activity)}: it needs exactly one.",
                    ),
                )
            )
        elif len(accountable) > 1:
            names_fr = ", ".join(labels.get(r, {}).get("fr") or r for r in accountable)
            names_en = ", ".join(labels.get(r, {}).get("en") or r for r in accountable)
            errors.append(
                Violation(
                    ERROR,
                    "multiple_accountable",
                    activity,
                    None,
                    _text(
                        f"L'activité {fr(activity)} a {len(accountable)} redevables (A) ({names_fr}){NBSP}: "
                        "un seul doit rendre des comptes.",
                        f"The activity {en(activity)} has {len(accountable)} accountable roles (A) ({names_en}): "
                        "only one should answer for it.",
                    ),
                )
            )
        if not any(letter == "R" for letter in row.values()):
            errors.append(
                Violation(
                    ERROR,
                    "no_responsible",
                    activity,
                    None,
                    _text(
                        f"Personne ne réalise (R) l'activité {fr(activity)}{NBSP}: désignez au moins un rôle qui fait le travail.",
                        f"Nobody is responsible (R) for the activity {en(activity)}: name at least one role that does the work.",
                    ),
                )
            )
        consulted = sum(1 for letter in row.values() if letter == "C")
        if consulted > MAX_CONSULTED_PER_ROW:
            warnings.append(
                Violation(
                    WARNING,
                    "too_many_consulted",
                    activity,
                    None,
                    _text(
                        f"L'activité {fr(activity)} consulte {consulted} rôles (plus de {MAX_CONSULTED_PER_ROW}){NBSP}: "
                        "les décisions risquent de s'enliser.",
                        f"The activity {en(activity)} consults {consulted} roles (more than {MAX_CONSULTED_PER_ROW}): "
                        "decisions risk getting bogged down.",
                    ),
                )
            )

    if "cx_strategy" in grid:
        for role in roles:
            if role in NOT_CX_STRATEGY_OWNERS and grid["cx_strategy"].get(role) == "A":
                warnings.append(
                    Violation(
                        WARNING,
                        "strategy_owner_not_cx",
                        "cx_strategy",
                        role,
                        _text(
                            f"La stratégie CX est confiée à {fr(role)}{NBSP}: la CX n'est ni le service client "
                            "ni le marketing. Confiez-la au CXO ou, à défaut, à la direction générale.",
                            f"The CX strategy is owned by {en(role)}: CX is neither customer support nor marketing. "
                            "Give it to the CXO or, failing that, to the CEO.",
                        ),
                    )
                )

    held = Counter(role for row in grid.values() for role, letter in row.items() if letter == "A")
    for role in roles:
        if held[role] > MAX_ACCOUNTABLE_PER_ROLE:
            warnings.append(
                Violation(
                    WARNING,
                    "role_overloaded",
                    None,
                    role,
                    _text(
                        f"Le rôle {fr(role)} est redevable (A) de {held[role]} activités "
                        f"(plus de {MAX_ACCOUNTABLE_PER_ROLE}){NBSP}: répartissez les responsabilités.",
                        f"The role {en(role)} is accountable (A) for {held[role]} activities "
                        f"(more than {MAX_ACCOUNTABLE_PER_ROLE}): spread the accountability.",
                    ),
                )
            )

    if cxo_exists and not any(row.get("cxo") in ("A", "R") for row in grid.values()):
        warnings.append(
            Violation(
                WARNING,
                "cxo_idle",
                None,
                "cxo",
                _text(
                    f"Un CXO est en poste mais n'est ni redevable (A) ni réalisateur (R) d'aucune activité{NBSP}: "
                    "son rôle reste à définir.",
                    "A CXO is in place but is neither accountable (A) nor responsible (R) for any activity: "
                    "the role is still undefined.",
                ),
            )
        )
    return tuple(errors + warnings)


# --------------------------------------------------------------------------- as-is


def as_is(
    votes: Iterable[tuple[str, str]],
    activities: Sequence[str] | None = None,
) -> tuple[AsIsRow, ...]:
    """Count the as-is answers: see the module docstring."""
    order: list[str] = list(dict.fromkeys(activities)) if activities is not None else []
    wanted = set(order) if activities is not None else None
    tallies: dict[str, Counter[str]] = {a: Counter() for a in order}
    for activity, choice in votes:
        if wanted is not None and activity not in wanted:
            continue
        if activity not in tallies:
            tallies[activity] = Counter()
            order.append(activity)
        tallies[activity][choice] += 1

    rows = []
    for activity in order:
        tally = tallies[activity]
        named = {role: n for role, n in tally.items() if role not in (NOBODY, DONT_KNOW)}
        named = dict(sorted(named.items(), key=lambda item: (-item[1], item[0])))
        total = sum(named.values())
        accountable = disagreement = None
        if total:
            top = max(named.values())
            leaders = [role for role, n in named.items() if n == top]
            accountable = leaders[0] if len(leaders) == 1 else None
            disagreement = 1 - Fraction(top, total)
        rows.append(AsIsRow(activity, named, tally[NOBODY], tally[DONT_KNOW], accountable, disagreement))
    return tuple(rows)


# --------------------------------------------------------------------------- proposed to-be


@dataclass(frozen=True)
class _Rule:
    a: str
    r: tuple[str, ...]
    c: tuple[str, ...]
    reason: dict[str, str]
    inform_others: bool = False


_WITH_CXO: dict[str, _Rule] = {
    "cx_strategy": _Rule(
        "cxo",
        ("ceo",),
        ("cmo", "cfo", "coo"),
        _text(
            "Le CXO porte la vision et la stratégie CX ; le DG la co-construit et la porte en comité de direction.",
            "The CXO owns the CX vision and strategy; the CEO co-builds it and carries it in the executive committee.",
        ),
        inform_others=True,
    ),
    "cx_governance": _Rule(
        "ceo",
        ("cxo",),
        ("coo", "cfo", "chro"),
        _text(
            "Le DG préside le comité de pilotage CX, ce qui lui donne autorité ; le CXO l'anime "
            "(ordre du jour, suivi des décisions).",
            "The CEO chairs the CX steering committee, which gives it authority; the CXO runs it "
            "(agenda, follow-up of decisions).",
        ),
    ),
    "journey_ownership": _Rule(
        "cxo",
        ("product", "coo"),
        ("service", "sales", "cmo"),
        _text(
            "Le CXO organise la cartographie des parcours et nomme leurs propriétaires ; le produit et les "
            "opérations redessinent les parcours.",
            "The CXO organises journey mapping and appoints journey owners; product and operations redesign the journeys.",
        ),
    ),
    "voc_programme": _Rule(
        "cxo",
        ("service",),
        ("product", "cmo", "cio"),
        _text(
            "Le CXO pilote le programme d'écoute client ; le service client recueille et fait remonter les retours au quotidien.",
            "The CXO runs the voice-of-customer programme; customer service gathers and passes on feedback day to day.",
        ),
    ),
    "cx_metrics": _Rule(
        "cfo",
        ("cxo",),
        ("cio", "service"),
        _text(
            "Le CXO conçoit et mène la mesure NPS, CSAT et CES ; le DAF en garantit la rigueur, comme pour un indicateur financier.",
            "The CXO designs and runs NPS, CSAT and CES measurement; the CFO vouches for its rigour, as for a financial KPI.",
        ),
    ),
    "cx_dashboard": _Rule(
        "cxo",
        ("cio",),
        ("cfo",),
        _text(
            "Le CXO présente le tableau de bord CX au comité de direction ; la DSI l'alimente en données fiables.",
            "The CXO presents the CX dashboard to the executive committee; IT feeds it with reliable data.",
        ),
        inform_others=True,
    ),
    "close_the_loop": _Rule(
        "coo",
        ("service",),
        ("cxo", "product", "cio"),
        _text(
            "Le COO fait corriger les irritants dans les opérations ; le service client referme la boucle avec chaque client.",
            "The COO gets pain points fixed in operations; customer service closes the loop with each customer.",
        ),
    ),
    "cx_finance_link": _Rule(
        "cfo",
        ("cxo",),
        ("ceo", "coo"),
        _text(
            "Le DAF valide le lien entre indicateurs CX et résultats financiers ; le CXO construit le modèle "
            "(NPS et rétention, CES et coût par contact).",
            "The CFO signs off the link between CX metrics and financial results; the CXO builds the model "
            "(NPS and retention, CES and cost per contact).",
        ),
    ),
    "shared_objectives": _Rule(
        "ceo",
        ("chro",),
        ("cxo", "cfo", "coo"),
        _text(
            "Le DG fixe des objectifs CX partagés par tout le comité de direction ; la DRH les intègre aux objectifs "
            "individuels et à la rémunération variable.",
            "The CEO sets CX objectives shared by the whole executive committee; HR builds them into individual "
            "objectives and variable pay.",
        ),
    ),
    "ex_programme": _Rule(
        "chro",
        ("coo",),
        ("cxo", "service"),
        _text(
            "La DRH porte le programme d'expérience collaborateur ; les managers opérationnels le déploient.",
            "HR owns the employee-experience programme; operational managers roll it out.",
        ),
    ),
    "cx_culture": _Rule(
        "chro",
        ("cxo",),
        ("coo", "service"),
        _text(
            "La DRH est redevable de la formation et de la culture ; le CXO en fournit le contenu client et anime la démarche.",
            "HR is accountable for training and culture; the CXO supplies the customer content and leads the effort.",
        ),
    ),
    "cx_tools_data": _Rule(
        "cio",
        ("cxo",),
        ("service", "cmo"),
        _text(
            "La DSI est redevable des outils CX et des données clients ; le CXO exprime les besoins et exploite les outils.",
            "IT is accountable for CX tools and customer data; the CXO sets the requirements and uses the tools.",
        ),
    ),
    "omnichannel": _Rule(
        "coo",
        ("service", "sales"),
        ("cmo", "cio", "cxo"),
        _text(
            "Le COO orchestre les canaux ; le service client et les ventes assurent la continuité d'un canal à l'autre.",
            "The COO orchestrates the channels; customer service and sales keep the experience continuous across them.",
        ),
    ),
    "cx_budget": _Rule(
        "cfo",
        ("cxo",),
        ("ceo", "coo"),
        _text(
            "Le DAF arbitre le budget et les investissements CX ; le CXO prépare les dossiers d'investissement.",
            "The CFO decides the CX budget and investments; the CXO prepares the business cases.",
        ),
    ),
}

_WITHOUT_CXO: dict[str, _Rule] = {
    "cx_strategy": _Rule(
        "ceo",
        ("coo",),
        ("cmo", "cfo", "chro"),
        _text(
            "Pas encore de CXO : le DG porte la stratégie CX jusqu'à sa nomination ; le COO la prépare.",
            "No CXO yet: the CEO holds CX strategy until one is appointed; the COO prepares it.",
        ),
        inform_others=True,
    ),
    "cx_governance": _Rule(
        "ceo",
        ("coo",),
        ("cfo", "chro", "cmo"),
        _text(
            "Pas encore de CXO : le DG préside et porte le pilotage CX ; le COO l'anime.",
            "No CXO yet: the CEO chairs and owns CX steering; the COO runs it.",
        ),
    ),
    "journey_ownership": _Rule(
        "coo",
        ("product",),
        ("service", "sales", "cmo"),
        _text(
            "Pas encore de CXO : le COO est redevable des parcours, qu'il opère ; le produit les redessine.",
            "No CXO yet: the COO is accountable for the journeys it operates; product redesigns them.",
        ),
    ),
    "voc_programme": _Rule(
        "coo",
        ("service",),
        ("product", "cmo", "cio"),
        _text(
            "Pas encore de CXO : le COO pilote l'écoute client ; le service client recueille les retours.",
            "No CXO yet: the COO runs the voice-of-customer programme; customer service gathers the feedback.",
        ),
    ),
    "cx_metrics": _Rule(
        "cfo",
        ("service",),
        ("cio", "coo"),
        _text(
            "Pas encore de CXO : le DAF garantit la rigueur de la mesure NPS, CSAT et CES ; le service client administre les enquêtes.",
            "No CXO yet: the CFO vouches for rigorous NPS, CSAT and CES measurement; customer service runs the surveys.",
        ),
    ),
    "cx_dashboard": _Rule(
        "ceo",
        ("cfo",),
        ("coo", "cio"),
        _text(
            "Pas encore de CXO : le DG inscrit le tableau de bord CX à chaque comité de direction ; le contrôle de gestion le produit.",
            "No CXO yet: the CEO puts the CX dashboard on every executive committee agenda; finance produces it.",
        ),
        inform_others=True,
    ),
    "close_the_loop": _Rule(
        "coo",
        ("service",),
        ("product", "cio"),
        _text(
            "Le COO fait corriger les irritants dans les opérations ; le service client referme la boucle avec chaque client.",
            "The COO gets pain points fixed in operations; customer service closes the loop with each customer.",
        ),
    ),
    "cx_finance_link": _Rule(
        "cfo",
        ("cio",),
        ("ceo", "coo"),
        _text(
            "Le DAF est redevable du lien entre CX et résultats financiers ; la DSI rapproche données clients et financières.",
            "The CFO is accountable for linking CX to financial results; IT joins customer and financial data.",
        ),
    ),
    "shared_objectives": _Rule(
        "ceo",
        ("chro",),
        ("cfo", "coo"),
        _text(
            "Le DG fixe des objectifs CX partagés par tout le comité de direction ; la DRH les intègre aux objectifs "
            "individuels et à la rémunération variable.",
            "The CEO sets CX objectives shared by the whole executive committee; HR builds them into individual "
            "objectives and variable pay.",
        ),
    ),
    "ex_programme": _Rule(
        "chro",
        ("coo",),
        ("service",),
        _text(
            "La DRH porte le programme d'expérience collaborateur ; les managers opérationnels le déploient.",
            "HR owns the employee-experience programme; operational managers roll it out.",
        ),
    ),
    "cx_culture": _Rule(
        "chro",
        ("coo",),
        ("service",),
        _text(
            "Pas encore de CXO : la DRH porte la formation et la culture client ; les managers opérationnels la font vivre.",
            "No CXO yet: HR owns CX training and culture; operational managers bring it to life.",
        ),
    ),
    "cx_tools_data": _Rule(
        "cio",
        ("service",),
        ("cmo", "coo"),
        _text(
            "La DSI est redevable des outils CX et des données clients ; le service client, premier utilisateur, "
            "exprime les besoins.",
            "IT is accountable for CX tools and customer data; customer service, their main user, sets the requirements.",
        ),
    ),
    "omnichannel": _Rule(
        "coo",
        ("service", "sales"),
        ("cmo", "cio"),
        _text(
            "Le COO orchestre les canaux ; le service client et les ventes assurent la continuité d'un canal à l'autre.",
            "The COO orchestrates the channels; customer service and sales keep the experience continuous across them.",
        ),
    ),
    "cx_budget": _Rule(
        "cfo",
        ("coo",),
        ("ceo",),
        _text(
            "Le DAF arbitre le budget CX ; le COO prépare les demandes d'investissement.",
            "The CFO decides the CX budget; the COO prepares the investment requests.",
        ),
    ),
}

#: Stage rules: (dimension, activity, role upgraded to R, reason).
_WEAK_DIMENSION_DOERS = (
    (
        "D8",
        "close_the_loop",
        "product",
        _text(
            "Passage à l'action encore faible (stade {stage}) : corriger les irritants demande des changements produit, "
            "pas seulement des gestes au cas par cas.",
            "Acting on insight is still weak (stage {stage}): fixing pain points needs product changes, "
            "not only case-by-case recovery.",
        ),
    ),
    (
        "D6",
        "journey_ownership",
        "service",
        _text(
            "Gestion des parcours encore faible (stade {stage}) : le service client, qui voit les irritants, "
            "participe à la cartographie.",
            "Journey management is still weak (stage {stage}): customer service, which sees the pain points, "
            "takes part in the mapping.",
        ),
    ),
)

_CONSULTED = _text(
    "Consulté : son domaine est directement concerné par cette activité.",
    "Consulted: their function is directly affected by this activity.",
)
_INFORMED = _text(
    "Informé : tout le comité de direction suit cette activité.",
    "Informed: the whole executive committee follows this activity.",
)


def _fallback_reason(intended: str, taken_by: str, letter: str) -> dict[str, str]:
    return _text(
        f"Le rôle prévu ({intended}) n'apparaît pas dans la matrice : {taken_by} prend le {letter} en attendant.",
        f"The intended role ({intended}) is not in this RACI: {taken_by} takes the {letter} meanwhile.",
    )


def _nbsp(text: dict[str, str]) -> dict[str, str]:
    """French typography: a no-break space before ':' and ';'."""
    return {"fr": text["fr"].replace(" :", f"{NBSP}:").replace(" ;", f"{NBSP};"), "en": text["en"]}


def propose_to_be(
    activities: Sequence[str],
    roles: Sequence[str],
    cxo_exists: bool,
    cxo_reports_to: str | None,
    as_is_rows: Iterable[AsIsRow],
    dimension_stages: Mapping[str, int | None],
) -> tuple[ProposedCell, ...]:
    """The proposed to-be cells with their reasons (rules in the module docstring)."""
    activities = list(dict.fromkeys(activities))
    roles = list(dict.fromkeys(roles))
    if not roles:
        return ()
    visible = set(roles)
    table = _WITH_CXO if cxo_exists else _WITHOUT_CXO
    as_is_accountable = {row.activity: row.accountable for row in as_is_rows}

    rows: dict[str, dict[str, tuple[str, dict[str, str]]]] = {}
    for activity in activities:
        row: dict[str, tuple[str, dict[str, str]]] = {}
        rule = table.get(activity)
        if rule is None:
            rule = _Rule(
                "ceo",
                ("cxo",) if cxo_exists else (),
                (),
                _text(
                    "Pas de règle pour cette activité : le DG la porte jusqu'à décision du comité.",
                    "No rule for this activity: the CEO holds it until the committee decides.",
                ),
            )

        # A: the rule's role, else ceo, else the first visible role (for cx_strategy, the
        # first that is neither service nor marketing, when there is one).
        eligible = [r for r in roles if activity != "cx_strategy" or r not in NOT_CX_STRATEGY_OWNERS]
        accountable = next(r for r in (rule.a, "ceo", *eligible, roles[0]) if r in visible)
        reason = rule.reason if accountable == rule.a else _fallback_reason(rule.a, accountable, "A")
        row[accountable] = ("A", reason)

        # R: the rule's roles that are visible; a missing one falls back.
        for intended in rule.r:
            doer: str | None = intended
            if doer not in visible or doer == accountable:
                doer = _responsible_fallback(roles, accountable, cxo_exists)
            if doer is None or doer in row:
                continue
            row[doer] = ("R", rule.reason if doer == intended else _fallback_reason(intended, doer, "R"))
        if not any(letter == "R" for letter, _ in row.values()):
            doer = _responsible_fallback(roles, accountable, cxo_exists)
            if doer is not None:
                row[doer] = ("R", rule.reason)

        for role in rule.c:
            if role in visible and role not in row:
                row[role] = ("C", _CONSULTED)
        if rule.inform_others:
            for role in roles:
                if role not in row and (cxo_exists or role != "cxo"):
                    row[role] = ("I", _INFORMED)
        rows[activity] = row

    # 1. Weak dimensions add doers.
    for dimension, activity, role, reason in _WEAK_DIMENSION_DOERS:
        stage = dimension_stages.get(dimension)
        if stage is None or stage > 2 or activity not in rows or role not in visible:
            continue
        row = rows[activity]
        if row.get(role, ("",))[0] in ("", "C", "I"):
            row[role] = ("R", {lang: text.format(stage=stage) for lang, text in reason.items()})

    # 2. The executive the CXO reports to is consulted on strategy and steering.
    if cxo_exists and cxo_reports_to in visible and cxo_reports_to not in ("ceo", "cxo"):
        for activity in ("cx_strategy", "cx_governance"):
            if activity in rows:
                _consult(
                    rows[activity],
                    cxo_reports_to,
                    _text(
                        f"Le CXO rend compte à {cxo_reports_to} : consulté sur la stratégie et le pilotage CX.",
                        f"The CXO reports to {cxo_reports_to}: consulted on CX strategy and steering.",
                    ),
                )

    # 3. Today's de facto owner is consulted during the handover.
    for activity in activities:
        owner = as_is_accountable.get(activity)
        if owner in visible:
            _consult(
                rows[activity],
                owner,
                _text(
                    f"Aujourd'hui, les répondants voient {owner} comme redevable : consulté pendant la passation.",
                    f"Respondents see {owner} as accountable today: consulted during the handover.",
                ),
            )

    cells = []
    for activity in activities:
        row = rows[activity]
        for role in roles:
            if role in row:
                letter, reason = row[role]
                cells.append(ProposedCell(activity, role, letter, _nbsp(reason)))
    return tuple(cells)


def _responsible_fallback(roles: Sequence[str], accountable: str, cxo_exists: bool) -> str | None:
    candidates = ["ceo"] + (["cxo"] if cxo_exists else []) + list(roles)
    return next((r for r in candidates if r in roles and r != accountable), None)


def _consult(row: dict[str, tuple[str, dict[str, str]]], role: str, reason: dict[str, str]) -> None:
    current = row.get(role, ("",))[0]
    consulted = sum(1 for letter, _ in row.values() if letter == "C")
    if current in ("", "I") and consulted < MAX_CONSULTED_PER_ROW:
        row[role] = ("C", reason)


def cells_of(proposal: Iterable[ProposedCell]) -> dict[tuple[str, str], str]:
    """The ``{(activity, role): letter}`` mapping of a proposal, the input of ``validate``."""
    return {(cell.activity, cell.role): cell.letter for cell in proposal}

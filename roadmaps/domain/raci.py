"""RACI of CX ownership: validation of the to-be matrix, as-is votes, proposed to-be.

Implements PRODUCT.md "RACI of CX ownership". Pure: roles, activities, context and the proposal
rules are arguments. Nothing here is worded: violations and reasons are codes with parameters,
which ``roadmaps/raci_messages.py`` turns into text (gettext, and the rules file's reasons).

Public API
    ``validate(cells, activities, roles, cxo_exists) -> tuple[Violation, ...]``
    ``as_is(votes, activities=None) -> tuple[AsIsRow, ...]``
    ``propose_to_be(activities, roles, cxo_exists, cxo_reports_to, as_is_rows, dimension_stages, rules,
    *, letters=(), answered=()) -> tuple[ProposedCell, ...]``
    ``named_responsible(letters, answered) -> dict[activity, dict[role, (count, respondents)]]``
    the roles a majority of respondents name R today
    ``cells_of(proposal) -> dict[(activity, role), letter]``
    ``check_rules(rules) -> tuple[str, ...]`` the problems of a rule set (empty when usable)

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

    The parameters of each code are listed on :class:`~roadmaps.domain.types.Violation`.

As-is
    Per activity: votes per named role, ``nobody``, ``dont_know``; ``accountable`` is the role
    with a strict plurality of the named votes (tie or no named vote: ``None``);
    ``disagreement = 1 - top / named`` (``None`` without named votes). Rows follow
    ``activities`` when given (rows with no vote included, votes for other activities
    ignored), else the order in which activities first appear.

Proposed to-be: the rules
    The base table is ``rules.with_cxo`` or ``rules.without_cxo`` (shipped in
    ``roadmaps/rules/raci.toml``, with the reasoning behind each row): per activity an A, then R,
    then C, and I for every other visible role when ``inform_others``. ``check_rules`` holds a
    table to what makes its proposal raise no warning: each role's A count at most 4, at most 4 C
    per row, ``cx_strategy`` never held by ``service`` or ``cmo``, and, with a CXO, the CXO
    holding an A or an R; and the same A limit, an R per row and the strategy's owner once the
    roles of ``rules.stand_ins`` are taken away (an organisation whose RACI predates them).

    Adjustments, applied in this order after the base table:

    1. Weak dimensions add doers (upgrade to R; never changes an A): each ``rules.weak_dimensions``
       entry makes its role R on its activity when its dimension is scored at its
       ``at_most_stage`` or below. An unscored dimension (``None``/missing) triggers nothing.
    2. With a CXO reporting to a visible role other than ``ceo``/``cxo``: that role is
       upgraded to C on ``cx_strategy`` and ``cx_governance``.
    3. As-is: the role respondents named accountable today, when visible and not A or R in
       the proposed row, is upgraded to C for the handover; never ``cxo`` when there is no
       CXO (votes for a role nobody holds hand nothing over).
    4. As-is letters (RACI 2.0 rounds; 1.0 rounds have none, and nothing changes): a role that
       a strict majority of the respondents who answered the activity name R today
       (``named_responsible``), when visible and not the row's A, is upgraded to R (from empty,
       C or I); never ``cxo`` when there is no CXO. A respondent answered an activity when
       ``answered`` pairs them with it or they gave it a letter; each counts once per role.
    Upgrades to C only replace an empty cell or an I, and only while the row has fewer than
    4 C (so ``too_many_consulted`` cannot fire); an upgrade to R never touches an A and only
    lowers the count of C.

    Roles that are hidden or missing: an A or R whose role is not in ``roles`` falls back to
    ``ceo``; if ``ceo`` is not visible or is already the row's A, an R falls back to ``cxo``
    (when a CXO exists), else to the first visible role that is not the A; an A falls back to
    the first visible role (for ``cx_strategy`` the first that is not ``service``/``cmo``;
    if only those two are visible, ``strategy_owner_not_cx`` is then genuine). C and I of
    missing roles are dropped. Without a CXO the ``cxo`` column, if shown, gets no I and no
    letter from the table (``check_rules`` refuses a without-CXO rule naming it).

    Roles an organisation may not have (``rules.stand_ins``, the roles cx-governance 2.0 added):
    when such a role is a rule's A and is not visible, the A goes to the first visible role of
    its stand-ins, before the fallback above; an R it holds in the rule is dropped, and so is an
    R of the stand-in now holding the A, as long as the row keeps another R (else the fallback
    above gives one). Only rules naming these roles are affected: 1.0's rules name none, so
    1.0 rounds are proposed as before. Activities without a rule:
    A ``ceo`` (fallback), R ``cxo`` with a CXO, else the first other visible role. With at
    least two visible roles every row therefore has one A and at least one R; fallbacks may
    overload ``ceo`` (the warning is then genuine). With a CXO whose column is hidden, the
    with-CXO table is used and its cxo letters fall back as above.

    Reason codes (``ProposedCell.reason``): ``rule`` (``table``, ``activity``: the rule's own
    reason), ``no_rule``, ``fallback`` (``intended``, ``taken_by``, ``letter``), ``consulted``,
    ``informed``, ``weak_dimension`` (``dimension``, ``activity``, ``role``, ``stage``),
    ``reports_to`` (``role``), ``handover`` (``role``) and ``named_responsible`` (``role``,
    ``count``: respondents naming it R, ``respondents``: respondents who answered the activity);
    a cell set by hand has ``MANUAL``'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction

from .types import AsIsRow, ProposedCell, RaciRule, RaciRules, Reason, StageRule, Violation

LETTERS = ("R", "A", "C", "I")
ERROR, WARNING = "error", "warning"
MAX_ACCOUNTABLE_PER_ROLE = 4
MAX_CONSULTED_PER_ROW = 4
NOT_CX_STRATEGY_OWNERS = ("service", "cmo")
NOBODY, DONT_KNOW = "nobody", "dont_know"

#: Every code ``validate`` may return, errors then warnings.
VIOLATION_CODES = (
    "no_accountable",
    "multiple_accountable",
    "no_responsible",
    "too_many_consulted",
    "strategy_owner_not_cx",
    "role_overloaded",
    "cxo_idle",
)
#: Every reason code ``propose_to_be`` may give a cell.
REASON_CODES = (
    "rule",
    "no_rule",
    "fallback",
    "consulted",
    "informed",
    "weak_dimension",
    "reports_to",
    "handover",
    "named_responsible",
)
#: The reason of a cell the facilitator set by hand: never proposed, recorded by the services.
MANUAL = Reason("manual")


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
) -> tuple[Violation, ...]:
    """Every violation of the to-be matrix: errors (activity order), then warnings."""
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
            errors.append(Violation(ERROR, "no_accountable", activity, None))
        elif len(accountable) > 1:
            params = {"count": len(accountable), "roles": tuple(accountable)}
            errors.append(Violation(ERROR, "multiple_accountable", activity, None, params))
        if not any(letter == "R" for letter in row.values()):
            errors.append(Violation(ERROR, "no_responsible", activity, None))
        consulted = sum(1 for letter in row.values() if letter == "C")
        if consulted > MAX_CONSULTED_PER_ROW:
            params = {"count": consulted, "limit": MAX_CONSULTED_PER_ROW}
            warnings.append(Violation(WARNING, "too_many_consulted", activity, None, params))

    if "cx_strategy" in grid:
        for role in roles:
            if role in NOT_CX_STRATEGY_OWNERS and grid["cx_strategy"].get(role) == "A":
                warnings.append(Violation(WARNING, "strategy_owner_not_cx", "cx_strategy", role))

    held = Counter(role for row in grid.values() for role, letter in row.items() if letter == "A")
    for role in roles:
        if held[role] > MAX_ACCOUNTABLE_PER_ROLE:
            params = {"count": held[role], "limit": MAX_ACCOUNTABLE_PER_ROLE}
            warnings.append(Violation(WARNING, "role_overloaded", None, role, params))

    if cxo_exists and not any(row.get("cxo") in ("A", "R") for row in grid.values()):
        warnings.append(Violation(WARNING, "cxo_idle", None, "cxo"))
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

_CONSULTED = Reason("consulted")
_INFORMED = Reason("informed")
_NO_RULE = Reason("no_rule")


def _fallback_reason(intended: str, taken_by: str, letter: str) -> Reason:
    return Reason("fallback", {"intended": intended, "taken_by": taken_by, "letter": letter})


#: A proposed row: role -> (letter, reason).
_Row = dict[str, tuple[str, Reason]]


def propose_to_be(
    activities: Sequence[str],
    roles: Sequence[str],
    cxo_exists: bool,
    cxo_reports_to: str | None,
    as_is_rows: Iterable[AsIsRow],
    dimension_stages: Mapping[str, int | None],
    rules: RaciRules,
    *,
    letters: Iterable[tuple[Hashable, str, str, str]] = (),
    answered: Iterable[tuple[Hashable, str]] = (),
) -> tuple[ProposedCell, ...]:
    """The proposed to-be cells with their reasons (rules in the module docstring).

    ``letters`` are the as-is letters ``(respondent, activity, role, letter)`` and ``answered``
    the ``(respondent, activity)`` pairs of who answered an activity (adjustment 4).
    """
    activities = list(dict.fromkeys(activities))
    roles = list(dict.fromkeys(roles))
    if not roles:
        return ()
    visible = set(roles)
    table = rules.table(cxo_exists)
    table_name = rules.table_name(cxo_exists)
    rows: dict[str, _Row] = {}
    for activity in activities:
        rule, rule_reason = _rule_for(activity, table, table_name, cxo_exists)
        rows[activity] = _base_row(activity, rule, rule_reason, roles, cxo_exists, rules.stand_ins)

    holders = visible - (set() if cxo_exists else {"cxo"})
    _add_weak_dimension_doers(rows, rules.weak_dimensions, dimension_stages, visible)
    _consult_reporting_line(rows, cxo_exists, cxo_reports_to, visible)
    _consult_handover(rows, activities, as_is_rows, holders)
    _add_named_responsible(rows, roles, named_responsible(letters, answered), holders)
    cells: list[ProposedCell] = []
    for activity in activities:  # activity order, then role (column) order
        row = rows[activity]
        cells.extend(ProposedCell(activity, role, *row[role]) for role in roles if role in row)
    return tuple(cells)


def _rule_for(activity: str, table: Mapping[str, RaciRule], table_name: str, cxo_exists: bool) -> tuple[RaciRule, Reason]:
    """The activity's rule and the reason its cells give; an activity the table lacks still gets an owner
    (A ``ceo``, R ``cxo`` when there is one) so every row can be proposed."""
    rule = table.get(activity)
    if rule is None:
        return RaciRule("ceo", ("cxo",) if cxo_exists else ()), _NO_RULE
    return rule, Reason("rule", {"table": table_name, "activity": activity})


def _base_row(
    activity: str,
    rule: RaciRule,
    rule_reason: Reason,
    roles: Sequence[str],
    cxo_exists: bool,
    stand_ins: Mapping[str, Sequence[str]],
) -> _Row:
    """The row the rule gives once hidden roles are replaced: one A, at least one R where
    another role is visible, then C, then I for the others when the rule informs them."""
    visible = set(roles)
    row: _Row = {}
    # A: the rule's role, else its stand-ins, else ceo, else the first visible role (for
    # cx_strategy, the first that is neither service nor marketing, when there is one).
    eligible = [r for r in roles if activity != "cx_strategy" or r not in NOT_CX_STRATEGY_OWNERS]
    substitutes = [r for r in stand_ins.get(rule.a, ()) if cxo_exists or r != "cxo"]
    accountable = next(r for r in (rule.a, *substitutes, "ceo", *eligible, roles[0]) if r in visible)
    reason = rule_reason if accountable == rule.a else _fallback_reason(rule.a, accountable, "A")
    row[accountable] = ("A", reason)
    _add_responsible(row, rule, rule_reason, roles, accountable, cxo_exists, stand_ins)
    for role in rule.c:
        if role in visible and role not in row:
            row[role] = ("C", _CONSULTED)
    if rule.inform_others:
        for role in roles:
            if role not in row and (cxo_exists or role != "cxo"):
                row[role] = ("I", _INFORMED)
    return row


def _add_responsible(
    row: _Row,
    rule: RaciRule,
    rule_reason: Reason,
    roles: Sequence[str],
    accountable: str,
    cxo_exists: bool,
    stand_ins: Mapping[str, Sequence[str]],
) -> None:
    """The rule's doers (R) that are visible; a hidden one, or one already the A, falls back.

    A role the organisation may not have (``stand_ins``) is dropped instead when hidden, and so
    is the stand-in holding the A in its place: the other doers do the work. A row left without
    an R still gets one from the fallback: validation calls a row without a doer an error, and
    the proposal must not raise it.
    """
    visible = set(roles)
    stood_in = accountable != rule.a and rule.a in stand_ins
    for intended in rule.r:
        if (intended in stand_ins and intended not in visible) or (stood_in and intended == accountable):
            continue
        doer: str | None = intended
        if doer not in visible or doer == accountable:
            doer = _responsible_fallback(roles, accountable, cxo_exists)
        if doer is None or doer in row:
            continue
        row[doer] = ("R", rule_reason if doer == intended else _fallback_reason(intended, doer, "R"))
    if not any(letter == "R" for letter, _ in row.values()):
        doer = _responsible_fallback(roles, accountable, cxo_exists)
        if doer is not None:
            row[doer] = ("R", rule_reason)


def _add_weak_dimension_doers(
    rows: dict[str, _Row], stage_rules: Iterable[StageRule], dimension_stages: Mapping[str, int | None], visible: set[str]
) -> None:
    """Adjustment 1: a dimension scored at or below a stage rule's stage makes its role R on the
    activity (an upgrade from nothing, C or I; never touches an A or an R)."""
    for stage_rule in stage_rules:
        stage = dimension_stages.get(stage_rule.dimension)
        activity, role = stage_rule.activity, stage_rule.role
        if stage is None or stage > stage_rule.at_most_stage or activity not in rows or role not in visible:
            continue
        row = rows[activity]
        if row.get(role, ("",))[0] in ("", "C", "I"):
            params = {"dimension": stage_rule.dimension, "activity": activity, "role": role, "stage": stage}
            row[role] = ("R", Reason("weak_dimension", params))


def _consult_reporting_line(rows: dict[str, _Row], cxo_exists: bool, cxo_reports_to: str | None, visible: set[str]) -> None:
    """Adjustment 2: the executive the CXO reports to, other than the CEO, is consulted on strategy and steering."""
    if cxo_exists and cxo_reports_to in visible and cxo_reports_to not in ("ceo", "cxo"):
        for activity in ("cx_strategy", "cx_governance"):
            if activity in rows:
                _consult(rows[activity], cxo_reports_to, Reason("reports_to", {"role": cxo_reports_to}))


def _consult_handover(rows: dict[str, _Row], activities: Sequence[str], as_is_rows: Iterable[AsIsRow], visible: set[str]) -> None:
    """Adjustment 3: today's de facto owner (the as-is plurality) is consulted during the handover."""
    as_is_accountable = {row.activity: row.accountable for row in as_is_rows}
    for activity in activities:
        owner = as_is_accountable.get(activity)
        if owner in visible:
            _consult(rows[activity], owner, Reason("handover", {"role": owner}))


def named_responsible(
    letters: Iterable[tuple[Hashable, str, str, str]], answered: Iterable[tuple[Hashable, str]] = ()
) -> dict[str, dict[str, tuple[int, int]]]:
    """Per activity, the roles a strict majority of its respondents name R today, each with
    ``(respondents naming it R, respondents of the activity)``, roles in name order.

    The respondents of an activity are those ``answered`` pairs with it and those who gave it a
    letter; a respondent naming a role R twice counts once. Letters other than R (any case) are
    not counted, but make their respondent one of the activity's.
    """
    respondents: dict[str, set[Hashable]] = {}
    naming: dict[tuple[str, str], set[Hashable]] = {}
    for respondent, activity in answered:
        respondents.setdefault(activity, set()).add(respondent)
    for respondent, activity, role, letter in letters:
        respondents.setdefault(activity, set()).add(respondent)
        if str(letter).upper() == "R":
            naming.setdefault((activity, role), set()).add(respondent)
    named: dict[str, dict[str, tuple[int, int]]] = {}
    for (activity, role), who in sorted(naming.items()):
        total = len(respondents[activity])
        if 2 * len(who) > total:
            named.setdefault(activity, {})[role] = (len(who), total)
    return named


def _add_named_responsible(
    rows: dict[str, _Row], roles: Sequence[str], named: Mapping[str, Mapping[str, tuple[int, int]]], holders: set[str]
) -> None:
    """Adjustment 4: a role most respondents name R today does the work in the proposal too
    (upgrade from nothing, C or I; never touches an A)."""
    for activity, row in rows.items():
        majority = named.get(activity, {})
        for role in roles:  # column order: the proposal does not depend on the order letters came in
            if role in majority and role in holders and row.get(role, ("",))[0] in ("", "C", "I"):
                count, respondents = majority[role]
                row[role] = ("R", Reason("named_responsible", {"role": role, "count": count, "respondents": respondents}))


def _responsible_fallback(roles: Sequence[str], accountable: str, cxo_exists: bool) -> str | None:
    candidates = ["ceo"] + (["cxo"] if cxo_exists else []) + list(roles)
    return next((r for r in candidates if r in roles and r != accountable), None)


def _consult(row: dict[str, tuple[str, Reason]], role: str, reason: Reason) -> None:
    current = row.get(role, ("",))[0]
    consulted = sum(1 for letter, _ in row.values() if letter == "C")
    if current in ("", "I") and consulted < MAX_CONSULTED_PER_ROW:
        row[role] = ("C", reason)


def cells_of(proposal: Iterable[ProposedCell]) -> dict[tuple[str, str], str]:
    """The ``{(activity, role): letter}`` mapping of a proposal, the input of ``validate``."""
    return {(cell.activity, cell.role): cell.letter for cell in proposal}


# --------------------------------------------------------------------------- checking the rules


def check_rules(rules: RaciRules) -> tuple[str, ...]:
    """Every problem of a rule set, as ``"path: problem"`` (empty when usable).

    A rule set passes when its proposal from the roles it names raises no warning (module
    docstring): the loader refuses a rules file that would have the tool contradict itself.
    """
    problems: list[str] = []
    for name, cxo_exists in (("with_cxo", True), ("without_cxo", False)):
        table = rules.table(cxo_exists)
        for activity, rule in table.items():
            path = f"{name}.{activity}"
            named = [rule.a, *rule.r, *rule.c]
            for role in sorted({r for r in named if named.count(r) > 1}):
                problems.append(f"{path}: role {role!r} is named more than once (A, R and C are exclusive)")
            if not rule.r:
                problems.append(f"{path}.r: no role does the work (at least one R)")
            if len(rule.c) > MAX_CONSULTED_PER_ROW:
                problems.append(f"{path}.c: {len(rule.c)} roles consulted, at most {MAX_CONSULTED_PER_ROW}")
            if activity == "cx_strategy" and rule.a in NOT_CX_STRATEGY_OWNERS:
                problems.append(f"{path}.a: the CX strategy cannot be accountable to {rule.a!r}")
            if not cxo_exists and "cxo" in named:
                problems.append(f"{path}: names 'cxo' in the table used when there is no CXO")
        held = Counter(rule.a for rule in table.values())
        for role, count in sorted(held.items()):
            if count > MAX_ACCOUNTABLE_PER_ROLE:
                problems.append(f"{name}: {role!r} is accountable for {count} activities, at most {MAX_ACCOUNTABLE_PER_ROLE}")
        if cxo_exists and table and not any(rule.a == "cxo" or "cxo" in rule.r for rule in table.values()):
            problems.append(f"{name}: the CXO holds no A and no R")
    problems += _stand_in_problems(rules)
    seen: set[tuple[str, str, str]] = set()
    for n, stage_rule in enumerate(rules.weak_dimensions):
        key = (stage_rule.dimension, stage_rule.activity, stage_rule.role)
        if key in seen:
            problems.append(f"weak_dimensions[{n}]: repeats {stage_rule.dimension} → {stage_rule.role} on {stage_rule.activity}")
        seen.add(key)
    return tuple(problems)


def _stand_in_problems(rules: RaciRules) -> list[str]:
    """The stand-ins are roles every RACI has, and a RACI without the roles they replace is still
    proposed without warning: each rule keeps an R, no role holds more than 4 A, the strategy
    stays off service and marketing. A problem the full table has already is named once, by
    ``check_rules``."""
    problems: list[str] = []
    optional = set(rules.stand_ins)
    for role, substitutes in rules.stand_ins.items():
        for substitute in substitutes:
            if substitute == role or substitute in optional:
                problems.append(f"stand_ins.{role}: {substitute!r} may be missing too (stand-ins are roles every RACI has)")
            if substitute == "cxo":
                problems.append(f"stand_ins.{role}: 'cxo' cannot stand in (it is absent when there is no CXO)")
    if not optional:
        return problems
    for name, cxo_exists in (("with_cxo", True), ("without_cxo", False)):
        table = rules.table(cxo_exists)
        held: Counter[str] = Counter()
        for activity, rule in table.items():
            accountable = rule.a if rule.a not in optional else next(iter(rules.stand_ins[rule.a]), "ceo")
            held[accountable] += 1
            stood_in = accountable != rule.a
            doers = [r for r in rule.r if r not in optional and not (stood_in and r == accountable)]
            if rule.r and not doers:
                problems.append(f"{name}.{activity}: without the roles of stand_ins, no role does the work (at least one R)")
            if stood_in and activity == "cx_strategy" and accountable in NOT_CX_STRATEGY_OWNERS:
                problems.append(
                    f"{name}.{activity}.a: without {rule.a!r}, the CX strategy would be accountable to {accountable!r}"
                )
        full = Counter(rule.a for rule in table.values())
        for role, count in sorted(held.items()):
            if count > MAX_ACCOUNTABLE_PER_ROLE >= full[role]:
                problems.append(
                    f"{name}: without the roles of stand_ins, {role!r} is accountable for {count} activities, "
                    f"at most {MAX_ACCOUNTABLE_PER_ROLE}"
                )
    return problems

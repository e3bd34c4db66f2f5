"""The RACI reasons as cells stored them before roadmaps 0003, and how a code is read back from them.

FROZEN: these are the texts stored before 0003; never edit them. Until 0003 a RACI cell kept its
reason as French and English text (``reason_fr``, ``reason_en``); since then it keeps a code and
its parameters, worded when shown (roadmaps/raci_messages.py). Three readers must read an old
text the same way, so they share this one copy: migration 0003 (the cells of the database),
privacy/portability.py (an organisation export made before the change) and roadmaps/undo.py (an
undo payload taken before it). A wording changed here would stop matching what was stored and
quietly lose reasons: new wording belongs in the gettext catalogue, never here
(tests/integration/test_privacy_legacy_raci.py pins this module's tables).

Pure Python on purpose (no models, no Django): a migration may import it without depending on
the app's current models.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# The columns a cell had before 0003, and the ones that replaced them.
LEGACY_FIELDS = ("reason_fr", "reason_en")
CURRENT_FIELDS = ("reason_code", "reason_params")

# Frozen copies of the texts the proposal stored until 0003 (French as stored, with its no-break
# spaces): a code is read back from the English; the way down writes both.
NBSP = "\u00a0"
MESSAGES: Mapping[str, tuple[str, str]] = {
    "no_rule": (
        "Pas de règle pour cette activité : le DG la porte jusqu'à décision du comité.",
        "No rule for this activity: the CEO holds it until the committee decides.",
    ),
    "consulted": (
        "Consulté : son domaine est directement concerné par cette activité.",
        "Consulted: their function is directly affected by this activity.",
    ),
    "informed": (
        "Informé : tout le comité de direction suit cette activité.",
        "Informed: the whole executive committee follows this activity.",
    ),
    "manual": ("Fixé à la main par le facilitateur.", "Set by hand by the facilitator."),
    "fallback": (
        "Le rôle prévu (%(intended)s) n'apparaît pas dans la matrice : %(taken_by)s prend le %(letter)s en attendant.",
        "The intended role (%(intended)s) is not in this RACI: %(taken_by)s takes the %(letter)s meanwhile.",
    ),
    "reports_to": (
        "Le CXO rend compte à %(role)s : consulté sur la stratégie et le pilotage CX.",
        "The CXO reports to %(role)s: consulted on CX strategy and steering.",
    ),
    "handover": (
        "Aujourd'hui, les répondants voient %(role)s comme redevable : consulté pendant la passation.",
        "Respondents see %(role)s as accountable today: consulted during the handover.",
    ),
}
RULES: Mapping[tuple[str, str], tuple[str, str]] = {
    ("with_cxo", "cx_strategy"): (
        "Le CXO porte la vision et la stratégie CX ; le DG la co-construit et la porte en comité de direction.",
        "The CXO owns the CX vision and strategy; the CEO co-builds it and carries it in the executive committee.",
    ),
    ("with_cxo", "cx_governance"): (
        "Le DG préside le comité de pilotage CX, ce qui lui donne autorité ; le CXO l'anime (ordre du jour, suivi des décisions).",
        "The CEO chairs the CX steering committee, which gives it authority; the CXO runs it (agenda, follow-up of decisions).",
    ),
    ("with_cxo", "journey_ownership"): (
        "Le CXO organise la cartographie des parcours et nomme leurs propriétaires ; le produit et les opérations redessinent les parcours.",
        "The CXO organises journey mapping and appoints journey owners; product and operations redesign the journeys.",
    ),
    ("with_cxo", "voc_programme"): (
        "Le CXO pilote le programme d'écoute client ; le service client recueille et fait remonter les retours au quotidien.",
        "The CXO runs the voice-of-customer programme; customer service gathers and passes on feedback day to day.",
    ),
    ("with_cxo", "cx_metrics"): (
        "Le CXO conçoit et mène la mesure NPS, CSAT et CES ; le DAF en garantit la rigueur, comme pour un indicateur financier.",
        "The CXO designs and runs NPS, CSAT and CES measurement; the CFO vouches for its rigour, as for a financial KPI.",
    ),
    ("with_cxo", "cx_dashboard"): (
        "Le CXO présente le tableau de bord CX au comité de direction ; la DSI l'alimente en données fiables.",
        "The CXO presents the CX dashboard to the executive committee; IT feeds it with reliable data.",
    ),
    ("with_cxo", "close_the_loop"): (
        "Le COO fait corriger les irritants dans les opérations ; le service client referme la boucle avec chaque client.",
        "The COO gets pain points fixed in operations; customer service closes the loop with each customer.",
    ),
    ("with_cxo", "cx_finance_link"): (
        "Le DAF valide le lien entre indicateurs CX et résultats financiers ; le CXO construit le modèle (NPS et rétention, CES et coût par contact).",
        "The CFO signs off the link between CX metrics and financial results; the CXO builds the model (NPS and retention, CES and cost per contact).",
    ),
    ("with_cxo", "shared_objectives"): (
        "Le DG fixe des objectifs CX partagés par tout le comité de direction ; la DRH les intègre aux objectifs individuels et à la rémunération variable.",
        "The CEO sets CX objectives shared by the whole executive committee; HR builds them into individual objectives and variable pay.",
    ),
    ("with_cxo", "ex_programme"): (
        "La DRH porte le programme d'expérience collaborateur ; les managers opérationnels le déploient.",
        "HR owns the employee-experience programme; operational managers roll it out.",
    ),
    ("with_cxo", "cx_culture"): (
        "La DRH est redevable de la formation et de la culture ; le CXO en fournit le contenu client et anime la démarche.",
        "HR is accountable for training and culture; the CXO supplies the customer content and leads the effort.",
    ),
    ("with_cxo", "cx_tools_data"): (
        "La DSI est redevable des outils CX et des données clients ; le CXO exprime les besoins et exploite les outils.",
        "IT is accountable for CX tools and customer data; the CXO sets the requirements and uses the tools.",
    ),
    ("with_cxo", "omnichannel"): (
        "Le COO orchestre les canaux ; le service client et les ventes assurent la continuité d'un canal à l'autre.",
        "The COO orchestrates the channels; customer service and sales keep the experience continuous across them.",
    ),
    ("with_cxo", "cx_budget"): (
        "Le DAF arbitre le budget et les investissements CX ; le CXO prépare les dossiers d'investissement.",
        "The CFO decides the CX budget and investments; the CXO prepares the business cases.",
    ),
    ("without_cxo", "cx_strategy"): (
        "Pas encore de CXO : le DG porte la stratégie CX jusqu'à sa nomination ; le COO la prépare.",
        "No CXO yet: the CEO holds CX strategy until one is appointed; the COO prepares it.",
    ),
    ("without_cxo", "cx_governance"): (
        "Pas encore de CXO : le DG préside et porte le pilotage CX ; le COO l'anime.",
        "No CXO yet: the CEO chairs and owns CX steering; the COO runs it.",
    ),
    ("without_cxo", "journey_ownership"): (
        "Pas encore de CXO : le COO est redevable des parcours, qu'il opère ; le produit les redessine.",
        "No CXO yet: the COO is accountable for the journeys it operates; product redesigns them.",
    ),
    ("without_cxo", "voc_programme"): (
        "Pas encore de CXO : le COO pilote l'écoute client ; le service client recueille les retours.",
        "No CXO yet: the COO runs the voice-of-customer programme; customer service gathers the feedback.",
    ),
    ("without_cxo", "cx_metrics"): (
        "Pas encore de CXO : le DAF garantit la rigueur de la mesure NPS, CSAT et CES ; le service client administre les enquêtes.",
        "No CXO yet: the CFO vouches for rigorous NPS, CSAT and CES measurement; customer service runs the surveys.",
    ),
    ("without_cxo", "cx_dashboard"): (
        "Pas encore de CXO : le DG inscrit le tableau de bord CX à chaque comité de direction ; le contrôle de gestion le produit.",
        "No CXO yet: the CEO puts the CX dashboard on every executive committee agenda; finance produces it.",
    ),
    ("without_cxo", "close_the_loop"): (
        "Le COO fait corriger les irritants dans les opérations ; le service client referme la boucle avec chaque client.",
        "The COO gets pain points fixed in operations; customer service closes the loop with each customer.",
    ),
    ("without_cxo", "cx_finance_link"): (
        "Le DAF est redevable du lien entre CX et résultats financiers ; la DSI rapproche données clients et financières.",
        "The CFO is accountable for linking CX to financial results; IT joins customer and financial data.",
    ),
    ("without_cxo", "shared_objectives"): (
        "Le DG fixe des objectifs CX partagés par tout le comité de direction ; la DRH les intègre aux objectifs individuels et à la rémunération variable.",
        "The CEO sets CX objectives shared by the whole executive committee; HR builds them into individual objectives and variable pay.",
    ),
    ("without_cxo", "ex_programme"): (
        "La DRH porte le programme d'expérience collaborateur ; les managers opérationnels le déploient.",
        "HR owns the employee-experience programme; operational managers roll it out.",
    ),
    ("without_cxo", "cx_culture"): (
        "Pas encore de CXO : la DRH porte la formation et la culture client ; les managers opérationnels la font vivre.",
        "No CXO yet: HR owns CX training and culture; operational managers bring it to life.",
    ),
    ("without_cxo", "cx_tools_data"): (
        "La DSI est redevable des outils CX et des données clients ; le service client, premier utilisateur, exprime les besoins.",
        "IT is accountable for CX tools and customer data; customer service, their main user, sets the requirements.",
    ),
    ("without_cxo", "omnichannel"): (
        "Le COO orchestre les canaux ; le service client et les ventes assurent la continuité d'un canal à l'autre.",
        "The COO orchestrates the channels; customer service and sales keep the experience continuous across them.",
    ),
    ("without_cxo", "cx_budget"): (
        "Le DAF arbitre le budget CX ; le COO prépare les demandes d'investissement.",
        "The CFO decides the CX budget; the COO prepares the investment requests.",
    ),
}
WEAK_DIMENSIONS: Mapping[tuple[str, str, str], tuple[str, str]] = {
    ("D8", "close_the_loop", "product"): (
        "Passage à l'action encore faible (stade %(stage)s) : corriger les irritants demande des changements produit, pas seulement des gestes au cas par cas.",
        "Acting on insight is still weak (stage %(stage)s): fixing pain points needs product changes, not only case-by-case recovery.",
    ),
    ("D6", "journey_ownership", "service"): (
        "Gestion des parcours encore faible (stade %(stage)s) : le service client, qui voit les irritants, participe à la cartographie.",
        "Journey management is still weak (stage %(stage)s): customer service, which sees the pain points, takes part in the mapping.",
    ),
}


def _pattern(template: str) -> re.Pattern[str]:
    """The template as a regular expression, each %(name)s a named group."""
    parts = re.split(r"%\((\w+)\)s", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(regex)


def _typography(text: str) -> str:
    return text.replace(" :", NBSP + ":").replace(" ;", NBSP + ";")


def code_of(text: str, activity: str, cxo_exists: bool | None) -> tuple[str, dict[str, Any]]:
    """The reason code and parameters of a stored English reason; ``("", {})`` for a text matching nothing known.

    ``activity`` is the cell's; ``cxo_exists`` the round's, which says which table proposed a
    text that both tables share.
    """
    for code, (_fr, en) in MESSAGES.items():
        match = _pattern(en).fullmatch(text)
        if match:
            return code, match.groupdict()
    for (dimension, weak_activity, role), (_fr, en) in WEAK_DIMENSIONS.items():
        match = _pattern(en).fullmatch(text)
        if match and weak_activity == activity:
            stage = match["stage"]
            params: dict[str, Any] = {"dimension": dimension, "activity": activity, "role": role}
            params["stage"] = int(stage) if stage.isdigit() else stage
            return "weak_dimension", params
    tables = [table for (table, rule_activity), (_fr, en) in RULES.items() if rule_activity == activity and en == text]
    if tables:
        # The same text in both tables: the round's current context says which table proposed it.
        preferred = "with_cxo" if cxo_exists else "without_cxo"
        table = preferred if preferred in tables else tables[0]
        return "rule", {"table": table, "activity": activity}
    return "", {}


def texts_of(code: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The French and English text a cell stored before 0003 for this code (the way down)."""
    if code == "rule":
        fr, en = RULES.get((str(params.get("table")), str(params.get("activity"))), ("", ""))
        return _typography(fr), en
    if code == "weak_dimension":
        key = (str(params.get("dimension")), str(params.get("activity")), str(params.get("role")))
        fr, en = WEAK_DIMENSIONS.get(key, ("", ""))
        return _typography(fr % params), en % params
    fr, en = MESSAGES.get(code, ("", ""))
    return _typography(fr % params), en % params


def upgraded(row: Mapping[str, Any], *, cxo_exists: bool | None) -> dict[str, Any]:
    """A cell's fields in the old shape (``reason_fr``/``reason_en``) in today's (``reason_code``/``reason_params``).

    As 0003 does: the code is read from the English text alone, and a text that matches nothing
    known leaves the cell without a reason. The caller checks the old values are strings first.
    """
    activity = row.get("activity")
    code, params = code_of(row.get("reason_en") or "", activity if isinstance(activity, str) else "", cxo_exists)
    fields = {name: value for name, value in row.items() if name not in LEGACY_FIELDS}
    fields.update(reason_code=code, reason_params=params)
    return fields

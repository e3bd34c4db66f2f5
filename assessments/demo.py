"""The demo round of `seed_demo`: a closed round of Demo Retail with eight executives who disagree."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cxgov.tokens import new_nonce

from .frameworks.loader import SCHEMA_V2
from .models import (
    Answer,
    Confidence,
    Consensus,
    ContextAnswer,
    DimensionImportance,
    Participant,
    RaciAnswer,
    RaciLetter,
    Round,
    RoundStatus,
)
from .raci_catalogue import catalogue_for
from .selectors import default_framework
from .services import RACI_NOT_A_ROLE, results_store

DEMO_ROUND_TITLE = "Diagnostic CX 2026"

# respondent e-mail → function for the round
FUNCTIONS = {
    "respondent1@demo.test": "cxo",
    "respondent2@demo.test": "cfo",
    "respondent3@demo.test": "cmo",
    "respondent4@demo.test": "coo",
    "respondent5@demo.test": "chro",
    "respondent6@demo.test": "cio",
    "respondent7@demo.test": "sales",
    "respondent8@demo.test": "service",
}

# Where Demo Retail stands, per dimension: a retailer with good listening and weak governance.
BASE = {"D1": 3, "D2": 2, "D3": 2, "D4": 2, "D5": 3, "D6": 2, "D7": 2, "D8": 2, "D9": 3, "D10": 1, "D11": 2}

# How each function sees it: marketing and sales are more optimistic, the CXO and the CFO harsher.
BIAS = {"cxo": -0.6, "cfo": -0.5, "cmo": 0.8, "coo": 0.0, "chro": 0.3, "cio": -0.2, "sales": 0.9, "service": 0.4}

# Real disagreements the workshop will discuss: (question, {function: level}).
CONTESTED = {
    "D3.2": {"cxo": 1, "cfo": 2, "cmo": 4, "coo": 2, "chro": 3, "cio": 2, "sales": 5, "service": 4},
    "D2.2": {"cxo": 1, "cfo": 2, "cmo": 4, "coo": 3, "chro": 2, "cio": 1, "sales": 5, "service": 3},
    "D7.2": {"cxo": 1, "cfo": 1, "cmo": 4, "coo": 2, "chro": 3, "cio": 2, "sales": 4, "service": 3},
    "D10.1": {"cxo": 1, "cfo": 1, "cmo": 3, "coo": 1, "chro": 2, "cio": 1, "sales": 4, "service": 2},
}

# Functions that honestly do not know some dimensions.
DONT_KNOW = {("chro", "D7"), ("cio", "D9"), ("sales", "D10"), ("chro", "D10")}

COMMENTS = {
    (
        "cxo",
        "D3.2",
    ): "On nous demande à la fois de piloter l'expérience et de traiter les réclamations : personne ne sait où s'arrête notre rôle.",
    ("sales", "D3.2"): "Pour moi c'est clair : l'expérience client, c'est la relation en magasin.",
    ("cfo", "D10.1"): "Aucun lien chiffré entre le NPS et la rétention. Je ne peux pas arbitrer un budget sur cette base.",
    ("cmo", "D7.2"): "Le NPS est suivi chaque mois dans le tableau de bord du marketing.",
    (
        "cxo",
        "D7.2",
    ): "Le NPS mensuel repose sur 80 réponses : la marge d'erreur dépasse 10 points, les variations ne veulent rien dire.",
    ("service", "D8.1"): "Les clients mécontents sont rappelés sous 48 h, mais les causes ne remontent jamais.",
    ("coo", "D6.2"): "Chaque canal a son responsable, aucun parcours n'a de propriétaire de bout en bout.",
}

# Framework 2.0: how sure each executive is. Outside their own field they say "low" (the results show
# it beside the spread); on their own ground, "high"; elsewhere they leave it unsaid.
LOW_CONFIDENCE = {("cfo", "D5"), ("cfo", "D6"), ("chro", "D7"), ("cio", "D9"), ("sales", "D10"), ("cmo", "D11"), ("chro", "D11")}
HIGH_CONFIDENCE = {
    ("cxo", "D3"), ("cxo", "D7"), ("cfo", "D10"), ("cmo", "D5"), ("coo", "D6"), ("coo", "D8"), ("chro", "D9"),
    ("cio", "D11"), ("sales", "D1"), ("service", "D8"),
}  # fmt: skip

# Framework 2.0: the importance (1–3) each executive gives the dimensions; unsaid ones stay out. The
# committee holds governance, measurement and the link to results highest, which the roadmap follows.
IMPORTANCE = {"D1": 2, "D2": 3, "D3": 3, "D4": 2, "D5": 2, "D6": 2, "D7": 3, "D8": 3, "D9": 1, "D10": 3, "D11": 2}
IMPORTANCE_BY_FUNCTION = {
    ("cfo", "D10"): 3,
    ("cfo", "D9"): 1,
    ("chro", "D9"): 3,
    ("cio", "D11"): 3,
    ("cmo", "D5"): 3,
    ("sales", "D7"): 1,
}

# Framework 2.0's context, as the committee described Demo Retail: a non-listed French retailer with
# franchised stores and an outsourced call centre; each executive also says which role they hold.
CONTEXT = {
    "sector": "retail",
    "b2b_b2c": "b2c",
    "listed": "no",
    "perimeter": "group",
    "regulated": "no",
    "networks_outsourcing": "several",
}
RESPONDENT_ROLE = {
    "cxo": "cxo",
    "cfo": "cfo",
    "cmo": "cmo",
    "coo": "coo",
    "chro": "hr",
    "cio": "cio",
    "sales": "sales",
    "service": "service",
}

# As-is "who is accountable today" votes: mostly marketing or service, which is the governance problem.
RACI_VOTES = {
    "cx_strategy": ["cmo", "cxo", "cmo", "ceo", "cmo", "dont_know", "cmo", "cxo"],
    "cx_metrics": ["cxo", "cmo", "cmo", "cxo", "dont_know", "cmo", "cmo", "service"],
    "close_the_loop": ["service", "nobody", "service", "service", "dont_know", "service", "service", "service"],
    "cx_finance_link": ["nobody", "nobody", "cmo", "nobody", "dont_know", "nobody", "dont_know", "nobody"],
    "cx_budget": ["cmo", "cfo", "cmo", "cfo", "cfo", "cio", "cmo", "cmo"],
}

# The activities of question bank 1.0's catalogue without a vote above take their A from the demo's
# generator, one draw each, in this order, between one participant's levels and the next's. The draws
# stay exactly these whatever the round's catalogue holds, so that the levels (and the scores) do not
# move when activities are added or hidden.
DRAWN_A = (
    "cx_governance",
    "journey_ownership",
    "voc_programme",
    "cx_dashboard",
    "shared_objectives",
    "ex_programme",
    "cx_culture",
    "cx_tools_data",
    "omnichannel",
)
DRAWN_A_CHOICES = ["cxo", "coo", "cmo", "dont_know", "service", "ceo"]

# RACI 2.0's other activities, one A per executive (in FUNCTIONS' order): partners and incidents
# have no owner in most minds, data and consent several. An activity in none of these tables gets
# OTHER_A; a role the round does not ask about becomes "don't know".
MORE_VOTES = {
    "cx_promise": ["cxo", "cmo", "cmo", "cxo", "cmo", "dont_know", "cmo", "cxo"],
    "segmentation_service_levels": ["cmo", "cmo", "cmo", "sales", "dont_know", "cmo", "sales", "cmo"],
    "service_design": ["cxo", "nobody", "product", "coo", "dont_know", "product", "nobody", "cxo"],
    "customer_research": ["cmo", "cmo", "cmo", "cmo", "cmo", "dont_know", "cmo", "cxo"],
    "complaints_mediation": ["service", "service", "service", "service", "service", "service", "legal", "service"],
    "improvement_portfolio": ["nobody", "coo", "cxo", "coo", "dont_know", "cio", "nobody", "coo"],
    "frontline_authority": ["coo", "coo", "sales", "coo", "chro", "dont_know", "sales", "service"],
    "change_management": ["chro", "transformation", "chro", "chro", "chro", "dont_know", "chro", "chro"],
    "customer_data_consent": ["cdo", "legal", "cmo", "cio", "legal", "cdo", "dont_know", "cio"],
    "personalisation": ["cmo", "cmo", "cmo", "cmo", "dont_know", "cio", "cmo", "cmo"],
    "digital_self_service_ai": ["cio", "cdo", "cmo", "cio", "dont_know", "cdo", "cio", "service"],
    "partners_networks": ["nobody", "procurement", "sales", "coo", "dont_know", "nobody", "sales", "nobody"],
    "incident_communication": ["communication", "ceo", "nobody", "coo", "communication", "cio", "nobody", "nobody"],
}
OTHER_A = ["cxo", "coo", "cmo", "cxo", "dont_know", "coo", "cmo", "cxo"]

# RACI 2.0: who does the work (R), is consulted (C) and informed (I), as the committee broadly sees
# it; each executive departs from it a little (_letters), and never consults or informs the role
# they named A. Roles the round does not ask about are left out.
LETTERS = {
    "cx_strategy": ("cxo cmo", "cfo coo sales service", "chro cio product"),
    "cx_promise": ("cmo cxo", "sales service legal", "chro coo"),
    "segmentation_service_levels": ("cmo sales", "cfo service", "cxo"),
    "cx_governance": ("cxo", "coo cmo", "ceo cfo chro cio"),
    "journey_ownership": ("journey_owners coo", "cxo service", "cmo"),
    "service_design": ("product cxo", "service cio", "coo"),
    "customer_research": ("cmo", "cxo product", "sales"),
    "voc_programme": ("cxo", "cmo service cio", "coo sales"),
    "cx_metrics": ("cxo cmo", "cfo", "ceo coo"),
    "cx_dashboard": ("cxo", "cfo cio", "ceo"),
    "close_the_loop": ("service", "cxo quality", "coo sales"),
    "complaints_mediation": ("service", "legal quality", "cxo coo"),
    "improvement_portfolio": ("coo", "cxo cfo cio", "ceo"),
    "frontline_authority": ("coo sales service", "chro legal", "cxo"),
    "cx_finance_link": ("cfo cxo", "cmo", "ceo"),
    "shared_objectives": ("chro", "cfo cxo", "ceo"),
    "ex_programme": ("chro", "cxo service", "coo"),
    "cx_culture": ("chro cxo", "communication", "sales service"),
    "change_management": ("chro transformation", "communication cxo", "coo"),
    "cx_tools_data": ("cio", "cxo cmo", "service"),
    "customer_data_consent": ("cdo cio", "legal cmo", "cxo"),
    "personalisation": ("cmo", "cio cdo legal", "sales"),
    "omnichannel": ("coo cio", "cmo sales service", "cxo"),
    "digital_self_service_ai": ("cio cdo", "service legal cxo", "coo"),
    "partners_networks": ("coo procurement", "legal sales", "cxo"),
    "incident_communication": ("communication service", "legal coo", "ceo cxo"),
    "cx_budget": ("cfo", "cxo cmo coo", "ceo"),
}
OTHER_LETTERS = ("cxo", "coo", "ceo")


def _level(rng: random.Random, function: str, question_key: str, dimension_key: str) -> int | None:
    if question_key in CONTESTED:
        return CONTESTED[question_key][function]
    if (function, dimension_key) in DONT_KNOW and rng.random() < 0.7:
        return None
    value = BASE[dimension_key] + BIAS[function] + rng.choice((-0.6, -0.2, 0, 0.2, 0.6))
    return max(1, min(5, round(value)))


@transaction.atomic
def seed_demo_round(organisation, users) -> Round | None:
    framework = default_framework()
    if framework is None or framework.key != "cx-governance":  # the demo's levels are written for its dimensions
        return None
    round_, created = Round.objects.get_or_create(
        organisation=organisation,
        title=DEMO_ROUND_TITLE,
        defaults={
            "framework": framework,
            "anonymous": False,
            "status": RoundStatus.CLOSED,
            "due_date": (timezone.now() - timedelta(days=3)).date(),
            "opened_at": timezone.now() - timedelta(days=21),
            "closed_at": timezone.now() - timedelta(days=2),
            "cxo_exists": True,
            "cxo_reports_to": "coo",
            "created_by": users.get("consultant@demo.test"),
        },
    )
    if not created:
        return round_
    rng = random.Random(2026)  # noqa: S311 — demo data, reproducible on purpose
    questions = list(framework.questions.select_related("dimension").order_by("position"))
    dimensions = list(framework.dimensions.order_by("position"))
    activities = {a.key: a for a in framework.raci_activities.all()}
    # 2.0: the catalogue the round asks about (the organisation's choice, else the framework's); 1.0: every activity.
    raci_v2 = framework.schema == SCHEMA_V2
    catalogue = catalogue_for(round_) if raci_v2 else None
    asked = [a.key for a in catalogue.activities if a.key in activities] if catalogue else list(activities)
    roles = {r.key for r in catalogue.roles} if catalogue else {r.key for r in framework.raci_roles.all()}
    context = {q.key: q for q in framework.context_questions.all()}
    answers, raci, letters, ctx, importances = [], [], [], [], []
    for index, (email, function) in enumerate(FUNCTIONS.items()):
        submitted = timezone.now() - timedelta(days=5, hours=index)
        participant = Participant.objects.create(
            round=round_,
            user=users[email],
            function=function,
            nonce=new_nonce(),
            invited_at=timezone.now() - timedelta(days=21),
            last_activity_at=submitted,
            # One executive never pressed "submit": their saved answers still count (partial).
            submitted_at=None if email == "respondent7@demo.test" else submitted,
        )
        # The partial participant stopped after D8.
        stop = 8 if email == "respondent7@demo.test" else None
        answers += _answers(rng, participant, questions, stop=stop, details=framework.short_form is not None)
        drawn = {key: rng.choice(DRAWN_A_CHOICES) for key in DRAWN_A}  # always these draws: see DRAWN_A
        for key in asked:
            choice = _accountable(key, index, drawn, roles)
            raci.append(RaciAnswer(participant=participant, activity=activities[key], choice=choice))
            if raci_v2:
                letters += _letters(participant, activities[key], choice, roles)
        ctx += _context_answers(participant, index, context)
        if framework.short_form is not None:  # framework 2.0: the importance of each dimension
            importances += [
                DimensionImportance(
                    participant=participant,
                    dimension=d,
                    importance=IMPORTANCE_BY_FUNCTION.get((function, d.key), IMPORTANCE.get(d.key)),
                )
                for d in dimensions
                if stop is None or d.position < stop
            ]
    Answer.objects.bulk_create(answers)
    RaciAnswer.objects.bulk_create(raci)
    RaciLetter.objects.bulk_create(letters)
    ContextAnswer.objects.bulk_create(ctx)
    DimensionImportance.objects.bulk_create(importances)
    _seed_workshop(round_, users.get("consultant@demo.test"))
    return round_


def _accountable(key: str, index: int, drawn: dict[str, str], roles: set[str]) -> str:
    """The A the executive at ``index`` names for an activity: their vote, the draw, or the tables of 2.0."""
    if key in RACI_VOTES:
        choice = RACI_VOTES[key][index]
    elif key in drawn:
        choice = drawn[key]
    else:
        choice = MORE_VOTES.get(key, OTHER_A)[index]
    return choice if choice in roles or choice in RACI_NOT_A_ROLE else "dont_know"


def _letters(participant: Participant, activity, choice: str, roles: set[str]) -> list[RaciLetter]:
    """One executive's R, C and I for one activity: the committee's broad view (LETTERS), a little of their own.

    Their own generator, seeded by their function and the activity, draws after every level is
    drawn and apart from it: the demo's scores never depend on it.
    """
    rng = random.Random(f"raci-{participant.function}-{activity.key}")  # noqa: S311 — demo data, reproducible on purpose
    doers, consulted, informed = (group.split() for group in LETTERS.get(activity.key, OTHER_LETTERS))
    view = dict.fromkeys(doers, "R") | dict.fromkeys(consulted, "C") | dict.fromkeys(informed, "I")
    own_role = participant.function
    unsure = choice == "dont_know"
    given = {}
    for role, letter in view.items():
        draw = rng.random()
        if draw < (0.45 if unsure else 0.15):
            continue  # not seen from where they sit
        if letter in "CI" and draw > 0.9:
            letter = "I" if letter == "C" else "C"
        given[role] = letter
    if own_role not in given and rng.random() < 0.3:
        given[own_role] = "C"  # they expect a say in it
    if choice in given and given[choice] != "R":
        given[choice] = "R"  # the A may do the work, never be consulted or informed on it
    return [
        RaciLetter(participant=participant, activity=activity, role=role, letter=letter)
        for role, letter in given.items()
        if role in roles
    ]


def _answers(rng: random.Random, participant: Participant, questions, *, stop: int | None, details: bool) -> list[Answer]:
    """One participant's answers, up to dimension `stop` (excluded); with `details` (2.0), their confidence."""
    function = participant.function
    rows = []
    for question in questions:
        dimension_key = question.dimension.key
        if stop is not None and question.dimension.position >= stop:
            continue
        level = _level(rng, function, question.key, dimension_key)
        confidence = None
        if details and level is not None:
            if (function, dimension_key) in LOW_CONFIDENCE:
                confidence = Confidence.LOW
            elif (function, dimension_key) in HIGH_CONFIDENCE:
                confidence = Confidence.HIGH
        rows.append(
            Answer(
                participant=participant,
                question=question,
                level=level,
                comment=COMMENTS.get((function, question.key), ""),
                confidence=confidence,
            )
        )
    return rows


def _context_answers(participant: Participant, index: int, context: dict) -> list[ContextAnswer]:
    """What one executive said of the organisation (and, in 2.0, of their own role)."""
    function = participant.function
    choices = {"cxo_exists": "dont_know" if function == "cio" else "yes", "cxo_reports_to": "coo" if index % 3 else "cmo"}
    choices |= CONTEXT
    choices["respondent_role"] = RESPONDENT_ROLE[function]
    return [
        ContextAnswer(participant=participant, question=context[key], choice=choice)
        for key, choice in choices.items()
        if key in context
    ]


# What the committee agreed in the workshop (the targets it set are roadmaps' part: roadmaps/demo.py).
CONSENSUS = {
    "D3.2": (2, "Le périmètre du CX n'est pas écrit : le service client et le marketing s'en réclament tous deux."),
    "D10.1": (1, "Aucun lien chiffré entre indicateurs CX et résultats financiers, de l'avis même de la DAF."),
    "D7.2": (2, "Le NPS est suivi, mais sans taille d'échantillon ni marge d'erreur."),
}


def _seed_workshop(round_: Round, facilitator) -> None:
    questions = {q.key: q for q in round_.framework.questions.all()}
    for key, (level, rationale) in CONSENSUS.items():
        Consensus.objects.create(round=round_, question=questions[key], level=level, rationale=rationale, recorded_by=facilitator)
    results_store(round_=round_)

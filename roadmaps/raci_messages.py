"""The words of the RACI: what the domain reports as codes, said in the active language.

The domain (``roadmaps/domain/raci.py``) returns violations and the reasons of proposed cells as
codes with parameters, and a cell stores its reason that way too (``RaciCell.reason_code`` and
``reason_params``); this module is the one place they become text, through gettext (``locale/``)
like every other message of the interface (docs/adr/0003). A rule's reason is keyed by its table
and activity in ``roadmaps/rules/raci.toml``.

Labels: activity and role titles are bilingual content (the framework's activities, the
organisation's roles), passed as ``{key: {"fr": …, "en": …}}``; a key without a title names
itself. Exports need both languages whatever the interface's: ``*_texts`` render each one under
``translation.override``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cxgov.language import SUPPORTED, active_language

from .domain.raci import MANUAL
from .domain.types import Reason, Violation

Labels = Mapping[str, Mapping[str, str]]

# The counts are always above one (two A or more, more than four C, more than four A): no plural forms.
VIOLATION_MESSAGES: Mapping[str, Promise] = {
    "no_accountable": _("No role is accountable (A) for the activity “%(activity)s”: it needs exactly one."),
    # Translators: %(roles)s lists the roles holding an A, separated by commas.
    "multiple_accountable": _(
        "The activity “%(activity)s” has %(count)s accountable roles (A) (%(roles)s): only one should answer for it."
    ),
    "no_responsible": _("Nobody is responsible (R) for the activity “%(activity)s”: name at least one role that does the work."),
    "too_many_consulted": _(
        "The activity “%(activity)s” consults %(count)s roles (more than %(limit)s): decisions risk getting bogged down."
    ),
    "strategy_owner_not_cx": _(
        "The CX strategy is owned by “%(role)s”: CX is neither customer support nor marketing. "
        "Give it to the CXO or, failing that, to the CEO."
    ),
    "role_overloaded": _(
        "The role “%(role)s” is accountable (A) for %(count)s activities (more than %(limit)s): spread the accountability."
    ),
    "cxo_idle": _(
        "A CXO is in place but is neither accountable (A) nor responsible (R) for any activity: the role is still undefined."
    ),
}

# The reasons of "rule" and "weak_dimension" cells are RULE_REASONS and WEAK_DIMENSION_REASONS;
# role parameters are role keys.
REASON_MESSAGES: Mapping[str, Promise] = {
    "no_rule": _("No rule for this activity: the CEO holds it until the committee decides."),
    # Translators: %(intended)s and %(taken_by)s are role keys (ceo, cxo…); %(letter)s is R, A, C or I.
    "fallback": _("The intended role (%(intended)s) is not in this RACI: %(taken_by)s takes the %(letter)s meanwhile."),
    "consulted": _("Consulted: their function is directly affected by this activity."),
    "informed": _("Informed: the whole executive committee follows this activity."),
    # Translators: %(role)s is a role key (coo, chro…).
    "reports_to": _("The CXO reports to %(role)s: consulted on CX strategy and steering."),
    # Translators: %(role)s is a role key (coo, chro…).
    "handover": _("Respondents see %(role)s as accountable today: consulted during the handover."),
    # Translators: %(role)s is a role key (coo, chro…); R is the RACI letter of the role doing the work.
    "named_responsible": _("Most respondents who answered name %(role)s as responsible (R) today: it keeps doing the work."),
    MANUAL.code: _("Set by hand by the facilitator."),
}


# Why a rule gives its letters, keyed by (table, activity) of roadmaps/rules/raci.toml.
RULE_REASONS: Mapping[tuple[str, str], Promise] = {
    ("with_cxo", "cx_strategy"): _(
        "The CXO owns the CX vision and strategy; the CEO co-builds it and carries it in the executive committee."
    ),
    ("with_cxo", "cx_governance"): _(
        "The CEO chairs the CX steering committee, which gives it authority; the CXO runs it (agenda, follow-up of decisions)."
    ),
    ("with_cxo", "journey_ownership"): _(
        "The CXO organises journey mapping and appoints journey owners; product and operations redesign the journeys."
    ),
    ("with_cxo", "voc_programme"): _(
        "The CXO runs the voice-of-customer programme; customer service gathers and passes on feedback day to day."
    ),
    ("with_cxo", "cx_metrics"): _(
        "The CXO designs and runs NPS, CSAT and CES measurement; the CFO vouches for its rigour, as for a financial KPI."
    ),
    ("with_cxo", "cx_dashboard"): _(
        "The CXO presents the CX dashboard to the executive committee; IT feeds it with reliable data."
    ),
    ("with_cxo", "close_the_loop"): _(
        "The COO gets pain points fixed in operations; customer service closes the loop with each customer."
    ),
    ("with_cxo", "cx_finance_link"): _(
        "The CFO signs off the link between CX metrics and financial results; the CXO builds the model "
        "(NPS and retention, CES and cost per contact)."
    ),
    ("with_cxo", "shared_objectives"): _(
        "The CEO sets CX objectives shared by the whole executive committee; HR builds them into "
        "individual objectives and variable pay."
    ),
    ("with_cxo", "ex_programme"): _("HR owns the employee-experience programme; operational managers roll it out."),
    ("with_cxo", "cx_culture"): _(
        "HR is accountable for training and culture; the CXO supplies the customer content and leads the effort."
    ),
    ("with_cxo", "cx_tools_data"): _(
        "IT is accountable for CX tools and customer data; the CXO sets the requirements and uses the tools."
    ),
    ("with_cxo", "omnichannel"): _(
        "The COO orchestrates the channels; customer service and sales keep the experience continuous across them."
    ),
    ("with_cxo", "cx_budget"): _("The CFO decides the CX budget and investments; the CXO prepares the business cases."),
    # The activities cx-governance 2.0 adds (issue #17).
    ("with_cxo", "cx_promise"): _(
        "The CEO commits the company to its customer promise and service commitments; the CXO drafts them with "
        "marketing, which carries the brand."
    ),
    ("with_cxo", "segmentation_service_levels"): _(
        "Marketing owns the customer segments; the CXO and sales set the service level each segment is entitled to."
    ),
    ("with_cxo", "service_design"): _(
        "Product is accountable for designing and testing new services; journey owners and the CXO bring customer "
        "needs and run the experiments."
    ),
    ("with_cxo", "customer_research"): _(
        "Marketing commissions customer research; the CXO makes sure it feeds the journeys and the experience."
    ),
    ("with_cxo", "complaints_mediation"): _(
        "Quality owns complaint handling and the link with the consumer mediator; customer service handles each "
        "complaint and operations remove the causes."
    ),
    ("with_cxo", "improvement_portfolio"): _(
        "The strategy or transformation office keeps the improvement portfolio and its priorities; the CXO and "
        "journey owners propose and rank the improvements."
    ),
    ("with_cxo", "frontline_authority"): _(
        "Business-unit, country and network heads set what front-line teams may decide for a customer; customer "
        "service and sales write the delegations."
    ),
    ("with_cxo", "change_management"): _(
        "HR is accountable for change management; communication and the CXO carry the message to every team."
    ),
    ("with_cxo", "customer_data_consent"): _(
        "The chief data officer is accountable for customer data and consent; IT runs the systems, marketing "
        "collects consent and the data protection officer is consulted."
    ),
    ("with_cxo", "personalisation"): _(
        "Marketing is accountable for personalising offers and messages; the data team and the CXO make it useful "
        "to the customer, within consent."
    ),
    ("with_cxo", "digital_self_service_ai"): _(
        "The chief digital officer is accountable for digital channels, self-service and AI; IT builds them and "
        "customer service keeps a handover to an adviser."
    ),
    ("with_cxo", "partners_networks"): _(
        "The COO is accountable for the experience partners, outsourcers and networks deliver; procurement writes "
        "the service clauses and customer service steers them day to day."
    ),
    ("with_cxo", "incident_communication"): _(
        "The head of communication speaks to customers in an incident or crisis; customer service and the CXO make "
        "every channel say the same thing."
    ),
    ("without_cxo", "cx_strategy"): _("No CXO yet: the CEO holds CX strategy until one is appointed; the COO prepares it."),
    ("without_cxo", "cx_governance"): _("No CXO yet: the CEO chairs and owns CX steering; the COO runs it."),
    ("without_cxo", "journey_ownership"): _(
        "No CXO yet: the COO is accountable for the journeys it operates; product redesigns them."
    ),
    ("without_cxo", "voc_programme"): _(
        "No CXO yet: the COO runs the voice-of-customer programme; customer service gathers the feedback."
    ),
    ("without_cxo", "cx_metrics"): _(
        "No CXO yet: the CFO vouches for rigorous NPS, CSAT and CES measurement; customer service runs the surveys."
    ),
    ("without_cxo", "cx_dashboard"): _(
        "No CXO yet: the CEO puts the CX dashboard on every executive committee agenda; finance produces it."
    ),
    ("without_cxo", "close_the_loop"): _(
        "The COO gets pain points fixed in operations; customer service closes the loop with each customer."
    ),
    ("without_cxo", "cx_finance_link"): _(
        "The CFO is accountable for linking CX to financial results; IT joins customer and financial data."
    ),
    ("without_cxo", "shared_objectives"): _(
        "The CEO sets CX objectives shared by the whole executive committee; HR builds them into "
        "individual objectives and variable pay."
    ),
    ("without_cxo", "ex_programme"): _("HR owns the employee-experience programme; operational managers roll it out."),
    ("without_cxo", "cx_culture"): _("No CXO yet: HR owns CX training and culture; operational managers bring it to life."),
    ("without_cxo", "cx_tools_data"): _(
        "IT is accountable for CX tools and customer data; customer service, their main user, sets the requirements."
    ),
    ("without_cxo", "omnichannel"): _(
        "The COO orchestrates the channels; customer service and sales keep the experience continuous across them."
    ),
    ("without_cxo", "cx_budget"): _("The CFO decides the CX budget; the COO prepares the investment requests."),
    ("without_cxo", "cx_promise"): _(
        "No CXO yet: marketing, which carries the brand, is accountable for the customer promise; operations and "
        "customer service make sure it can be kept."
    ),
    ("without_cxo", "segmentation_service_levels"): _(
        "No CXO yet: marketing owns the customer segments; sales and customer service set the service level each "
        "segment is entitled to."
    ),
    ("without_cxo", "service_design"): _(
        "Product is accountable for designing and testing new services; journey owners and operations run the experiments."
    ),
    ("without_cxo", "customer_research"): _(
        "No CXO yet: marketing commissions customer research; product turns what it teaches into requirements."
    ),
    ("without_cxo", "complaints_mediation"): _(
        "Quality owns complaint handling and the link with the consumer mediator; customer service handles each "
        "complaint and operations remove the causes."
    ),
    ("without_cxo", "improvement_portfolio"): _(
        "No CXO yet: the strategy or transformation office keeps the improvement portfolio; operations and journey "
        "owners propose and deliver the improvements."
    ),
    ("without_cxo", "frontline_authority"): _(
        "Business-unit, country and network heads set what front-line teams may decide for a customer; customer "
        "service and sales write the delegations."
    ),
    ("without_cxo", "change_management"): _(
        "HR is accountable for change management; communication and operations carry the message to every team."
    ),
    ("without_cxo", "customer_data_consent"): _(
        "The chief data officer is accountable for customer data and consent; IT runs the systems, marketing "
        "collects consent and the data protection officer is consulted."
    ),
    ("without_cxo", "personalisation"): _(
        "Marketing is accountable for personalising offers and messages; the data team and IT run it, within consent."
    ),
    ("without_cxo", "digital_self_service_ai"): _(
        "The chief digital officer is accountable for digital channels, self-service and AI; IT builds them and "
        "customer service keeps a handover to an adviser."
    ),
    ("without_cxo", "partners_networks"): _(
        "No CXO yet: procurement is accountable for the contracts with partners, outsourcers and networks; "
        "operations and quality steer the service they deliver."
    ),
    ("without_cxo", "incident_communication"): _(
        "The head of communication speaks to customers in an incident or crisis; customer service and operations "
        "make every channel say the same thing."
    ),
}
# Why a weak dimension adds a doer, keyed by (dimension, activity, role) of the rules file.
WEAK_DIMENSION_REASONS: Mapping[tuple[str, str, str], Promise] = {
    ("D8", "close_the_loop", "product"): _(
        "Acting on insight is still weak (stage %(stage)s): fixing pain points needs product changes, not "
        "only case-by-case recovery."
    ),
    ("D6", "journey_ownership", "service"): _(
        "Journey management is still weak (stage %(stage)s): customer service, which sees the pain "
        "points, takes part in the mapping."
    ),
}


def labels_of(activities: Iterable, roles: Iterable) -> dict[str, dict[str, str]]:
    """Bilingual labels from the framework's activities and the organisation's roles (``title_fr``/``title_en``).

    A role titled in one language only is named by that title in both.
    """
    labels = {a.key: {"fr": a.title_fr, "en": a.title_en} for a in activities}
    labels.update({r.key: {"fr": r.title_fr or r.title_en, "en": r.title_en or r.title_fr} for r in roles})
    return labels


def _label(labels: Labels, key: str) -> str:
    return labels.get(key, {}).get(active_language()) or key


def violation_message(violation: Violation, labels: Labels | None = None) -> str:
    """The violation's message in the active language."""
    labels = labels or {}
    params: dict[str, object] = dict(violation.params)
    if violation.activity is not None:
        params["activity"] = _label(labels, violation.activity)
    if violation.role is not None:
        params["role"] = _label(labels, violation.role)
    roles = violation.params.get("roles")
    if isinstance(roles, tuple | list):
        params["roles"] = ", ".join(_label(labels, str(role)) for role in roles)
    return str(VIOLATION_MESSAGES[violation.code]) % params


def reason_text(reason: Reason) -> str:
    """Why a cell holds its letter, in the active language.

    ``""`` for a cell without a reason, and for one whose rule has since left the rules file: a
    stored cell outlives the code that proposed it, and an old round's RACI must still show.
    """
    params = reason.params
    if reason.code == "rule":
        message = RULE_REASONS.get((str(params.get("table")), str(params.get("activity"))))
        return str(message) if message is not None else ""
    if reason.code == "weak_dimension":
        message = WEAK_DIMENSION_REASONS.get((str(params.get("dimension")), str(params.get("activity")), str(params.get("role"))))
        return str(message) % {"stage": params.get("stage")} if message is not None else ""
    message = REASON_MESSAGES.get(reason.code)
    return str(message) % dict(params) if message is not None else ""


def cell_reason(cell) -> Reason:
    """The reason a stored cell (``reason_code``, ``reason_params``) keeps."""
    return Reason(cell.reason_code, cell.reason_params or {})


def _each_language(render) -> dict[str, str]:
    texts = {}
    for language in SUPPORTED:
        with translation.override(language):
            texts[language] = render()
    return texts


def violation_texts(violation: Violation, labels: Labels | None = None) -> dict[str, str]:
    """``{"fr": …, "en": …}``: the message in both languages, for exports and the publication check."""
    return _each_language(lambda: violation_message(violation, labels))


def reason_texts(reason: Reason) -> dict[str, str]:
    """``{"fr": …, "en": …}``: the reason in both languages, for exports."""
    return _each_language(lambda: reason_text(reason))

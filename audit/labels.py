"""How an audit event reads: kinds of object, verbs and field values, translated when shown.

Labels are resolved when the log is displayed (in the reader's language), not when the change is
recorded; a field's label and the label of a choice value come from the model the kind names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .recording import CHANGED, CREATED, REMOVED


@dataclass(frozen=True)
class Kind:
    label: str | Promise  # a lazy translation, resolved when the log is shown
    model: str = ""  # "app.Model" whose fields describe the changes


KINDS = {
    "organisation": Kind(_("Organisation"), "organisations.Organisation"),
    "member": Kind(_("Member"), "organisations.Membership"),
    "invitation": Kind(_("Invitation"), "organisations.Invitation"),
    "round": Kind(_("Round"), "assessments.Round"),
    "participant": Kind(_("Participant"), "assessments.Participant"),
    "consensus": Kind(_("Consensus"), "assessments.Consensus"),
    "target": Kind(_("Target"), "roadmaps.Target"),
    "raci": Kind(_("RACI")),
    "role": Kind(_("RACI role"), "roadmaps.OrgRole"),
    "activity": Kind(_("RACI activity"), "roadmaps.OrgActivity"),
    "roadmap": Kind(_("Roadmap"), "roadmaps.Roadmap"),
    "initiative": Kind(_("Initiative"), "roadmaps.RoadmapItem"),
    "decision": Kind(_("Decision"), "governance.Decision"),
    "steering": Kind(_("Steering rhythm"), "governance.SteeringRhythm"),
    "role_holder": Kind(_("Role holder"), "governance.RoleHolder"),
    "measurement": Kind(_("KPI value"), "measurement.Measurement"),
    "share_link": Kind(_("Share link"), "sharing.ShareLink"),
    "benchmark": Kind(_("Benchmarks"), "benchmarks.OptIn"),
    # A change made on a page whose service records nothing itself: only the page is known.
    "page": Kind(_("Page")),
}

VERBS = {CREATED: _("added"), CHANGED: _("changed"), REMOVED: _("removed")}

#: What a page whose services record nothing themselves did (kind "page"; the target is its URL name).
PAGES = {
    "workspace:round_create": _("Round created"),
    "assessments:round_create": _("Round created"),  # the page's name until the round form moved to workspace
    "assessments:round_context": _("Round context answered"),
    "assessments:round_remind": _("Reminders sent"),
    "assessments:participant_add": _("Participant invited"),
    "assessments:participant_resend": _("Sign-in link sent again"),
    "assessments:workshop_consensus": _("Workshop consensus recorded"),
    "measurement:create": _("KPI value added"),
    "measurement:edit": _("KPI value changed"),
    "measurement:delete": _("KPI value removed"),
    "measurement:import": _("KPI values imported"),
    "roadmaps:roadmap_regenerate": _("Roadmap regenerated"),
    "roadmaps:raci_propose": _("RACI proposed again"),
    "benchmarks:opt_in": _("Benchmark participation changed"),
    "organisations:member_role": _("Member role changed"),
    "organisations:members": _("Member invited"),
    "organisations:undo": _("Action undone"),
}


def page_label(action: str) -> str:
    return str(PAGES.get(action, action))


def kind_choices():
    return [(key, kind.label) for key, kind in KINDS.items()]


def _model_field(kind: str, name: str):
    spec = KINDS.get(kind)
    if spec is None or not spec.model:
        return None
    try:
        return apps.get_model(spec.model)._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        return None


def value_label(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if model_field is not None and getattr(model_field, "flatchoices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def describe_changes(kind: str, changes) -> list[dict]:
    """Each change as ``{"label", "before", "after"}`` strings ready to show."""
    rows = []
    for entry in changes or ():
        model_field = _model_field(kind, entry.get("field", ""))
        label = entry.get("label") or (model_field.verbose_name if model_field is not None else entry.get("field", ""))
        rows.append(
            {
                "label": str(label),
                "before": value_label(model_field, entry.get("before")),
                "after": value_label(model_field, entry.get("after")),
            }
        )
    return rows


def kind_label(kind: str) -> str:
    spec = KINDS.get(kind)
    return str(spec.label) if spec else kind


def verb_label(verb: str) -> str:
    return str(VERBS.get(verb, verb))

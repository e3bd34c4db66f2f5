"""Writes on engagement templates, and rounds started from one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Round
from assessments.services import round_create
from organisations.models import Firm, Organisation

from .models import EngagementTemplate, RoundOrigin

TARGET_RANGE, IMPORTANCE_RANGE = range(1, 6), range(1, 4)


def default_targets_clean(*, framework, raw) -> dict[str, dict[str, int]]:
    """Checks an engagement template's default targets against `framework`; reports every problem at once.

    The result maps dimension keys (in framework order) to {"target": 1–5, "importance": 1–3}, either
    key optional; empty entries are dropped.
    """
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise ValidationError(_("Default targets must map dimension keys to a target and an importance."))
    order = list(framework.dimensions.order_by("position").values_list("key", flat=True))
    errors, cleaned = [], {}
    for key, value in raw.items():
        if key not in order:
            errors.append(_("%(key)s is not a dimension of this framework.") % {"key": key})
            continue
        if not isinstance(value, dict) or set(value) - {"target", "importance"}:
            errors.append(_("%(key)s: give a target and an importance only.") % {"key": key})
            continue
        entry = {}
        for name, allowed, message in (
            ("target", TARGET_RANGE, _("%(key)s: the target must be a whole number from 1 to 5.")),
            ("importance", IMPORTANCE_RANGE, _("%(key)s: the importance must be a whole number from 1 to 3.")),
        ):
            number = value.get(name)
            if number is None:
                continue
            if isinstance(number, bool) or not isinstance(number, int) or number not in allowed:
                errors.append(message % {"key": key})
            else:
                entry[name] = number
        if entry:
            cleaned[key] = entry
    if errors:
        raise ValidationError(errors)
    return {key: cleaned[key] for key in order if key in cleaned}


def _template_fields(fields: dict) -> dict:
    fields = dict(fields)
    fields["default_targets"] = default_targets_clean(framework=fields["framework"], raw=fields.get("default_targets"))
    return fields


def engagement_template_create(*, firm: Firm, **fields) -> EngagementTemplate:
    return EngagementTemplate.objects.create(firm=firm, **_template_fields(fields))


def engagement_template_update(*, template: EngagementTemplate, **fields) -> EngagementTemplate:
    for name, value in _template_fields(fields).items():
        setattr(template, name, value)
    template.save()
    return template


def engagement_template_delete(*, template: EngagementTemplate) -> None:
    """Deletes the template; rounds started from it keep their framework, anonymity and stored targets,
    but lose its introduction and the default targets they have not stored yet."""
    template.delete()


@transaction.atomic
def round_create_from_template(*, organisation: Organisation, user, template: EngagementTemplate, **fields) -> Round:
    """Creates a round (assessments.services.round_create) started from one of the user's firm's templates:
    the round keeps a link to it (RoundOrigin) for its introduction and its default targets."""
    if not template.firm.members.filter(pk=user.pk).exists():
        raise PermissionDenied
    round_ = round_create(organisation=organisation, user=user, **fields)
    RoundOrigin.objects.create(round=round_, template=template)
    return round_


def template_default_targets(*, round_) -> dict:
    """The raw default targets of the template the round was started from ({} when none): roadmaps'
    starting targets (roadmaps/target_defaults.py), read when the targets are first stored."""
    raw = EngagementTemplate.objects.filter(round_origins__round_id=round_.pk).values_list("default_targets", flat=True).first()
    return raw or {}

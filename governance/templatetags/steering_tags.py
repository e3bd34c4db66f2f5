"""`{{ membership|may_steer }}`: whether the member may open the steering rhythm pages."""

from django import template

from organisations.permissions import Action, role_can

register = template.Library()


@register.filter
def may_steer(membership) -> bool:
    role = getattr(membership, "role", None)
    if not role:
        return False
    return role_can(role, Action.VIEW_STEERING)

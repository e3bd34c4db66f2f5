"""`{{ membership|may_share }}`: whether the member may create and revoke share links."""

from django import template

from organisations.permissions import role_can

from ..permissions import SHARE_RESULTS

register = template.Library()


@register.filter
def may_share(membership) -> bool:
    role = getattr(membership, "role", None)
    if not role:
        return False
    return role_can(role, SHARE_RESULTS)

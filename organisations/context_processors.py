"""Navigation context: the organisations the user can switch between."""

from .selectors import memberships_for_user


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_memberships": memberships_for_user(user)}

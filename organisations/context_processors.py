"""Navigation context: the organisations the user can switch between, and the firm that brands the header."""

from django.utils.functional import SimpleLazyObject

from .selectors import firm_for_header, memberships_for_user


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if getattr(request, "link_scope", None) is not None:
        # A personal link's session opens one questionnaire, not the rest of the account (assessments/links.py).
        return {}
    # Lazy: pages that never render the header (stylesheets, downloads) run no query for it.
    return {"nav_memberships": memberships_for_user(user), "nav_firm": SimpleLazyObject(lambda: firm_for_header(user))}

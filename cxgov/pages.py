"""Public pages of the instance itself, outside every organisation: the accessibility statement."""

from django.conf import settings
from django.shortcuts import render


def accessibility(request):
    """The accessibility statement (RGAA style): what conforms, what does not yet, how to report a problem."""
    contact = settings.CXGOV_ACCESSIBILITY_CONTACT
    return render(
        request,
        "accessibility.html",
        {"contact": contact, "contact_is_email": "@" in contact and "://" not in contact},
    )

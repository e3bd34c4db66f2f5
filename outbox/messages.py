"""What a page says when the work it recorded could not reach the broker yet."""

from django.contrib import messages
from django.utils.translation import gettext_lazy

EMAILS_QUEUED = gettext_lazy(
    "The e-mail service cannot be reached right now: nothing is lost, the e-mails will go out as soon as it is back."
)


def warn_if_deferred(request, tracker, text=EMAILS_QUEUED) -> None:
    """Adds a warning to the page when some of the tracked messages were kept for the relay."""
    if tracker.deferred:
        messages.warning(request, text)

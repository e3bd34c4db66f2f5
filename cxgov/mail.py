"""Every e-mail the app sends goes through here: plain-text rendering, one subject line, honest failure.

- Templates are rendered without HTML autoescaping: an e-mail is plain text, so `L'Oréal & Co`
  must arrive as typed, not as `L&#x27;Oréal &amp; Co`.
- The subject is one line with its whitespace folded: a newline typed in an organisation or round
  name would otherwise make Django refuse the message (BadHeaderError) and the e-mail would vanish.
- A send that fails is logged as an error and never reported as sent: inside a request (see
  MailFailureMiddleware) the page says which e-mail could not be sent; in a worker the exception is
  raised again so Celery retries it or records the failure.
"""

import logging
import threading
from contextlib import contextmanager

from django.contrib import messages
from django.core.mail import EmailMessage
from django.template import Context
from django.template.backends.django import Template as DjangoBackendTemplate
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger("cxgov.mail")

_request = threading.local()


def subject_line(text) -> str:
    """One line: every run of whitespace (newlines, tabs, non-breaking spaces) becomes one space."""
    return " ".join(str(text).split())


def render_text(template_name: str, context: dict) -> str:
    """Renders a text template with autoescaping off (user text is not HTML in an e-mail)."""
    wrapper = get_template(template_name)
    # Only a Django template takes a Context, which is what turns autoescaping off.
    assert isinstance(wrapper, DjangoBackendTemplate), f"{template_name} is not a Django template"
    return wrapper.template.render(Context(context, autoescape=False))


def render_subject(template_name: str, context: dict) -> str:
    return subject_line(render_text(template_name, context))


def build(*, to: str, subject_template: str, body_template: str, context: dict, language: str | None = None) -> EmailMessage:
    """The message in `language` (the recipient's), rendered from the two templates."""
    with translation.override(language) if language else _same_language():
        subject = render_subject(subject_template, context)
        body = render_text(body_template, context)
    return EmailMessage(subject=subject, body=body, to=[to])


def send(*, to: str, subject_template: str, body_template: str, context: dict, language: str | None = None) -> bool:
    """Renders and sends one e-mail; False (inside a request) or an exception (elsewhere) when it fails."""
    return deliver(
        build(to=to, subject_template=subject_template, body_template=body_template, context=context, language=language)
    )


def deliver(message: EmailMessage) -> bool:
    message.subject = subject_line(message.subject)
    try:
        message.send()
    except Exception as error:
        logger.error("e-mail to %s not sent (%s): %s", ", ".join(message.to), type(error).__name__, error)
        failures = getattr(_request, "failures", None)
        if failures is None:
            raise  # a worker: Celery retries (connection errors) or records the failure
        failures.extend(message.to)
        return False
    return True


@contextmanager
def _same_language():
    yield


@contextmanager
def collecting_failures():
    """Within the block, a failed send is recorded instead of raised; yields the failed addresses."""
    previous = getattr(_request, "failures", None)
    _request.failures = []
    try:
        yield _request.failures
    finally:
        _request.failures = previous


class MailFailureMiddleware:
    """Says on the page which e-mails of this request could not be sent, instead of "sent".

    E-mails sent inline (no broker: tasks run in the request, and the password reset) fail here;
    the success messages the view queued would claim otherwise, so they are replaced. Placed after
    MessageMiddleware, so that the messages it changes are stored with the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with collecting_failures() as failures:
            response = self.get_response(request)
        if failures:
            storage = messages.get_messages(request)
            # "Sent" is said as success or info ("a new link has been sent"): both go, warnings stay.
            kept = [m for m in getattr(storage, "_queued_messages", []) if m.level not in (messages.SUCCESS, messages.INFO)]
            if hasattr(storage, "_queued_messages"):
                storage._queued_messages[:] = kept
            messages.error(
                request,
                _("The e-mail to %(addresses)s could not be sent: nothing was delivered. Try again in a few minutes.")
                % {"addresses": ", ".join(sorted(set(failures)))},
            )
        return response

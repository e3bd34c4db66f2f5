"""The Undo button of a success message (organisations/undo.py): a plain POST form, no JavaScript."""

from django import template
from django.template.loader import render_to_string

from organisations import undo

register = template.Library()


@register.simple_tag(takes_context=True)
def undo_button(context, message):
    request = context.get("request")
    tags = (message.extra_tags or "").split()
    token = next((tag[len(undo.TAG_PREFIX) :] for tag in tags if tag.startswith(undo.TAG_PREFIX)), None)
    if request is None or token is None:
        return ""
    record = undo.pending(request, token)
    if record is None:
        return ""
    return render_to_string("partials/undo_button.html", {"url": record["url"], "token": token}, request=request)

"""`{% questionnaire_cards %}`: the respondent's cards (assessments/entry.py) on a page that is not assessments'.

The home page belongs to workspace, above this app: it shows the cards by loading this tag rather
than by importing assessments' reads into its view.
"""

from django import template

from assessments.entry import questionnaire_cards as cards_for

register = template.Library()


@register.inclusion_tag("assessments/_questionnaire_cards.html", takes_context=True)
def questionnaire_cards(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"questionnaire_cards": cards_for(user=user) if user is not None else []}

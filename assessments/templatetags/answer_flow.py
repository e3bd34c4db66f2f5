"""Template helpers of the questionnaire pages: the error summary's links and the answering mode."""

from django import template

from assessments import answer_flow

register = template.Library()


@register.filter
def dimension_error_links(items) -> list[answer_flow.ErrorLink]:
    """`{% with error_links=items|dimension_error_links %}`: a dimension page's errors, question by question."""
    links: list[answer_flow.ErrorLink] = []
    for item in items:
        links += answer_flow.answer_error_links(item["question"], item.get("errors"), level_value=item.get("level") or "")
    return links


@register.simple_tag
def governance_error_links(context_questions, activities) -> list[answer_flow.ErrorLink]:
    """The governance page's refused choices, linked to their select."""
    links = []
    for question in context_questions:
        if getattr(question, "error", ""):
            links.append(answer_flow.ErrorLink(href=f"#ctx-{question.key}", label=question.tr("text"), message=question.error))
    for activity in activities:
        if getattr(activity, "error", ""):
            links.append(answer_flow.ErrorLink(href=f"#raci-{activity.key}", label=activity.tr("title"), message=activity.error))
    return links


@register.simple_tag(takes_context=True)
def answer_mode(context) -> str:
    """How this respondent answers on this device: "question" (one per screen) or "page" (a dimension per page)."""
    request = context.get("request")
    return answer_flow.answer_mode(request) if request is not None else answer_flow.QUESTION_MODE

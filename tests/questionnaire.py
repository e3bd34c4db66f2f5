"""The questionnaire's URLs as the answering tests use them."""

from django.urls import reverse


def save_url(round_, key):
    """The autosave endpoint of one question."""
    return reverse("assessments:answer_save", args=[round_.organisation.slug, round_.pk, key])


def page_url(round_, page):
    """One page (dimension) of the questionnaire."""
    return reverse("assessments:answer_page", args=[round_.organisation.slug, round_.pk, page])

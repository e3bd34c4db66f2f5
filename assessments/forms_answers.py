"""Forms of the questionnaire: what a respondent's pages and autosaves post is parsed here, not in the views.

The field names are those the pages, their htmx attributes (``hx-params``) and the tests use:

* a question: ``q-<question key>-level``, ``-comment``, ``-evidence``, ``-confidence`` (the
  question's key is the form's prefix), and on a dimension page the values it was loaded with,
  ``-level-loaded`` …;
* the governance page: ``raci-<activity key>`` and ``ctx-<context question key>``.

The rules of an answer (levels 1–5, "don't know" or, where it applies, "not applicable", the
comment's length, http(s) links, the confidence) stay in services.clean_answer, which the
colleague's delegated answer goes through too.
"""

from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services

# The answer's fields as the services name them → the fields of the page.
ANSWER_FIELDS = {"level": "level", "comment": "comment", "evidence_url": "evidence", "confidence": "confidence"}


def _text_field() -> forms.CharField:
    # Kept exactly as sent: clean_answer strips what it stores, and what was typed is shown back as typed.
    return forms.CharField(required=False, strip=False)


class AnswerForm(forms.Form):
    """One question of a dimension page, or the autosave of one question.

    A field that was not sent stays as it is (an autosave sends one field, a stale tab may not send
    its "as loaded" values), so the form tells a field left out (None) from one sent empty, which
    clears it. Fields of other questions or unknown names are not read.

    ``context`` (context question key → choice, selectors.answer_context) is what is known of the
    round and the respondent: "not applicable" is accepted only where the question's rule holds in
    it, never without one.
    """

    #: The answer's fields this form reads (services' name → the page's field name).
    answer_fields: dict[str, str] = ANSWER_FIELDS

    def __init__(self, data=None, *, question, context: Mapping[str, str] | None = None, **kwargs):
        super().__init__(data, prefix=f"q-{question.key}", **kwargs)
        self.question = question
        self.not_applicable_allowed = context is not None and question.not_applicable_allowed(context)
        self.values: dict = {}
        for name in self.answer_fields.values():
            self.fields[name] = _text_field()
            # What the page showed when it was loaded, so that only what this tab changed is written.
            # Only compared, never stored: taken as sent.
            self.fields[f"{name}-loaded"] = forms.Field(required=False)

    def sent(self) -> services.AnswerInput:
        """What the request says about this question, as typed; None for a field that was not sent."""
        return services.AnswerInput(**{attr: self[name].data for attr, name in self.answer_fields.items()})

    def loaded(self) -> dict[str, str | None]:
        """The values the page was loaded with (None: the page did not say), for services.answer_save_from_page."""
        return {attr: self[f"{name}-loaded"].data for attr, name in self.answer_fields.items()}

    def clean(self):
        cleaned = super().clean()
        values, errors = services.clean_answer(self.sent(), not_applicable_allowed=self.not_applicable_allowed)
        for attr, name in self.answer_fields.items():
            if getattr(errors, attr):
                self.add_error(name, getattr(errors, attr))
        # The fields sent, cleaned, in the services' names: only these are written.
        self.values = values
        return cleaned

    def answer_errors(self) -> services.AnswerErrors:
        """The messages by field, in the shape the questionnaire's templates show next to each field."""
        return services.AnswerErrors(
            **{
                attr: " ".join(map(str, self.errors.get(name, ())))
                for attr, name in self.answer_fields.items()
                if name in self.errors
            }
        )


class DelegatedAnswerForm(AnswerForm):
    """The colleague's answer through a delegation link: a level and a comment, never an evidence link.

    The link opens one question to someone outside the committee; what they may write is what the
    page offers them, so an evidence field or a confidence posted by hand is not read, and "not
    applicable" (which depends on the participant's context) is never accepted.
    """

    answer_fields = {"level": "level", "comment": "comment"}

    def __init__(self, data=None, *, question, **kwargs):
        kwargs.pop("context", None)
        super().__init__(data, question=question, **kwargs)


class GovernanceForm(forms.Form):
    """The governance page: who is accountable today for each RACI activity, and the context questions.

    On the page a choice left empty is no answer and is skipped, and the valid choices are saved
    even when another one is refused. An autosave sends one choice (``required``): it must be one
    of the options.
    """

    def __init__(self, data=None, *, activities=(), context_questions=(), raci_choices=(), required=False, **kwargs):
        super().__init__(data, **kwargs)
        message = _("Choose one of the options.")
        error_messages = {"required": message, "invalid_choice": message}
        self.targets: dict[str, tuple[str, object]] = {}
        for activity in activities:
            name = f"raci-{activity.key}"
            self.fields[name] = forms.ChoiceField(choices=raci_choices, required=required, error_messages=error_messages)
            self.targets[name] = ("raci", activity)
        for question in context_questions:
            name = f"ctx-{question.key}"
            choices = [(c["key"], question.choice_label(c["key"])) for c in question.choices]
            self.fields[name] = forms.ChoiceField(choices=choices, required=required, error_messages=error_messages)
            self.targets[name] = ("context", question)

    def choices(self):
        """(kind, activity or context question, choice) for every valid choice made; call after is_valid()."""
        cleaned = getattr(self, "cleaned_data", {})
        return [(*self.targets[name], cleaned[name]) for name in self.targets if cleaned.get(name)]

    def typed(self, name: str) -> str | None:
        """The value sent for one field, as sent (None: not sent)."""
        return self[name].data

    def error(self, name: str) -> str:
        return " ".join(map(str, self.errors.get(name, ())))

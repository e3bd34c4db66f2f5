"""Forms of the questionnaire: what a respondent's pages and autosaves post is parsed here, not in the views.

The field names are those the pages, their htmx attributes (``hx-params``) and the tests use:

* a question: ``q-<question key>-level``, ``-comment``, ``-evidence``, ``-confidence`` (the
  question's key is the form's prefix), and on a dimension page the values it was loaded with,
  ``-level-loaded`` …;
* the governance page: ``raci-<activity key>`` and ``ctx-<context question key>``;
* an activity of a 2.0 round's RACI: ``raci-<activity key>-a`` (the A) and ``raci-<activity key>-role-<role key>``
  (R, C or I).

The rules of an answer (levels 1–5, "don't know" or, where it applies, "not applicable", the
comment's length, http(s) links, the confidence) stay in services.clean_answer, which the
colleague's delegated answer goes through too.
"""

from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import RaciLetter

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


class RaciActivityForm(forms.Form):
    """One activity of a 2.0 round's as-is RACI (its own screen and its autosave): who is accountable
    today (A: one role, "nobody" or "dont_know") and, per role, R, C, I or nothing.

    Fields, under the prefix ``raci-<activity key>``: ``a`` and ``role-<role key>``. ``roles`` are
    the round's (raci_catalogue.catalogue_for); a role the page does not show is refused, never
    stored. The A left unanswered keeps the one stored (``stored_choice``), which the letters are
    checked against: the A may also be R, never C or I.
    """

    def __init__(self, data=None, *, activity_key: str, roles, stored_choice: str = "", **kwargs):
        super().__init__(data, prefix=f"raci-{activity_key}", **kwargs)
        self.roles = list(roles)
        self.stored_choice = stored_choice
        message = _("Choose one of the options.")
        error_messages = {"invalid_choice": message}
        accountable = [(r.key, r.tr()) for r in self.roles] + [(key, label) for key, label in raci_not_a_role_choices()]
        self.fields["a"] = forms.ChoiceField(choices=accountable, required=False, error_messages=error_messages)
        letters = [("", "—"), *RaciLetter.Letter.choices]
        for role in self.roles:
            self.fields[self.role_field(role.key)] = forms.ChoiceField(
                choices=letters, required=False, error_messages=error_messages
            )

    @staticmethod
    def role_field(role_key: str) -> str:
        return f"role-{role_key}"

    def unknown_roles(self) -> list[str]:
        """The role keys of letters sent for roles this round does not ask about (a hand-made request)."""
        if not self.is_bound:
            return []
        start = f"{self.prefix}-role-"
        known = {r.key for r in self.roles}
        return sorted(
            name.removeprefix(start) for name in self.data if name.startswith(start) and name[len(start) :] not in known
        )

    def clean(self):
        cleaned = super().clean()
        unknown = self.unknown_roles()
        if unknown:
            self.add_error(None, _("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)})
        accountable = cleaned.get("a") or ("" if "a" in self.errors else self.stored_choice)
        field = self.role_field(accountable) if accountable else ""
        if field in self.fields and cleaned.get(field) in ("C", "I"):
            self.add_error(field, raci_letter_clash_message())
        return cleaned

    def choice(self) -> str | None:
        """The A chosen (None: none sent, the stored one stays); call after is_valid()."""
        return self.cleaned_data.get("a") or None

    def letters(self) -> dict[str, str]:
        """Role key → R, C or I for every role given one; call after is_valid()."""
        return {
            r.key: self.cleaned_data[self.role_field(r.key)] for r in self.roles if self.cleaned_data.get(self.role_field(r.key))
        }

    def typed(self, name: str) -> str | None:
        """The value sent for one field (``a`` or ``role-<key>``), as sent (None: not sent)."""
        return self[name].data

    def error(self, name: str) -> str:
        return " ".join(map(str, self.errors.get(name, ())))


def raci_not_a_role_choices():
    """The A's answers that name no role, as the screens word them."""
    return [("nobody", _("Nobody")), ("dont_know", _("Don't know"))]


def raci_letter_clash_message():
    """Why a role named accountable (A) cannot also be C or I, next to that role's letters."""
    return _(
        "The role you named accountable (A) may also do the work (R), but cannot be consulted (C) or informed (I) as well: choose R or —."
    )

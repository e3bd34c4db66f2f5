"""Forms of the roadmap, to-be RACI and role pages."""

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .domain.raci import LETTERS
from .models import ItemStatus
from .services import MAX_DURATION, MAX_START_MONTH


class CustomItemForm(forms.Form):
    title_fr = forms.CharField(label=_("Title in French"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    dimension = forms.ChoiceField(label=_("Dimension (optional)"), required=False, choices=())
    activity = forms.ChoiceField(
        label=_("RACI activity (optional)"),
        required=False,
        choices=(),
        help_text=_("The owner then follows the role accountable for this activity."),
    )
    start_month = forms.IntegerField(label=_("Start month"), min_value=0, max_value=MAX_START_MONTH, initial=0)
    duration_months = forms.IntegerField(label=_("Duration in months"), min_value=1, max_value=MAX_DURATION, initial=3)

    def __init__(self, *args, dimensions=(), activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [("", "—"), *dimensions]
        self.fields["activity"].choices = [("", "—"), *activities]

    def clean(self):
        data = super().clean()
        if not (data.get("title_fr") or "").strip() and not (data.get("title_en") or "").strip():
            raise ValidationError(_("Give a title in French, in English or both."))
        return data


class MoveForm(forms.Form):
    start_month = forms.IntegerField(label=_("Start month"), min_value=0, max_value=MAX_START_MONTH)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)


class SettingsForm(forms.Form):
    start_date = forms.DateField(
        label=_("Start date (month 0)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    capacity = forms.IntegerField(
        label=_("Initiatives starting per horizon"),
        min_value=1,
        max_value=30,
        help_text=_("At most this many initiatives start in each of Now, Next and Later."),
    )


class RoleAddForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_("Lower-case letters, digits, '-' or '_'; it cannot change later (exports use it)."),
    )
    title_fr = forms.CharField(label=_("Title in French"), max_length=100, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("title_fr") or "").strip() and not (data.get("title_en") or "").strip():
            raise ValidationError(_("Give a title in French, in English or both."))
        return data


class RoleEditForm(forms.Form):
    title_fr = forms.CharField(label=_("Title in French"), max_length=100, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=100, required=False)
    hidden = forms.BooleanField(label=_("Hidden"), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("title_fr") or "").strip() and not (data.get("title_en") or "").strip():
            raise ValidationError(_("Give a title in French, in English or both."))
        return data


def raci_cell_name(activity: str, role: str) -> str:
    return f"cell-{activity}-{role}"


def raci_was_name(activity: str, role: str) -> str:
    return f"was-{activity}-{role}"


class RaciGridForm(forms.Form):
    """The to-be RACI grid: a letter per activity and visible role, beside the letter the page was drawn with.

    The field names are the page's (``cell-<activity>-<role>`` and the hidden ``was-<activity>-<role>``),
    which the grid's htmx posts and the tests use; any other name is not read. Only the cells that
    differ from what the page was drawn with are changes, so a stale page does not overwrite a letter
    set meanwhile by someone else; only those are checked, and ``changes`` holds them, cleaned
    (``""`` empties a cell). A cell not sent is no change.
    """

    def __init__(self, data=None, *, activities, roles, **kwargs):
        super().__init__(data, **kwargs)
        self.cells = {(a, r): (raci_cell_name(a, r), raci_was_name(a, r)) for a in activities for r in roles}
        for name, was in self.cells.values():
            # Taken as sent: only a changed cell is checked, in clean().
            self.fields[name] = forms.Field(required=False)
            self.fields[was] = forms.Field(required=False)
        self.changes: dict[tuple[str, str], str] = {}

    @cached_property
    def sent(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(activity, role) → (value sent, letter the page showed) for every cell changed on the page."""
        changed = {}
        for key, (name, was) in self.cells.items():
            value = self[name].data
            if value is None:
                continue
            before = self[was].data
            if before is not None and value != before:
                changed[key] = (value, before)
        return changed

    def clean(self):
        cleaned = super().clean()
        self.changes = {}
        for key, (value, _before) in self.sent.items():
            letter = str(value).strip().upper()
            letter = "" if letter in ("-", "—") else letter
            if letter and letter not in LETTERS:
                self.add_error(self.cells[key][0], _("A RACI cell holds R, A, C, I or nothing."))
            else:
                self.changes[key] = letter
        return cleaned

    def shown(self, activity: str, role: str) -> dict[str, str] | None:
        """How a changed cell comes back after a refusal: its letter (the refused value as sent) beside the
        letter the page was drawn with, so that submitting again changes the same cells. None: unchanged."""
        sent = self.sent.get((activity, role))
        if sent is None:
            return None
        name = self.cells[(activity, role)][0]
        error = " ".join(map(str, self.errors.get(name, ())))
        return {"value": sent[0] if error else self.changes.get((activity, role), ""), "was": sent[1], "error": error}

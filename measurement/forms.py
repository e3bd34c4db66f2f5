"""Forms of the KPI register: one value (with the counts behind it, for survey metrics) and CSV import."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .domain.metrics import ALL_METRICS, CES_SCALES, CX_METRICS
from .imports import SAMPLE_REQUIRED, SOURCE_MAX, RowProblem, check_value, clean_period, max_bytes, max_rows, parse_number
from .presentation import metric_label
from .services import MeasurementInput

SCORES = range(1, 8)  # answers per score: CSAT uses 1–5, CES 1–5 or 1–7


def metric_choices():
    return [
        (_("CX metrics"), [(key, metric_label(key)) for key in CX_METRICS]),
        (_("Financial KPIs"), [(key, metric_label(key)) for key in ALL_METRICS if key not in CX_METRICS]),
    ]


#: The largest count a column holds (PostgreSQL ``integer``): beyond it the form says so next to the
#: field instead of the database refusing the row (a 500).
COUNT_MAX = 2**31 - 1


def _count_field(label):
    return forms.IntegerField(label=label, min_value=0, max_value=COUNT_MAX, required=False)


class MeasurementForm(forms.Form):
    metric = forms.ChoiceField(label=_("Metric"), choices=())
    period = forms.CharField(label=_("Period"), max_length=7, help_text=_("A month (2026-03) or a quarter (2026-Q1)."))
    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=30,
        help_text=_("Decimal point or comma. For a survey metric it is computed from the counts when you give them."),
    )
    n = forms.IntegerField(
        label=_("Sample size (n)"),
        min_value=1,
        max_value=COUNT_MAX,
        required=False,
        help_text=_("Required for NPS, CSAT, CES and FCR."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=SOURCE_MAX,
        required=False,
        help_text=_("Where the figure comes from, for example the survey tool or the finance report."),
    )
    promoters = _count_field(_("Promoters (9–10)"))
    passives = _count_field(_("Passives (7–8)"))
    detractors = _count_field(_("Detractors (0–6)"))
    ces_scale = forms.TypedChoiceField(
        label=_("CES scale"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *[(scale, f"1–{scale}") for scale in CES_SCALES]],
    )
    resolved = _count_field(_("Contacts resolved at first contact"))
    recontact_window_days = forms.IntegerField(
        label=_("Re-contact window (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("A contact counts as resolved when the customer did not come back within this window."),
    )

    count_names = [f"count_{score}" for score in SCORES]
    nps_names = ["promoters", "passives", "detractors"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()
        for score in SCORES:
            self.fields[f"count_{score}"] = _count_field(_("Answers scoring %(score)d") % {"score": score})

    def clean_period(self):
        try:
            return clean_period(self.cleaned_data["period"])
        except RowProblem as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_value(self):
        text = self.cleaned_data["value"].strip()
        if not text:
            return None
        try:
            return parse_number(text)
        except RowProblem as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean(self):
        data = super().clean()
        metric = data.get("metric")
        if not metric:
            return data
        given = {name for name in [*self.nps_names, *self.count_names, "resolved"] if data.get(name) is not None}
        allowed = {"nps": set(self.nps_names), "csat": set(self.count_names[:5]), "fcr": {"resolved"}}.get(metric, set())
        if metric == "ces":
            allowed = set(self.count_names[: data.get("ces_scale") or 7])
        for name in sorted(given - allowed):
            self.add_error(name, _("This count does not apply to %(metric)s.") % {"metric": metric_label(metric)})
        counts = given & allowed
        if sum(data[name] for name in counts) > COUNT_MAX:
            # The sample size is their total: it must fit a column too.
            self.add_error(
                sorted(counts)[0], _("These counts add up to more than %(max)s answers.") % {"max": number_format(COUNT_MAX)}
            )
        if metric == "nps" and counts and counts != allowed:
            for name in sorted(allowed - counts):
                self.add_error(name, _("Give promoters, passives and detractors, or none of them."))
        if metric == "ces" and not data.get("ces_scale"):
            self.add_error("ces_scale", _("State the scale of the CES question."))
        if metric == "fcr" and not data.get("recontact_window_days"):
            self.add_error("recontact_window_days", _("State the re-contact window of FCR."))
        if metric == "fcr" and counts and not data.get("n"):
            self.add_error("n", _("Give the number of contacts, so that the resolved ones are a share of it."))
        if not counts:
            if data.get("value") is None and "value" not in self.errors:
                self.add_error("value", _("Give a value, or the counts it comes from."))
            if metric in SAMPLE_REQUIRED and not data.get("n") and "n" not in self.errors:
                self.add_error("n", _("Give the sample size: a survey figure means little without it."))
            if data.get("value") is not None:
                try:
                    check_value(metric, data["value"], ces_scale=data.get("ces_scale"))
                except RowProblem as problem:
                    self.add_error("value", str(problem))
        data["has_counts"] = bool(counts)
        return data

    def to_input(self) -> MeasurementInput:
        data = self.cleaned_data
        metric, has_counts = data["metric"], data["has_counts"]
        score_counts = None
        if has_counts and metric in ("csat", "ces"):
            top = 5 if metric == "csat" else data["ces_scale"]
            score_counts = {str(score): data.get(f"count_{score}") or 0 for score in range(1, top + 1)}
        return MeasurementInput(
            metric=metric,
            period=data["period"],
            value=data.get("value"),
            n=data.get("n"),
            source=data.get("source", "").strip(),
            promoters=data.get("promoters") if metric == "nps" and has_counts else None,
            passives=data.get("passives") if metric == "nps" and has_counts else None,
            detractors=data.get("detractors") if metric == "nps" and has_counts else None,
            score_counts=score_counts,
            resolved=data.get("resolved") if metric == "fcr" and has_counts else None,
            ces_scale=data.get("ces_scale") if metric == "ces" else None,
            recontact_window_days=data.get("recontact_window_days") if metric == "fcr" else None,
        )

    @staticmethod
    def initial_from(measurement) -> dict:
        """The form's starting values for an existing value (counts included, value as stored)."""
        initial = {
            "metric": measurement.metric,
            "period": measurement.period,
            "value": str(measurement.value),
            "n": measurement.n,
            "source": measurement.source,
            "promoters": measurement.promoters,
            "passives": measurement.passives,
            "detractors": measurement.detractors,
            "resolved": measurement.resolved,
            "ces_scale": measurement.ces_scale,
            "recontact_window_days": measurement.recontact_window_days,
        }
        for score, count in (measurement.score_counts or {}).items():
            if score.isdigit() and int(score) in SCORES:
                initial[f"count_{score}"] = count
        return initial


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    source = forms.CharField(
        label=_("Source of the raw responses"),
        max_length=SOURCE_MAX,
        required=False,
        help_text=_(
            "Stored with the values computed from a file of raw responses (a file of period values has its own source column)."
        ),
    )
    ces_scale = forms.TypedChoiceField(
        label=_("CES scale"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *[(scale, f"1–{scale}") for scale in CES_SCALES]],
        help_text=_("Required when the file holds CES responses."),
    )
    fcr_window_days = forms.IntegerField(
        label=_("FCR re-contact window (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Required when the file holds FCR responses (1 = resolved at first contact, 0 = not)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limits are settings: the help names the ones in force.
        self.fields["file"].help_text = _(
            "UTF-8 (with or without BOM), comma or semicolon separated, up to %(size)s MB and %(rows)s rows."
        ) % {
            "size": number_format(max_bytes() / (1024 * 1024), decimal_pos=0),
            "rows": number_format(max_rows(), force_grouping=True),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("This file is %(got)s MB; one import takes at most %(size)s MB. Split it into smaller files.")
                % {
                    "got": number_format(round(upload.size / (1024 * 1024), 1), decimal_pos=1),
                    "size": number_format(max_bytes() / (1024 * 1024), decimal_pos=0),
                }
            )
        return upload

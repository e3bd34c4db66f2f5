"""The KPI register: one value per organisation, metric and period, with what its statistics need."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .domain.metrics import ALL_METRICS


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class Measurement(models.Model):
    """A metric's value for one period (PRODUCT.md, "Measurement practice").

    `value` is the register's figure, rounded half-up to 2 decimals. For survey metrics the counts
    behind it are kept so that margins, intervals and the noise rule are recomputed by the domain:
    promoters / passives / detractors (NPS), answers per score (CSAT 1–5, CES on its scale), resolved
    out of `n` (FCR, with its re-contact window).
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="measurements")
    metric = models.CharField(_("metric"), max_length=30, choices=[(key, key) for key in ALL_METRICS])
    period = models.CharField(_("period"), max_length=7, help_text=_("YYYY-MM or YYYY-Qn"))
    # The period again, as sortable fields: chronological by first month, a quarter before its months.
    period_year = models.PositiveSmallIntegerField()
    period_kind = models.CharField(max_length=7, choices=PeriodKind.choices)
    period_number = models.PositiveSmallIntegerField()
    period_first_month = models.PositiveSmallIntegerField()

    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    n = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    promoters = models.PositiveIntegerField(null=True, blank=True)
    passives = models.PositiveIntegerField(null=True, blank=True)
    detractors = models.PositiveIntegerField(null=True, blank=True)
    # {"score": count}; scores are decimal text ("4", "3.5") so that CES half-points survive JSON.
    score_counts = models.JSONField(null=True, blank=True)
    resolved = models.PositiveIntegerField(null=True, blank=True)
    ces_scale = models.PositiveSmallIntegerField(_("CES scale"), null=True, blank=True)
    recontact_window_days = models.PositiveSmallIntegerField(_("re-contact window (days)"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["metric", "period_year", "period_first_month", "-period_kind"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "metric", "period"], name="measurement_unique_metric_period"),
            models.CheckConstraint(
                condition=models.Q(ces_scale__isnull=True) | models.Q(ces_scale__in=[5, 7]), name="measurement_ces_scale_5_or_7"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "metric", "period_year", "period_first_month"], name="measurement_org_metric_idx"
            )
        ]

    def __str__(self):
        return f"{self.metric} {self.period}: {self.value}"

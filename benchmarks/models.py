"""Opt-in anonymous benchmarks: who takes part, and one denormalised row per dimension of each closed round."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OptIn(models.Model):
    """An organisation's choice to take part in benchmarks: opting in both contributes its scores and shows its peers'."""

    organisation = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE, related_name="benchmark_opt_in")
    opted_in = models.BooleanField(_("take part in benchmarks"), default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("benchmark opt-in")
        verbose_name_plural = _("benchmark opt-ins")

    def __str__(self):
        return f"{self.organisation_id}: {'in' if self.opted_in else 'out'}"


class DimensionResult(models.Model):
    """A dimension's score in a round's stored results, with the peer-group keys as they were when it was written.

    Written with the round's snapshot (on closing, and when consensus refreshes it), so the benchmark
    query reads one narrow table. ``score`` is null for an unscored dimension: the row still marks
    the round as the organisation's latest.
    """

    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="+", db_index=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey("assessments.Framework", on_delete=models.CASCADE, related_name="+")
    sector = models.CharField(max_length=20)
    size_band = models.CharField(max_length=10)
    dimension_key = models.CharField(max_length=20)
    score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    closed_at = models.DateTimeField()
    written_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("dimension result")
        verbose_name_plural = _("dimension results")
        constraints = [
            models.UniqueConstraint(fields=["round", "dimension_key"], name="unique_dimension_result"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="dimension_result_score_1_5"
            ),
        ]
        indexes = [
            # The peer group's rows of one dimension (one per round), in "latest round per organisation" order.
            models.Index(
                "framework",
                "sector",
                "size_band",
                "dimension_key",
                "organisation",
                models.F("closed_at").desc(),
                models.F("round").desc(),
                name="dimension_result_peer_group",
            ),
            # A round's scores without touching the table (covers the unique constraint's lookups too).
            models.Index(fields=["round", "dimension_key", "score"], name="dimension_result_round_scores"),
        ]

    def __str__(self):
        return f"{self.round_id}/{self.dimension_key}={self.score}"

"""Targets set by the committee per dimension (initiatives and RACI build on them)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="targets")
    dimension = models.ForeignKey("assessments.Dimension", on_delete=models.PROTECT, related_name="+")
    target = models.PositiveSmallIntegerField(_("target level"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    importance = models.PositiveSmallIntegerField(_("importance"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["round", "dimension"], name="unique_target"),
            models.CheckConstraint(condition=Q(target__gte=1, target__lte=5), name="target_1_5"),
            models.CheckConstraint(condition=Q(importance__gte=1, importance__lte=3), name="importance_1_3"),
        ]

    def __str__(self):
        return f"{self.round_id}/{self.dimension_id} → {self.target}"

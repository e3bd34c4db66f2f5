"""What a consulting firm brings to its clients' rounds: engagement templates, and which round started from which."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cxgov.language import active_language


class EngagementTemplate(models.Model):
    """A firm's starting point for new rounds: framework, anonymity, an introduction and default targets.

    `default_targets` maps a dimension key to its starting values, both optional:
    {"D1": {"target": 3, "importance": 2}, …} (target 1–5, importance 1–3).
    """

    firm = models.ForeignKey(
        "organisations.Firm", on_delete=models.CASCADE, related_name="engagement_templates", verbose_name=_("firm")
    )
    name = models.CharField(_("name"), max_length=120)
    framework = models.ForeignKey(
        "assessments.Framework", on_delete=models.PROTECT, related_name="+", verbose_name=_("framework")
    )
    anonymous = models.BooleanField(
        _("anonymous by default"), default=False, help_text=_("No answer is linked to a person or a function anywhere.")
    )
    introduction_fr = models.TextField(_("introduction (French)"), blank=True, max_length=4000)
    introduction_en = models.TextField(_("introduction (English)"), blank=True, max_length=4000)
    default_targets = models.JSONField(_("default targets"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table was created by organisations, which held this model until the templates moved
        # here (issue #14): keeping its name moves the model without copying a single row.
        db_table = "organisations_engagementtemplate"
        verbose_name = _("engagement template")
        verbose_name_plural = _("engagement templates")
        ordering = ["firm", "name"]
        constraints = [models.UniqueConstraint(fields=["firm", "name"], name="unique_engagement_template_name")]

    def __str__(self):
        return self.name

    @property
    def introduction(self) -> str:
        """The introduction in the active language, else in the other one."""
        first, second = ("en", "fr") if active_language() == "en" else ("fr", "en")
        return getattr(self, f"introduction_{first}") or getattr(self, f"introduction_{second}")


class RoundOrigin(models.Model):
    """The engagement template a round was started from.

    Kept here rather than on the round: assessments knows nothing of firms and their templates. A
    deleted template leaves the row with no template, and the round as it was.
    """

    round = models.OneToOneField("assessments.Round", on_delete=models.CASCADE, primary_key=True, related_name="origin")
    template = models.ForeignKey(
        EngagementTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_origins",
        verbose_name=_("engagement template"),
    )

    class Meta:
        verbose_name = _("round origin")
        verbose_name_plural = _("round origins")

    def __str__(self):
        return f"{self.round_id} ← {self.template_id}"

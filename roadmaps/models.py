"""Targets per dimension, the organisation's RACI roles, the to-be RACI and the roadmap of a round."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Bilingual


class Target(models.Model):
    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="targets")
    dimension = models.ForeignKey("assessments.Dimension", on_delete=models.PROTECT, related_name="+")
    target = models.PositiveSmallIntegerField(_("target level"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    importance = models.PositiveSmallIntegerField(
        _("importance"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
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


# --------------------------------------------------------------------------- RACI roles and cells


class OrgRole(Bilingual, models.Model):
    """A RACI column of an organisation: the framework's defaults (copied on first use), renamed or extended."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="raci_roles")
    key = models.SlugField(_("key"), max_length=40)
    title_fr = models.CharField(_("title (French)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("RACI role")
        verbose_name_plural = _("RACI roles")
        ordering = ["organisation", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="unique_org_role_key")]

    def __str__(self):
        return f"{self.organisation_id}/{self.key}"


class OrgActivity(models.Model):
    """An organisation's choice about one RACI activity of the frameworks: shown or hidden.

    Only activities the organisation touched have a row; no row means shown. A hidden activity is not
    asked in the questionnaire, proposed or validated in the to-be RACI, nor exported with its letters.
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="raci_activity_choices")
    key = models.SlugField(_("key"), max_length=40)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        verbose_name = _("RACI activity")
        verbose_name_plural = _("RACI activities")
        ordering = ["organisation", "key"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="unique_org_activity_key")]

    def __str__(self):
        return f"{self.organisation_id}/{self.key}"


class Letter(models.TextChoices):
    R = "R", _("R · Responsible")
    A = "A", _("A · Accountable")
    C = "C", _("C · Consulted")
    I = "I", _("I · Informed")  # noqa: E741


class RaciCell(models.Model):
    """One non-empty cell of a round's to-be RACI (an empty cell has no row)."""

    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="raci_cells")
    activity = models.CharField(max_length=40)
    role = models.CharField(max_length=40)
    letter = models.CharField(max_length=1, choices=Letter.choices)
    # Why the cell holds its letter, as a code and its parameters, worded in the reader's language
    # when shown (roadmaps/raci_messages.py, docs/adr/0003): a proposal's reason, or "manual".
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    proposed = models.BooleanField(default=False, help_text="The letter is the generated proposal's, not set by hand.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RACI cell")
        verbose_name_plural = _("RACI cells")
        constraints = [
            models.UniqueConstraint(fields=["round", "activity", "role"], name="unique_raci_cell"),
            models.CheckConstraint(condition=Q(letter__in=["R", "A", "C", "I"]), name="raci_cell_letter"),
        ]

    def __str__(self):
        return f"{self.round_id}/{self.activity}/{self.role}={self.letter}"


# --------------------------------------------------------------------------- roadmap


class Roadmap(models.Model):
    """Per-round roadmap settings: month 0 and the number of starts per horizon."""

    round = models.OneToOneField("assessments.Round", on_delete=models.CASCADE, related_name="roadmap")
    start_date = models.DateField(_("start date"))
    capacity = models.PositiveSmallIntegerField(
        _("initiatives starting per horizon"), default=6, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    generated_at = models.DateTimeField(null=True, blank=True)
    raci_proposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=30), name="roadmap_capacity_1_30")]

    def __str__(self):
        return f"roadmap of {self.round_id}"


class SelectedBy(models.TextChoices):
    GAP = "gap", _("level step")
    PREREQUISITE = "prerequisite", _("prerequisite")
    CONTEXT = "context", _("context")
    CUSTOM = "custom", _("added by hand")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class RoadmapItem(Bilingual, models.Model):
    """One initiative of a round's roadmap: generated from the library, or custom (added by hand)."""

    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="roadmap_items")
    key = models.CharField(max_length=80)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    dimension = models.CharField(max_length=20, null=True, blank=True)
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    start_month = models.PositiveSmallIntegerField(_("start month"))
    duration_months = models.PositiveSmallIntegerField(_("duration in months"), default=1)
    priority = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    quick_win = models.BooleanField(default=False)
    activity = models.CharField(max_length=40, blank=True)
    kpis = models.JSONField(default=list, blank=True, help_text="[{metric, drives}]")
    prerequisites = models.JSONField(default=list, blank=True, help_text="[initiative key]")
    selected_by = models.CharField(max_length=12, choices=SelectedBy.choices)
    locked = models.BooleanField(_("locked"), default=False)
    custom = models.BooleanField(default=False)
    owner_role = models.CharField(_("owner"), max_length=40, null=True, blank=True)
    owner_overridden = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("roadmap initiative")
        verbose_name_plural = _("roadmap initiatives")
        ordering = ["round", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="unique_roadmap_item_key"),
            models.CheckConstraint(condition=Q(duration_months__gte=1), name="roadmap_item_duration_1"),
            models.CheckConstraint(
                condition=Q(from_level__isnull=True) | Q(from_level__gte=1, from_level__lte=4), name="roadmap_item_from_level_1_4"
            ),
            models.CheckConstraint(
                condition=Q(effort__isnull=True) | Q(effort__gte=1, effort__lte=3), name="roadmap_item_effort_1_3"
            ),
            models.CheckConstraint(
                condition=Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=3), name="roadmap_item_impact_1_3"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "dropped"]), name="roadmap_item_status"
            ),
            models.CheckConstraint(
                condition=Q(selected_by__in=["gap", "prerequisite", "context", "custom"]), name="roadmap_item_selected_by"
            ),
            models.CheckConstraint(condition=Q(custom=False) | Q(selected_by="custom"), name="roadmap_item_custom_selected_by"),
            models.CheckConstraint(condition=~Q(title_fr="", title_en=""), name="roadmap_item_has_title"),
        ]

    def __str__(self):
        return f"{self.round_id}/{self.key}"

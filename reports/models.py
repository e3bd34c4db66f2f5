"""A requested PDF of a round: its status, and the stored file once rendered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Report(models.Model):
    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="reports")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    # Hash of everything the PDF shows: the same content is never rendered twice.
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to="reports/", blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    build_ms = models.PositiveIntegerField(default=0)
    render_ms = models.PositiveIntegerField(default=0)
    # Renders started (claimed, or taken over after a worker died): the sweep gives up after a few.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["round", "language", "content_hash"])]

    def __str__(self):
        return f"report {self.pk} of round {self.round_id} ({self.language}, {self.status})"

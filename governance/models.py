"""Steering rhythm, role holders and the decision log (issue #17).

A consumer of the to-be RACI (roadmaps): the accountable roles of a round's validated RACI are the
people a steering meeting gathers, and a decision is valid only from the role accountable for its
activity. Nothing below governance reads these models; reports and privacy read them by label.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleHolder(models.Model):
    """Who holds one RACI role of the organisation: the person a steering meeting invites for it."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="role_holders")
    role = models.CharField(_("role"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("role holder")
        verbose_name_plural = _("role holders")
        constraints = [models.UniqueConstraint(fields=["organisation", "role"], name="unique_role_holder")]

    def __str__(self):
        return f"{self.organisation_id}/{self.role}"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class SteeringRhythm(models.Model):
    """The customer-experience steering meetings proposed from a round's validated to-be RACI.

    ``sequence`` is the iCalendar SEQUENCE: it grows whenever the series changes, so calendars
    replace the series they hold; ``invited_sequence`` is the sequence the invitations were last
    sent for (sending again for the same sequence sends nothing).
    """

    round = models.OneToOneField("assessments.Round", on_delete=models.CASCADE, related_name="steering")
    cadence = models.CharField(_("cadence"), max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY)
    first_meeting = models.DateField(_("first meeting"))
    start_time = models.TimeField(_("start time"), default="09:00")
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    location = models.CharField(_("place or video link"), max_length=200, blank=True)
    uid = models.CharField(max_length=80, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    invited_sequence = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("steering rhythm")
        verbose_name_plural = _("steering rhythms")

    def __str__(self):
        return f"{self.round_id}/{self.cadence}"


class AgendaMailing(models.Model):
    """One agenda sent for one meeting: the unique row is what makes the daily scheduler idempotent."""

    rhythm = models.ForeignKey(SteeringRhythm, on_delete=models.CASCADE, related_name="mailings")
    meeting_date = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rhythm", "meeting_date"], name="unique_agenda_mailing")]

    def __str__(self):
        return f"{self.rhythm_id}/{self.meeting_date}"


class Decision(models.Model):
    """A decision of the steering committee, taken by the role accountable for its activity.

    ``initiative_keys`` are the keys of the round's roadmap items it concerns (keys, not foreign
    keys: a regenerated roadmap keeps its keys, and the organisation file carries them as they are).
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="decisions")
    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("decision"), max_length=200)
    rationale = models.TextField(_("rationale"), max_length=4000, blank=True)
    decided_on = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=40)
    deciding_role = models.CharField(_("deciding role"), max_length=40)
    initiative_keys = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-created_at"]

    def __str__(self):
        return self.title

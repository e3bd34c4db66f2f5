"""One recorded change: who, when, which kind of object, named how, with which fields before → after."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="audit_events")
    round = models.ForeignKey("assessments.Round", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Who made the change. The actor's name and e-mail are read through this link only (never
    # copied here), so erasing the person anonymises every line they made.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The member a change is about (invited, role changed, removed): their name or e-mail is in
    # ``target`` and nowhere else, so erasing them clears that one field.
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    #: The URL name of the page the change was made on (e.g. ``roadmaps:raci``).
    action = models.CharField(_("action"), max_length=80, blank=True)
    #: The kind of object (``round``, ``raci``, ``initiative`` …), see audit/labels.py.
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    verb = models.CharField(max_length=20, blank=True)
    #: The object's human name when the change was made (a round's title, an initiative's).
    target = models.CharField(max_length=300, blank=True)
    #: ``[{"field", "before", "after", "label"?}]``
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at", "-id"], name="audit_org_recent")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_id} {self.kind or self.action} {self.verb}"

"""Records every successful change made through an organisation's pages (POST that did not fail).

Done once here rather than in each view, so a new editing page is audited without anyone
remembering to. Answering a questionnaire is not a change to audit: those URLs are excluded.
"""

from django.urls import resolve
from django.urls.exceptions import Resolver404

AUDITED_NAMESPACES = {"assessments", "roadmaps", "organisations", "reports", "sharing", "benchmarks", "measurement"}
# Participants answering (and the public token pages) are not organisational changes.
NOT_AUDITED = {
    "assessments:answer_save",
    "assessments:answer_choice_save",
    "assessments:answer_page",
    "assessments:answer_submit",
    "assessments:sign_in",
    "assessments:new_link",
    "assessments:delegation_answer",
    "assessments:delegation_create",
    "assessments:delegation_revoke",
    "organisations:invitation",
    "reports:request",
    "reports:retry",
}
SECRET_FIELDS = ("csrfmiddlewaretoken", "password")
MAX_VALUE = 200


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and response.status_code < 400 and getattr(request, "user", None) and request.user.is_authenticated:
            self._record(request)
        return response

    def _record(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return
        name = f"{match.namespace}:{match.url_name}"
        slug = match.kwargs.get("slug")
        if match.namespace not in AUDITED_NAMESPACES or name in NOT_AUDITED or not slug:
            return
        from organisations.models import Membership

        from .models import AuditEvent

        membership = Membership.objects.filter(user=request.user, organisation__slug=slug).select_related("organisation").first()
        if membership is None:
            return
        values = {
            key: (request.POST.getlist(key) if len(request.POST.getlist(key)) > 1 else request.POST.get(key, ""))[:MAX_VALUE]
            for key in request.POST
            if not any(secret in key for secret in SECRET_FIELDS)
        }
        round_id = match.kwargs.get("round_id")
        AuditEvent.objects.create(
            organisation=membership.organisation,
            round_id=round_id if round_id and membership.organisation.rounds.filter(pk=round_id).exists() else None,
            actor=request.user,
            action=name,
            path=request.path_info[:300],
            values={k: v for k, v in values.items() if k != "was"},
        )

"""Report URLs, under a round; the round's JSON export beside the other downloads."""

from django.urls import path

from . import views, views_exports
from .views_mirror import mirror

app_name = "reports"

ROUND = "o/<slug:slug>/rounds/<int:round_id>/"
R = ROUND + "reports/"

urlpatterns = [
    path(R, views.reports, name="list"),
    path(R + "request/", views.request_report, name="request"),
    path(R + "<int:report_id>/status/", views.status, name="status"),
    path(R + "<int:report_id>/download/", views.download, name="download"),
    path(R + "<int:report_id>/retry/", views.retry, name="retry"),
    path(ROUND + "export/round.json", views_exports.export_json, name="export_json"),
    path(ROUND + "mirror.pdf", mirror, name="mirror_pdf"),
    path(ROUND + "mirror/<int:participant_id>.pdf", mirror, name="mirror_participant_pdf"),
]

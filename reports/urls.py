"""Report URLs, under a round."""

from django.urls import path

from . import views

app_name = "reports"

R = "o/<slug:slug>/rounds/<int:round_id>/reports/"

urlpatterns = [
    path(R, views.reports, name="list"),
    path(R + "request/", views.request_report, name="request"),
    path(R + "<int:report_id>/status/", views.status, name="status"),
    path(R + "<int:report_id>/download/", views.download, name="download"),
    path(R + "<int:report_id>/retry/", views.retry, name="retry"),
]

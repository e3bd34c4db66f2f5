"""Decision log pages and accountability health."""

from django.urls import path

from . import views_decisions

R = "o/<slug:slug>/rounds/<int:round_id>/"

urlpatterns = [
    path(R + "decisions/", views_decisions.decisions, name="decisions"),
    path(R + "decisions/record/", views_decisions.decision_record, name="decision_record"),
]

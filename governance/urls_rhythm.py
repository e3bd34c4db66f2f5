"""Steering rhythm pages: role holders, the meeting series, its calendar file and agenda."""

from django.urls import path

from . import views_rhythm

R = "o/<slug:slug>/rounds/<int:round_id>/steering/"

urlpatterns = [
    path("o/<slug:slug>/steering/roles/", views_rhythm.role_holders, name="role_holders"),
    path(R, views_rhythm.rhythm, name="rhythm"),
    path(R + "calendar.ics", views_rhythm.rhythm_calendar, name="rhythm_calendar"),
    path(R + "invite/", views_rhythm.rhythm_invite, name="rhythm_invite"),
    path(R + "agenda/", views_rhythm.agenda, name="agenda"),
]

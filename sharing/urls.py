"""Share-link URLs: management under a round, and the public pages under /s/."""

from django.urls import path

from . import views

app_name = "sharing"

R = "o/<slug:slug>/rounds/<int:round_id>/share/"

urlpatterns = [
    path(R, views.links, name="links"),
    path(R + "new/", views.create, name="create"),
    path(R + "<int:link_id>/revoke/", views.revoke, name="revoke"),
    path("s/<str:token>/", views.public, name="public"),
    path("s/<str:token>/pdf/", views.public_pdf, name="public_pdf"),
]

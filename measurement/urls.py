"""KPI register URLs, under /o/<slug>/measurement/."""

from django.urls import path

from . import views

app_name = "measurement"

M = "o/<slug:slug>/measurement/"

urlpatterns = [
    path(M, views.register, name="register"),
    path(M + "tree/", views.tree, name="tree"),
    path(M + "import/", views.import_csv, name="import"),
    path(M + "values/new/", views.create, name="create"),
    path(M + "values/<int:measurement_id>/edit/", views.edit, name="edit"),
    path(M + "values/<int:measurement_id>/delete/", views.delete, name="delete"),
    path(M + "metrics/<str:metric>/", views.trend, name="trend"),
]

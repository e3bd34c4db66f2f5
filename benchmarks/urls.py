"""Benchmark URLs, under an organisation."""

from django.urls import path

from . import views

app_name = "benchmarks"

urlpatterns = [
    path("o/<slug:slug>/benchmarks/", views.opt_in, name="opt_in"),
]

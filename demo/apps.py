"""Demo: the top layer that calls each app's demo seeding in order; no models, no pages."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"

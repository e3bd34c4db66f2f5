"""Operators can see who takes part in benchmarks; the rows themselves are derived data."""

from django.contrib import admin

from .models import OptIn


@admin.register(OptIn)
class OptInAdmin(admin.ModelAdmin):
    list_display = ["organisation", "opted_in", "changed_by", "changed_at"]
    list_filter = ["opted_in"]
    raw_id_fields = ["organisation", "changed_by"]

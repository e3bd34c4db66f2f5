"""Operators can browse the KPI register (read-only: members edit it through the application,
where the period's sortable fields and the statistics' counts are kept consistent)."""

from django.contrib import admin

from .models import Measurement


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["organisation", "metric", "period", "value", "n", "source", "updated_at"]
    list_filter = ["metric", "period_kind"]
    search_fields = ["organisation__name", "organisation__slug", "period", "source"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""Operators manage firms' engagement templates in the admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .models import EngagementTemplate
from .services import default_targets_clean


class EngagementTemplateAdminForm(forms.ModelForm):
    class Meta:
        model = EngagementTemplate
        fields = ["firm", "name", "framework", "anonymous", "introduction_fr", "introduction_en", "default_targets"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("framework") is not None:
            try:
                cleaned["default_targets"] = default_targets_clean(
                    framework=cleaned["framework"], raw=cleaned.get("default_targets")
                )
            except ValidationError as error:
                self.add_error("default_targets", error)
        return cleaned


@admin.register(EngagementTemplate)
class EngagementTemplateAdmin(admin.ModelAdmin):
    form = EngagementTemplateAdminForm
    list_display = ["name", "firm", "framework", "anonymous"]
    list_filter = ["firm"]
    search_fields = ["name"]

"""Admin: frameworks are read-only (a (key, version) is immutable); rounds are browsable."""

from django.contrib import admin

from .models import Dimension, Framework, Participant, Question, Round


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DimensionInline(admin.TabularInline):
    model = Dimension
    # A tuple: both attributes accept one, where a list of str fits only readonly_fields' type.
    fields = readonly_fields = ("key", "title_fr", "title_en", "area", "weight")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["key", "version", "title_fr", "imported_at"]
    inlines = [DimensionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["key", "framework", "text_fr"]
    list_filter = ["framework"]
    search_fields = ["key", "text_fr", "text_en"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "anonymous", "due_date", "created_at"]
    list_filter = ["status", "anonymous"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "created_by", "previous"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "round", "function", "submitted_at", "withdrawn_at"]
    raw_id_fields = ["user", "round"]
    exclude = ["nonce"]

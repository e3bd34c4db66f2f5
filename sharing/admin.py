"""Operators can see and revoke share links (the token itself is never shown)."""

from django.contrib import admin

from .models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["round", "label", "created_by", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    raw_id_fields = ["round", "created_by"]
    exclude = ["nonce"]

    def has_add_permission(self, request):
        return False  # links are made from the round's Share page, which signs them

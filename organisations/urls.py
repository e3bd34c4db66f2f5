"""Organisation URLs: everything under /o/<slug>/ is scoped to that organisation (its home page is workspace's)."""

from django.urls import path

from . import views, views_audit, views_undo

app_name = "organisations"

urlpatterns = [
    path("organisations/new/", views.create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("o/<slug:slug>/settings/", views.settings_view, name="settings"),
    path("o/<slug:slug>/brand.css", views.brand_css, name="brand_css"),
    path("o/<slug:slug>/logo.png", views.logo, name="logo"),
    path("o/<slug:slug>/members/", views.members, name="members"),
    path("o/<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("o/<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("o/<slug:slug>/invitations/<int:invitation_id>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("o/<slug:slug>/undo/", views_undo.undo, name="undo"),
    path("o/<slug:slug>/audit/", views_audit.audit_log, name="audit_log"),
]

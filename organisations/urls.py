"""Organisation and firm URLs (everything under /o/<slug>/ is scoped to that organisation, /firm/<id>/ to that firm)."""

from django.urls import path

from . import views, views_audit, views_undo

app_name = "organisations"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/new/", views.create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("o/<slug:slug>/", views.detail, name="detail"),
    path("o/<slug:slug>/settings/", views.settings_view, name="settings"),
    path("o/<slug:slug>/brand.css", views.brand_css, name="brand_css"),
    path("o/<slug:slug>/logo.png", views.logo, name="logo"),
    path("o/<slug:slug>/members/", views.members, name="members"),
    path("o/<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("o/<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("o/<slug:slug>/invitations/<int:invitation_id>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("o/<slug:slug>/undo/", views_undo.undo, name="undo"),
    path("o/<slug:slug>/audit/", views_audit.audit_log, name="audit_log"),
    # The firm workspace: everything under /firm/<firm_id>/ is scoped to the firms the user is a member of.
    path("firm/", views.firm_home, name="firm_home"),
    path("firm/<int:firm_id>/", views.firm_settings, name="firm_settings"),
    path("firm/<int:firm_id>/brand.css", views.firm_brand_css, name="firm_brand_css"),
    path("firm/<int:firm_id>/logo.png", views.firm_logo, name="firm_logo"),
    path("firm/<int:firm_id>/templates/", views.firm_templates, name="firm_templates"),
    path("firm/<int:firm_id>/templates/new/", views.firm_template_create, name="firm_template_create"),
    path("firm/<int:firm_id>/templates/<int:template_id>/", views.firm_template_edit, name="firm_template_edit"),
    path("firm/<int:firm_id>/templates/<int:template_id>/delete/", views.firm_template_delete, name="firm_template_delete"),
]

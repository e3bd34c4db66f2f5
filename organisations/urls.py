"""Organisation URLs (everything under /o/<slug>/ is scoped to that organisation)."""

from django.urls import path

from . import views

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
]

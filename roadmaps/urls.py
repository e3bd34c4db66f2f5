"""Targets, roadmap, to-be RACI and RACI role URLs (under the round's and the organisation's paths)."""

from django.urls import path

from . import views, views_exports, views_targets

app_name = "roadmaps"

R = "o/<slug:slug>/rounds/<int:round_id>/"
ITEM = R + "roadmap/items/<int:item_id>/"

urlpatterns = [
    path(R + "results/targets/", views_targets.targets, name="targets"),
    path(R + "roadmap/", views.roadmap, name="roadmap"),
    path(R + "roadmap/regenerate/", views.roadmap_regenerate, name="roadmap_regenerate"),
    path(R + "roadmap/settings/", views.roadmap_settings, name="roadmap_settings"),
    path(R + "roadmap/items/new/", views.item_add, name="item_add"),
    path(ITEM + "move/", views.item_move, name="item_move"),
    path(ITEM + "lock/", views.item_lock, name="item_lock"),
    path(ITEM + "owner/", views.item_owner, name="item_owner"),
    path(ITEM + "status/", views.item_status, name="item_status"),
    path(ITEM + "remove/", views.item_remove, name="item_remove"),
    path(R + "raci/", views.raci, name="raci"),
    path(R + "raci/propose/", views.raci_propose, name="raci_propose"),
    path(R + "export/roadmap.<str:fmt>", views_exports.export_roadmap, name="export_roadmap"),
    path(R + "export/raci.<str:fmt>", views_exports.export_raci, name="export_raci"),
    path("o/<slug:slug>/roles/", views.roles, name="roles"),
    path("o/<slug:slug>/roles/<int:role_id>/", views.role_edit, name="role_edit"),
    path("o/<slug:slug>/roles/<int:role_id>/remove/", views.role_remove, name="role_remove"),
]

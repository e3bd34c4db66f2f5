"""Workspace URLs: the home page, an organisation's rounds and its new-round page, and the firm (/firm/<id>/)."""

from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("o/<slug:slug>/", views.detail, name="detail"),
    path("o/<slug:slug>/rounds/new/", views.round_create, name="round_create"),
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

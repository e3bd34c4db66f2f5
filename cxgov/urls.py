"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from cxgov import pages

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("organisations.urls")),
    path("", include("workspace.urls")),
    path("", include("measurement.urls")),
    path("", include("roadmaps.urls")),
    path("", include("governance.urls")),
    path("", include("benchmarks.urls")),
    path("", include("sharing.urls")),
]

# The 500 page says whether anyone is notified (only when ADMINS is set): see cxgov/errors.py.
handler500 = "cxgov.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

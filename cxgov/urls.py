"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("audit.urls")),
    path("", include("organisations.urls")),
    path("", include("measurement.urls")),
    path("", include("roadmaps.urls")),
    path("", include("benchmarks.urls")),
    path("", include("sharing.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

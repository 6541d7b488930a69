"""All API routes, mounted under /api/."""

from django.urls import include
from django.urls import path

app_name = "api"

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("wilayah.api.urls")),
    path("", include("koperasi.api.urls")),
    path("", include("members.api.urls")),
    path("", include("simpanan.api.urls")),
    path("", include("impor.api.urls")),
    path("", include("units.api.urls")),
    path("", include("bumdes.api.urls")),
    path("", include("targets.api.urls")),
    path("", include("pendampingan.api.urls")),
    path("", include("pembangunan.api.urls")),
    path("", include("kegiatan.api.urls")),
    path("", include("reports.api.urls")),
]

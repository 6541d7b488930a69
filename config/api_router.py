"""All API routes, mounted under /api/."""

from django.urls import include
from django.urls import path

app_name = "api"

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("wilayah.api.urls")),
]

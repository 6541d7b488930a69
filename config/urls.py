from django.conf import settings
from django.contrib import admin
from django.urls import include
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularSwaggerView

from home.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("wilayah/", include("wilayah.urls")),
    path("koperasi/", include("koperasi.urls")),
    path("koperasi/", include("members.urls")),
    path("koperasi/", include("units.urls")),
    path("bumdes/", include("bumdes.urls")),
    path("target/", include("targets.urls")),
    path("pendampingan/", include("pendampingan.urls")),
    path("", include("reports.urls")),
    path("pengguna/", include("accounts.urls")),
    path("notifikasi/", include("notifications.urls")),
    path("api/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

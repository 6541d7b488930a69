from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularSwaggerSplitView

from core.api.exceptions import ApiErrorPages
from home.views import HomeView

# The admin site signs people in through allauth (as allauth's documentation advises), so that its
# rate limits, e-mail verification and two-factor authentication apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # The dashboards first: the most requested pages, resolved without trying every other app's patterns (none of
    # which starts with dasbor/ or ekspor/, so the order changes no match).
    path("", include("reports.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("wilayah/", include("wilayah.urls")),
    path("koperasi/", include("koperasi.urls")),
    path("koperasi/", include("members.urls")),
    path("koperasi/", include("units.urls")),
    path("", include("simpanan.urls")),
    path("bumdes/", include("bumdes.urls")),
    path("target/", include("targets.urls")),
    path("pendampingan/", include("pendampingan.urls")),
    path("impor/", include("impor.urls")),
    path("pembangunan/", include("pembangunan.urls")),
    path("kegiatan/", include("kegiatan.urls")),
    path("pengguna/", include("accounts.urls")),
    path("notifikasi/", include("notifications.urls")),
    path("api/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own: no inline script for the CSP to refuse.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/api_docs.html"),
         name="api-docs"),
    path("admin/", admin.site.urls),
]

# Under /api/ errors are JSON as the API's schema documents them, also those no API view answers.
_errors = ApiErrorPages(prefix="/api/")
handler400 = _errors.bad_request
handler403 = _errors.permission_denied
handler404 = _errors.page_not_found
handler500 = _errors.server_error

# No route serves MEDIA_ROOT, not even in DEBUG (the quickstart): every uploaded or exported file is private
# (core.storage) and reaches its reader through a view that checks scope first. Django's static() route for
# the media had served anyone, signed in or not, an officer's export under its predictable name.

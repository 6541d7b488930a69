from django.urls import path
from django.urls import re_path

from . import views

app_name = "reports"

CODE = r"(?P<code>ID|\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)"

urlpatterns = [
    path("dasbor/", views.DashboardView.as_view(), name="dashboard"),
    path("dasbor/belum-update/", views.NotUpdatedView.as_view(), name="not-updated"),
    path("dasbor/ekspor/", views.ExportRequestView.as_view(), name="export-request"),
    path("dasbor/federasi/<int:pk>/", views.FederationDashboardView.as_view(), name="federation-dashboard"),
    re_path(rf"^dasbor/{CODE}/$", views.DashboardView.as_view(), name="dashboard-area"),
    re_path(rf"^dasbor/{CODE}/belum-update/$", views.NotUpdatedView.as_view(), name="not-updated-area"),
    re_path(rf"^dasbor/{CODE}/ekspor/$", views.ExportRequestView.as_view(), name="export-request-area"),
    re_path(r"^dasbor/(?P<code>\d{2}(\.\d{2}(\.\d{2})?)?)/kop-surat/$", views.LetterheadView.as_view(),
            name="letterhead"),
    path("ekspor/<uuid:pk>/", views.ExportJobView.as_view(), name="export"),
    path("ekspor/<uuid:pk>/unduh/", views.ExportDownloadView.as_view(), name="export-download"),
]

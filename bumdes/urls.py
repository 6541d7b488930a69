from django.urls import path

from . import views

app_name = "bumdes"

urlpatterns = [
    path("", views.BumdesListView.as_view(), name="list"),
    path("daftar/", views.BumdesRegisterView.as_view(), name="register"),
    path("<int:pk>/", views.BumdesDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.BumdesEditView.as_view(), name="edit"),
    path("federasi/", views.FederationListView.as_view(), name="federation-list"),
    path("federasi/daftar/", views.FederationRegisterView.as_view(), name="federation-register"),
    path("federasi/<int:pk>/", views.FederationDetailView.as_view(), name="federation-detail"),
    path("federasi/<int:pk>/ubah/", views.FederationEditView.as_view(), name="federation-edit"),
    path("federasi/<int:pk>/lokasi/baru/", views.SiteCreateView.as_view(), name="site-create"),
    path("lokasi/", views.SiteListView.as_view(), name="site-list"),
    path("lokasi/<int:pk>/", views.SiteDetailView.as_view(), name="site-detail"),
    path("kerja-sama/", views.AgreementListView.as_view(), name="agreement-list"),
    path("kerja-sama/baru/", views.AgreementCreateView.as_view(), name="agreement-create"),
    path("kerja-sama/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("kerja-sama/<int:pk>/dokumen/", views.AgreementDocumentView.as_view(), name="agreement-document"),
]

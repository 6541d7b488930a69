from django.urls import path

from . import views

app_name = "koperasi"

urlpatterns = [
    path("", views.CooperativeListView.as_view(), name="list"),
    path("daftar/", views.CooperativeRegisterView.as_view(), name="register"),
    path("verifikasi/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("dokumen/<int:pk>/", views.DocumentDownloadView.as_view(), name="document"),
    path("<int:pk>/", views.CooperativeDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.CooperativeEditView.as_view(), name="edit"),
    path("<int:pk>/tahap/<slug:stage>/", views.StageView.as_view(), name="stage"),
]

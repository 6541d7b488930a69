from django.urls import path

from . import views

app_name = "pembangunan"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("peta.json", views.MapPointsView.as_view(), name="map-points"),
    path("lahan/", views.PlotListView.as_view(), name="plots"),
    path("lahan/baru/", views.PlotCreateView.as_view(), name="plot-create"),
    path("lahan/<int:pk>/", views.PlotDetailView.as_view(), name="plot"),
    path("proyek/<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("proyek/<int:pk>/serah-terima/", views.HandoverDownloadView.as_view(), name="handover"),
    path("foto/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("dokumen/<int:pk>/", views.DocumentDownloadView.as_view(), name="document"),
    path("usaha/", views.BusinessView.as_view(), name="business"),
]

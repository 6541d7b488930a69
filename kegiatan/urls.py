from django.urls import path

from . import views

app_name = "kegiatan"

urlpatterns = [
    path("", views.EventListView.as_view(), name="events"),
    path("baru/", views.EventCreateView.as_view(), name="event-create"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event"),
    path("<int:pk>/hadir/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/daftar-hadir.pdf", views.DaftarHadirView.as_view(), name="daftar-hadir"),
    path("<int:pk>/daftar-hadir.<str:fmt>", views.AttendanceExportView.as_view(), name="attendance-export"),
    path("templat-daftar-hadir.xlsx", views.AttendanceImportTemplateView.as_view(), name="attendance-template"),
    path("mitra/", views.PartnerListView.as_view(), name="partners"),
    path("mitra/<int:pk>/", views.PartnerDetailView.as_view(), name="partner"),
    path("kesepakatan/", views.DealListView.as_view(), name="deals"),
    path("kesepakatan/<int:pk>/", views.DealDetailView.as_view(), name="deal"),
    path("kesepakatan/ekspor.<str:fmt>", views.DealExportView.as_view(), name="deals-export"),
    path("ruang/", views.SpaceListView.as_view(), name="spaces"),
    path("ruang/<int:pk>/", views.SpaceDetailView.as_view(), name="space"),
    path("ruang/<int:pk>/pemakaian.<str:fmt>", views.SpaceUsageExportView.as_view(), name="space-usage-export"),
]

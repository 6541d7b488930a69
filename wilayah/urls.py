from django.urls import path

from . import views

app_name = "wilayah"

urlpatterns = [
    path("", views.RegionRootView.as_view(), name="root"),
    path("cari/", views.RegionSearchView.as_view(), name="search"),
    path("pilihan/", views.RegionOptionsView.as_view(), name="options"),
    path("<str:code>/", views.RegionDetailView.as_view(), name="detail"),
]

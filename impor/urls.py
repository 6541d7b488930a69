from django.urls import path

from . import views

app_name = "impor"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("koperasi/<int:pk>/", views.CooperativeImportView.as_view(), name="cooperative"),
    path("templat/<slug:kind>/", views.ImportTemplateView.as_view(), name="template"),
    path("<uuid:pk>/", views.ImportJobView.as_view(), name="job"),
    path("<uuid:pk>/status/", views.ImportStatusView.as_view(), name="status"),
    path("<uuid:pk>/galat/", views.ImportErrorsView.as_view(), name="errors"),
]

from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.TargetListView.as_view(), name="list"),
    path("baru/", views.TargetCreateView.as_view(), name="create"),
    path("<int:pk>/", views.TargetDetailView.as_view(), name="detail"),
]

from django.urls import path

from . import views

app_name = "pendampingan"

urlpatterns = [
    path("", views.VisitListView.as_view(), name="list"),
    path("koordinator/", views.CoordinatorListView.as_view(), name="coordinators"),
]

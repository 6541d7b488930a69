from django.urls import path

from . import views

app_name = "simpanan"

urlpatterns = [
    path("<int:pk>/simpanan/", views.SavingsOverviewView.as_view(), name="overview"),
]

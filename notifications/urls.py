from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("pengaturan/", views.NotificationPreferencesView.as_view(), name="preferences"),
    path("<int:pk>/buka/", views.NotificationOpenView.as_view(), name="open"),
]

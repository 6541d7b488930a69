from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("<int:pk>/anggota/", views.MemberListView.as_view(), name="list"),
    path("<int:pk>/anggota/<int:member>/", views.MemberDetailView.as_view(), name="detail"),
]

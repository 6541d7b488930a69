from django.urls import path
from django.urls import re_path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.UserListView.as_view(), name="list"),
    path("baru/", views.UserCreateView.as_view(), name="create"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("<int:pk>/", views.UserDetailView.as_view(), name="detail"),
    re_path(r"^(?P<pk>\d+)/(?P<operation>deactivate|reactivate|revoke)/$", views.UserStatusView.as_view(),
            name="status"),
]

from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("akses-data-pribadi/", views.PersonalDataReadListView.as_view(), name="personal-data-reads"),
    path("daftar-anggota/", views.SelfRegistrationView.as_view(), name="self-registration"),
    path("<int:pk>/anggota/pendaftaran/", views.ApplicationListView.as_view(), name="applications"),
    path("<int:pk>/anggota/", views.MemberListView.as_view(), name="list"),
    path("<int:pk>/anggota/<int:member>/", views.MemberDetailView.as_view(), name="detail"),
]

from django.urls import path

from . import views

app_name = "simpanan"

urlpatterns = [
    path("simpanan/", views.AreaSavingsView.as_view(), name="area"),
    path("koperasi/<int:pk>/simpanan/", views.SavingsOverviewView.as_view(), name="overview"),
    path("koperasi/<int:pk>/simpanan/tunggakan/", views.ArrearsView.as_view(), name="arrears"),
    path("koperasi/<int:pk>/simpanan/anggota/<int:member>/", views.MemberSavingsView.as_view(), name="member"),
    path("koperasi/<int:pk>/simpanan/anggota/<int:member>/rekening.pdf", views.StatementPdfView.as_view(),
         name="statement"),
    path("koperasi/<int:pk>/simpanan/kwitansi/<int:posting>/", views.ReceiptView.as_view(), name="receipt"),
    path("koperasi/<int:pk>/simpanan/shu/", views.ShuListView.as_view(), name="shu-list"),
    path("koperasi/<int:pk>/simpanan/shu/<int:year>/", views.ShuDetailView.as_view(), name="shu"),
]

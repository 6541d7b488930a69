from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("<int:pk>/unit/baru/", views.LocalUnitCreateView.as_view(), name="add"),
    path("<int:pk>/unit/<int:unit>/", views.UnitEditView.as_view(), name="edit"),
]

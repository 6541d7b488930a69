from django.urls import path
from django.urls import re_path

from .views import RollupDetailApi
from .views import RollupListApi

urlpatterns = [
    path("rollups/", RollupListApi.as_view(), name="rollup-list"),
    re_path(r"^rollups/(?P<code>ID|\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)/$", RollupDetailApi.as_view(),
            name="rollup-detail"),
]

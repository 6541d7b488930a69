from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import MeApi
from .views import TokenApi
from .views import UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    path("auth/token/", TokenApi.as_view(), name="token"),
    *router.urls,
]

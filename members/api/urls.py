from rest_framework.routers import SimpleRouter

from .views import MemberApplicationViewSet
from .views import MemberViewSet
from .views import PositionViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("members", MemberViewSet, basename="member")
router.register("member-applications", MemberApplicationViewSet, basename="member-application")
router.register("positions", PositionViewSet, basename="position")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from .views import TargetViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("targets", TargetViewSet, basename="target")

urlpatterns = router.urls

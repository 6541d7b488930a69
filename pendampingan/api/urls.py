from rest_framework.routers import SimpleRouter

from .views import VisitViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")

urlpatterns = router.urls

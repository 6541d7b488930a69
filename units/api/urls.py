from rest_framework.routers import SimpleRouter

from .views import UnitTypeViewSet
from .views import UnitViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("unit-types", UnitTypeViewSet, basename="unit-type")

urlpatterns = router.urls

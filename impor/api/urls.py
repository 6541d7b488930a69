from rest_framework.routers import SimpleRouter

from .views import ImportJobViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("imports", ImportJobViewSet, basename="import")

urlpatterns = router.urls

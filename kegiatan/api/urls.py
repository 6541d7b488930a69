from rest_framework.routers import SimpleRouter

from .views import BookingViewSet
from .views import DealViewSet
from .views import EventViewSet
from .views import PartnerViewSet
from .views import SpaceViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("events", EventViewSet, basename="event")
router.register("partners", PartnerViewSet, basename="partner")
router.register("deals", DealViewSet, basename="deal")
router.register("spaces", SpaceViewSet, basename="space")
router.register("bookings", BookingViewSet, basename="booking")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from .views import BalanceViewSet
from .views import BillViewSet
from .views import PostingViewSet
from .views import SettingViewSet
from .views import ShuLineViewSet
from .views import ShuViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("savings-settings", SettingViewSet, basename="savings-setting")
router.register("savings-bills", BillViewSet, basename="savings-bill")
router.register("savings-postings", PostingViewSet, basename="savings-posting")
router.register("savings-balances", BalanceViewSet, basename="savings-balance")
router.register("shu-distributions", ShuViewSet, basename="shu-distribution")
router.register("shu-lines", ShuLineViewSet, basename="shu-line")

urlpatterns = router.urls

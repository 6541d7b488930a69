from rest_framework.routers import SimpleRouter

from .views import AgreementViewSet
from .views import BumdesViewSet
from .views import FederationViewSet
from .views import MemberCooperativeViewSet
from .views import MemberVillageViewSet
from .views import SiteViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("bumdes", BumdesViewSet, basename="bumdes")
router.register("federations", FederationViewSet, basename="federation")
router.register("federation-member-villages", MemberVillageViewSet, basename="federation-member-village")
router.register("federation-member-cooperatives", MemberCooperativeViewSet, basename="federation-member-cooperative")
router.register("federation-sites", SiteViewSet, basename="federation-site")
router.register("cooperation-agreements", AgreementViewSet, basename="cooperation-agreement")

urlpatterns = router.urls

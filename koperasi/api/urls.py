from rest_framework.routers import SimpleRouter

from .views import CooperativeViewSet
from .views import FormationStageViewSet
from .views import StageDocumentViewSet
from .views import StageProgressViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("cooperatives", CooperativeViewSet, basename="cooperative")
router.register("stages", StageProgressViewSet, basename="stage-progress")
router.register("stage-documents", StageDocumentViewSet, basename="stage-document")
router.register("formation-stages", FormationStageViewSet, basename="formation-stage")

urlpatterns = router.urls

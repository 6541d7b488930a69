from rest_framework.routers import SimpleRouter

from .views import ConstructionProjectViewSet
from .views import LandPlotViewSet
from .views import ProgressReportViewSet
from .views import UnitReportViewSet

__all__ = ["urlpatterns"]

router = SimpleRouter()
router.register("land-plots", LandPlotViewSet, basename="land-plot")
router.register("construction-projects", ConstructionProjectViewSet, basename="construction-project")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("unit-reports", UnitReportViewSet, basename="unit-report")

urlpatterns = router.urls

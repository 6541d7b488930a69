"""Land plots, construction projects and their progress, unit monthly reports. Every write calls a service."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.parsers import PortalJSONParser
from core.api.views import NUMERIC_ID
from core.api.views import AuditTrailMixin
from core.api.views import ConditionalWriteMixin
from core.api.views import ScopedViewSetMixin
from core.api.views import validated_input
from pembangunan import selectors
from pembangunan import services
from pembangunan.filtersets import ConstructionProjectFilterSet
from pembangunan.filtersets import LandPlotFilterSet
from pembangunan.filtersets import UnitMonthlyReportFilterSet
from pembangunan.models import ConstructionProject
from pembangunan.models import LandPlot
from pembangunan.models import ProgressReport
from pembangunan.models import UnitMonthlyReport

from .serializers import DocumentInputSerializer
from .serializers import HandoverInputSerializer
from .serializers import LandDocumentSerializer
from .serializers import LandPlotCreateInputSerializer
from .serializers import LandPlotSerializer
from .serializers import LandPlotUpdateInputSerializer
from .serializers import MapQuerySerializer
from .serializers import PhotoInputSerializer
from .serializers import ProgressReportInputSerializer
from .serializers import ProgressReportSerializer
from .serializers import ProjectCreateInputSerializer
from .serializers import ProjectSerializer
from .serializers import ProjectUpdateInputSerializer
from .serializers import RejectInputSerializer
from .serializers import SitePhotoSerializer
from .serializers import SurveyInputSerializer
from .serializers import UnitReportInputSerializer
from .serializers import UnitReportSerializer

__all__ = ["ConstructionProjectViewSet", "LandPlotViewSet", "ProgressReportViewSet", "UnitReportViewSet"]

_UPLOAD = [MultiPartParser, FormParser]


def _plot_changes(data: dict) -> dict:
    changes = dict(data)
    if "village" in changes:
        changes["village_code"] = changes.pop("village")
    if "unit_types" in changes:
        changes["unit_type_codes"] = changes.pop("unit_types")
    return changes


class LandPlotViewSet(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Candidate plots of cooperatives: proposed → surveyed → verified by the Dinas → construction → handed over."""

    queryset = LandPlot.objects.select_related("village", "cooperative").prefetch_related("unit_types")
    serializer_class = LandPlotSerializer
    filterset_class = LandPlotFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = NUMERIC_ID
    parser_classes = [PortalJSONParser, *_UPLOAD]

    def _data(self, plot: LandPlot, **kwargs) -> Response:
        plot = self.get_queryset().get(pk=plot.pk)
        return Response(LandPlotSerializer(plot, context=self.get_serializer_context()).data, **kwargs)

    @extend_schema(request=LandPlotCreateInputSerializer, responses={201: LandPlotSerializer})
    def create(self, request):
        """Record a plot (status proposed). Photos are added with …/photos/."""
        data = validated_input(LandPlotCreateInputSerializer, request.data, context={"request": request})
        cooperative = data.pop("cooperative")
        plot = services.plot_record(actor=request.user, cooperative=cooperative, **_plot_changes(data))
        return self._data(plot, status=status.HTTP_201_CREATED)

    @extend_schema(request=LandPlotUpdateInputSerializer, responses=LandPlotSerializer)
    def partial_update(self, request, pk=None):
        plot = self.get_object()
        data = validated_input(LandPlotUpdateInputSerializer, request.data)
        return self._data(services.plot_update(actor=request.user, plot=plot, **_plot_changes(data)))

    @extend_schema(request=SurveyInputSerializer, responses=LandPlotSerializer)
    @action(detail=True, methods=["post"])
    def survey(self, request, pk=None):
        """The plot was surveyed on site; it goes to the Dinas."""
        data = validated_input(SurveyInputSerializer, request.data)
        return self._data(services.plot_survey(actor=request.user, plot=self.get_object(), **data))

    @extend_schema(request=None, responses=LandPlotSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """The Dinas verifies a surveyed plot."""
        return self._data(services.plot_verify(actor=request.user, plot=self.get_object()))

    @extend_schema(request=RejectInputSerializer, responses=LandPlotSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """The Dinas rejects a plot, saying why."""
        data = validated_input(RejectInputSerializer, request.data)
        return self._data(services.plot_reject(actor=request.user, plot=self.get_object(), **data))

    @extend_schema(request={"multipart/form-data": PhotoInputSerializer}, responses={201: SitePhotoSerializer})
    @action(detail=True, methods=["post"], parser_classes=_UPLOAD)
    def photos(self, request, pk=None):
        """Add a photo (compressed by the portal; EXIF removed, GPS kept only with keep_location)."""
        plot = self.get_object()
        data = validated_input(PhotoInputSerializer, request.data)
        photo = services.plot_photo_add(actor=request.user, plot=plot, upload=data["photo"],
                                        keep_location=data["keep_location"], caption=data["caption"],
                                        latitude=data["latitude"], longitude=data["longitude"])
        return Response(SitePhotoSerializer(photo).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": DocumentInputSerializer}, responses={201: LandDocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=_UPLOAD)
    def documents(self, request, pk=None):
        """Attach a legal document: certificate, letter of grant or lease, Perdes."""
        plot = self.get_object()
        data = validated_input(DocumentInputSerializer, request.data)
        document = services.plot_document_add(actor=request.user, plot=plot, kind=data["kind"], upload=data["file"])
        return Response(LandDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[MapQuerySerializer], filters=False, responses=dict)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def map(self, request):
        """The located plots of a kabupaten/kota (or an area below it) with status and construction progress."""
        query = validated_input(MapQuerySerializer, request.query_params)
        return Response({"points": selectors.map_points(user=request.user, code=query["region"])})


class ConstructionProjectViewSet(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                                 mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Construction on verified plots: contract, schedule, financing, progress reports and handover."""

    queryset = ConstructionProject.objects.select_related("plot")
    serializer_class = ProjectSerializer
    filterset_class = ConstructionProjectFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = NUMERIC_ID
    parser_classes = [PortalJSONParser, *_UPLOAD]

    def history_querysets(self, obj) -> list:
        return [obj.history.all(), ProgressReport.history.filter(project=obj)]

    def _data(self, project: ConstructionProject, **kwargs) -> Response:
        project = self.get_queryset().get(pk=project.pk)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data, **kwargs)

    @extend_schema(request=ProjectCreateInputSerializer, responses={201: ProjectSerializer})
    def create(self, request):
        """Assign a verified plot to construction (the Dinas)."""
        data = validated_input(ProjectCreateInputSerializer, request.data, context={"request": request})
        plot = data.pop("plot")
        return self._data(services.project_create(actor=request.user, plot=plot, **data),
                          status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateInputSerializer, responses=ProjectSerializer)
    def partial_update(self, request, pk=None):
        project = self.get_object()
        data = validated_input(ProjectUpdateInputSerializer, request.data)
        return self._data(services.project_update(actor=request.user, project=project, **data))

    @extend_schema(request={"multipart/form-data": ProgressReportInputSerializer},
                   responses={201: ProgressReportSerializer})
    @action(detail=True, methods=["post"], parser_classes=_UPLOAD)
    def reports(self, request, pk=None):
        """Report progress; with a photo it is published, without one it is a draft."""
        project = self.get_object()
        data = validated_input(ProgressReportInputSerializer, request.data)
        photo = data.pop("photo", None)
        report = services.progress_report_add(actor=request.user, project=project, photos=[photo] if photo else [],
                                              **data)
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": HandoverInputSerializer}, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over", url_name="hand-over", parser_classes=_UPLOAD)
    def hand_over(self, request, pk=None):
        """Serah terima, after a published 100 % report, with the signed record."""
        project = self.get_object()
        data = validated_input(HandoverInputSerializer, request.data)
        return self._data(services.project_hand_over(actor=request.user, project=project,
                                                     handed_over_on=data["handed_over_on"], upload=data["file"]))

    @extend_schema(responses=dict, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[])
    def progress(self, request, pk=None):
        """Planned (linear) against actual progress today, and both curves."""
        standing = selectors.project_progress(self.get_object())
        return Response({"planned": standing.slippage.planned, "actual": standing.slippage.actual,
                         "behind": standing.slippage.behind, "overdue_days": standing.slippage.overdue_days,
                         "slipping": standing.slippage.is_slipping, "curve": standing.curve})


class ProgressReportViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    """Progress reports of construction projects, with their photos."""

    queryset = ProgressReport.objects.prefetch_related("photos")
    serializer_class = ProgressReportSerializer
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request={"multipart/form-data": PhotoInputSerializer}, responses={201: SitePhotoSerializer})
    @action(detail=True, methods=["post"], parser_classes=_UPLOAD)
    def photos(self, request, pk=None):
        """Add a photo to a report; the first photo publishes a draft."""
        report = self.get_object()
        data = validated_input(PhotoInputSerializer, request.data)
        photo = services.progress_photo_add(actor=request.user, report=report, upload=data["photo"],
                                            keep_location=data["keep_location"], caption=data["caption"],
                                            latitude=data["latitude"], longitude=data["longitude"])
        return Response(SitePhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class UnitReportViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Monthly business reports of operating units."""

    queryset = UnitMonthlyReport.objects.all()
    serializer_class = UnitReportSerializer
    filterset_class = UnitMonthlyReportFilterSet
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request=UnitReportInputSerializer, responses={201: UnitReportSerializer})
    def create(self, request):
        """File one month of an operating unit, after the month has ended."""
        data = validated_input(UnitReportInputSerializer, request.data, context={"request": request})
        report = services.unit_report_file(actor=request.user, **data)
        return Response(UnitReportSerializer(report).data, status=status.HTTP_201_CREATED)

"""Cooperatives, their formation stages and stage documents. Every write calls a koperasi service."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.views import NUMERIC_ID
from core.api.views import AuditTrailMixin
from core.api.views import ConditionalWriteMixin
from core.api.views import ScopedViewSetMixin
from core.api.views import validated_input
from core.roles import Action
from core.scoping import require_scope
from core.storage import private_file_response
from koperasi import services
from koperasi.extensions import cooperative_filterset_class
from koperasi.extensions import formation_issues
from koperasi.filtersets import CooperativeFilterSet
from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.models import FormationStage
from koperasi.models import StageDocument
from koperasi.models import StageProgress
from koperasi.selectors import review_queue
from koperasi.selectors import stalled_cooperatives

from .filtersets import StageProgressFilterSet
from .serializers import CooperativeCreateInputSerializer
from .serializers import CooperativeDetailSerializer
from .serializers import CooperativeSerializer
from .serializers import CooperativeUpdateInputSerializer
from .serializers import FormationIssueSerializer
from .serializers import FormationStageSerializer
from .serializers import StageArchiveInputSerializer
from .serializers import StageDocumentInputSerializer
from .serializers import StageDocumentSerializer
from .serializers import StageProgressDetailSerializer
from .serializers import StageProgressSerializer
from .serializers import StageReasonInputSerializer
from .serializers import StageSubmitInputSerializer
from .serializers import StalledQuerySerializer

__all__ = ["CooperativeViewSet", "FormationStageViewSet", "StageDocumentViewSet", "StageProgressViewSet"]


class CooperativeViewSet(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                         mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """
    The cooperatives in the caller's area. Registering one creates its formation stages and its seven
    mandated business units. A cooperative is never deleted through the API.
    """

    queryset = Cooperative.objects.select_related("village", "stage_reached")
    serializer_class = CooperativeSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    @property
    def filterset_class(self):
        # With the filters other apps add (units: unit type and status), known once the apps are ready.
        return cooperative_filterset_class(CooperativeFilterSet)

    def get_serializer_class(self):
        return CooperativeSerializer if self.action in ("list", "stalled") else CooperativeDetailSerializer

    def history_querysets(self, obj) -> list:
        return [obj.history.all(), CooperativeVillage.history.filter(cooperative_id=obj.pk)]

    def _detail(self, cooperative: Cooperative) -> dict:
        cooperative = self.get_queryset().get(pk=cooperative.pk)
        return CooperativeDetailSerializer(cooperative, context=self.get_serializer_context()).data

    @extend_schema(request=CooperativeCreateInputSerializer, responses={201: CooperativeDetailSerializer})
    def create(self, request):
        """Register the cooperative of a desa/kelurahan (or a joint cooperative of small villages)."""
        data = validated_input(CooperativeCreateInputSerializer, request.data)
        cooperative = services.cooperative_register(
            actor=request.user, village_code=data["village"], formation_model=data["formation_model"],
            name=data["name"], joint_village_codes=data["joint_villages"],
            joint_population_confirmed=data["joint_population_confirmed"], address=data["address"],
            latitude=data["latitude"], longitude=data["longitude"], phone=data["phone"], email=data["email"],
        )
        return Response(self._detail(cooperative), status=status.HTTP_201_CREATED)

    @extend_schema(request=CooperativeUpdateInputSerializer, responses=CooperativeDetailSerializer)
    def partial_update(self, request, pk=None):
        """Change the profile; legal identifiers only by an officer who verifies stages."""
        cooperative = self.get_object()
        data = validated_input(CooperativeUpdateInputSerializer, request.data)
        cooperative = services.cooperative_update(actor=request.user, cooperative=cooperative, **data)
        return Response(self._detail(cooperative))

    @extend_schema(parameters=[StalledQuerySerializer], responses=CooperativeSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], filter_backends=[])
    def stalled(self, request):
        """Cooperatives not yet operational with no stage completed for more than ``days`` days, longest first."""
        query = validated_input(StalledQuerySerializer, request.query_params)
        cooperatives = stalled_cooperatives(user=request.user, days=query.get("days"))
        page = self.paginate_queryset(cooperatives)
        return self.get_paginated_response(CooperativeSerializer(page, many=True).data)

    @extend_schema(responses=FormationIssueSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def governance(self, request, pk=None):
        """What keeps the member register and board from meeting the founding rules."""
        return Response(FormationIssueSerializer(formation_issues(self.get_object()), many=True).data)


class StageProgressViewSet(AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    """
    Where each cooperative stands on each formation stage. Village staff attach documents and submit;
    a kabupaten/kota officer other than the submitter verifies or rejects with a reason.
    """

    queryset = StageProgress.objects.select_related("cooperative", "stage", "submitted_by", "reviewed_by")
    serializer_class = StageProgressSerializer
    filterset_class = StageProgressFilterSet
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    def get_serializer_class(self):
        return StageProgressSerializer if self.action in ("list", "review_queue") else StageProgressDetailSerializer

    def history_querysets(self, obj) -> list:
        return [obj.history.all(), StageDocument.history.filter(progress_id=obj.pk)]

    def _detail(self, progress: StageProgress) -> dict:
        progress = self.get_queryset().get(pk=progress.pk)
        return StageProgressDetailSerializer(progress, context=self.get_serializer_context()).data

    def _with_reason(self, request, service) -> Response:
        """A review decision that carries the reviewer's reason (reject, not applicable, reopen)."""
        progress = self.get_object()
        data = validated_input(StageReasonInputSerializer, request.data)
        return Response(self._detail(service(actor=request.user, progress=progress, reason=data["reason"])))

    @extend_schema(request=StageSubmitInputSerializer, responses=StageProgressDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the stage for verification with the values of its required fields."""
        progress = self.get_object()
        data = validated_input(StageSubmitInputSerializer, request.data)
        progress = services.stage_submit(actor=request.user, progress=progress, data=data["data"])
        return Response(self._detail(progress))

    @extend_schema(request=StageArchiveInputSerializer, responses=StageProgressDetailSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """
        Record a stage completed before the portal, from paper records, with its real date and source
        (officers who verify; attach its documents first). It is marked "from the archive" everywhere.
        """
        progress = self.get_object()
        data = validated_input(StageArchiveInputSerializer, request.data)
        progress = services.stage_record_from_archive(
            actor=request.user, progress=progress, completed_on=data["completed_on"], note=data["note"],
            data=data["data"])
        return Response(self._detail(progress))

    @extend_schema(request=None, responses=StageProgressDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Accept a submitted stage; its identifiers are copied onto the cooperative."""
        progress = services.stage_verify(actor=request.user, progress=self.get_object())
        return Response(self._detail(progress))

    @extend_schema(request=StageReasonInputSerializer, responses=StageProgressDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Send a submitted stage back with the reason the village staff will see."""
        return self._with_reason(request, services.stage_reject)

    @extend_schema(request=StageReasonInputSerializer, responses=StageProgressDetailSerializer)
    @action(detail=True, methods=["post"], url_path="not-applicable", url_name="not-applicable")
    def not_applicable(self, request, pk=None):
        """Record that a stage does not apply to an existing cooperative (pengembangan, revitalisasi)."""
        return self._with_reason(request, services.stage_mark_not_applicable)

    @extend_schema(request=StageReasonInputSerializer, responses=StageProgressDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Undo a "not applicable" mark: the stage is to be done after all (e.g. before changing the model)."""
        return self._with_reason(request, services.stage_reopen)

    @extend_schema(request={"multipart/form-data": StageDocumentInputSerializer},
                   responses={201: StageDocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        """Attach a document (PDF, JPG or PNG) to a stage that is not submitted yet or was rejected."""
        progress = self.get_object()
        data = validated_input(StageDocumentInputSerializer, request.data)
        document = services.stage_document_add(actor=request.user, progress=progress,
                                               document_type_code=data["document_type"], upload=data["file"])
        return Response(StageDocumentSerializer(document, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses=StageProgressSerializer(many=True), filters=False, parameters=[
        OpenApiParameter("region", str, description="A kecamatan or desa (code or name); everything below it."),
        OpenApiParameter("stage", str, description="Code of a formation stage."),
        OpenApiParameter("waiting", int, description="Only items waiting at least this many days (0–3650)."),
    ])
    @action(detail=False, methods=["get"], url_path="review-queue", url_name="review-queue", filter_backends=[])
    def review_queue(self, request):
        """
        Submitted stages in the caller's verification scope: first those the caller may verify, then those
        they submitted themselves (another officer must verify them); each oldest submission first.
        """
        filterset = review_queue(user=request.user, filters=request.query_params)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(StageProgressSerializer(page, many=True).data)


class StageDocumentViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents attached to formation stages. Removed documents stay in the audit trail only."""

    queryset = StageDocument.objects.filter(removed_at__isnull=True).select_related(
        "document_type", "progress__cooperative"
    )
    serializer_class = StageDocumentSerializer
    http_method_names = ["get", "delete", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        """Remove a document from a stage that is not submitted yet or was rejected."""
        services.stage_document_remove(actor=request.user, document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, "image/jpeg"): OpenApiTypes.BINARY,
                   (200, "image/png"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself. Documents carry personal data: only users who may see it in that village get it."""
        document = self.get_object()
        require_scope(request.user, Action.VIEW_PERSONAL_DATA, document.progress.cooperative.village_id)
        return private_file_response(document)


class FormationStageViewSet(viewsets.ReadOnlyModelViewSet):
    """The formation workflow: stages in order, with the documents and fields each submission needs."""

    queryset = FormationStage.objects.prefetch_related("required_documents")
    serializer_class = FormationStageSerializer
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9_-]+"
    pagination_class = None

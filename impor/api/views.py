"""Bulk import over the API: upload, follow, decide, and fetch the error file. Every write calls an impor service."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.parsers import PortalJSONParser
from core.api.schema import error_response
from core.api.views import validated_input
from core.storage import private_file_response
from impor import services
from impor.models import ImportJob
from impor.selectors import import_jobs_for

from .serializers import ImportCommitInputSerializer
from .serializers import ImportJobSerializer
from .serializers import ImportProgressSerializer
from .serializers import ImportUploadInputSerializer

__all__ = ["ImportJobViewSet"]

_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _ErrorFile:
    def __init__(self, job: ImportJob):
        self.file, self.content_type = job.error_file, _XLSX
        self.original_name = f"galat-{job.original_name.rsplit('.', 1)[0]}.xlsx"


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """
    Imports of the kinds the caller may import, in their area: members and opening balances of a
    cooperative (edit_cooperative), formation progress (verify_stages). An upload is checked in the
    background (a dry run); ``commit`` then imports the valid rows or all or nothing.
    """

    queryset = ImportJob.objects.none()
    serializer_class = ImportJobSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = _UUID
    filterset_class = None
    parser_classes = [PortalJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return import_jobs_for(self.request.user)

    @extend_schema(request={"multipart/form-data": ImportUploadInputSerializer},
                   responses={201: ImportJobSerializer})
    def create(self, request):
        """Upload a file; its check starts in the background (follow it with ``…/progress/``)."""
        data = validated_input(ImportUploadInputSerializer, request.data, context=self.get_serializer_context())
        job = services.import_upload(actor=request.user, kind=data["kind"], upload=data["file"],
                                     cooperative=data.get("cooperative"))
        job = self.get_queryset().get(pk=job.pk)
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ImportProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """The running check or import: rows done of the total."""
        return Response(services.import_progress(self.get_object()))

    @extend_schema(request=ImportCommitInputSerializer, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """Import after the check: ``valid_rows`` or ``all_or_nothing``. Runs in the background."""
        data = validated_input(ImportCommitInputSerializer, request.data)
        job = services.import_commit(actor=request.user, job=self.get_object(), mode=data["mode"])
        job = self.get_queryset().get(pk=job.pk)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=ImportJobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Drop a checked file without importing it (the stored upload is deleted)."""
        job = services.import_cancel(actor=request.user, job=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=job.pk)).data)

    @extend_schema(responses={(200, _XLSX): OpenApiResponse(OpenApiTypes.BINARY),
                              404: error_response(404, "No such import, or it has no error file.")})
    @action(detail=True, methods=["get"], url_path="errors")
    def error_file(self, request, pk=None):
        """The error file (XLSX): row, column, value and message of every problem."""
        job = self.get_object()
        if not job.error_file:
            raise Http404
        return private_file_response(_ErrorFile(job))

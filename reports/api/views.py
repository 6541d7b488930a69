from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_response
from core.api.views import validated_input
from reports.selectors import area_at
from reports.selectors import dashboard

from .serializers import AreaRollupSerializer
from .serializers import RollupQuerySerializer

__all__ = ["RollupDetailApi", "RollupListApi"]


class RollupListApi(APIView):
    """
    The areas inside ``parent`` (default: the caller's own area), each with its roll-up counts: now, or at the end
    of a past day with ``as_of`` (areas from that day's snapshot, desa/kelurahan recomputed from dated records).
    """

    @extend_schema(parameters=[RollupQuerySerializer(partial=True)], responses={
        200: AreaRollupSerializer(many=True),
        404: error_response(404, "No area with this code inside the caller's, or no snapshot of that day."),
    })
    def get(self, request):
        query = validated_input(RollupQuerySerializer, request.query_params)
        board = dashboard(user=request.user, code=query.get("parent"), as_of=query.get("as_of"))
        rows = board.children if query.get("parent") else [board.area] if board.is_nation else board.children
        return Response(AreaRollupSerializer(rows, many=True).data)


class RollupDetailApi(APIView):
    """One area's roll-up counts now, or at the end of a past day with ``as_of`` (any area, down to the desa)."""

    @extend_schema(
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Kemendagri code, or ID"),
                    RollupQuerySerializer(partial=True)],
        responses={200: AreaRollupSerializer,
                   404: error_response(404, "No area with this code inside the caller's, or no snapshot of that day.")},
    )
    def get(self, request, code):
        query = validated_input(RollupQuerySerializer, request.query_params)
        day = query.get("as_of")
        if day is None:
            return Response(AreaRollupSerializer(dashboard(user=request.user, code=code).area).data)
        return Response(AreaRollupSerializer(area_at(user=request.user, code=code, day=day)).data)

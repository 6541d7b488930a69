"""The member register and board positions of cooperatives. Every write calls a members service."""

from __future__ import annotations  # the viewset's own ``list`` method would shadow ``list[str]``

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import NUMERIC_ID
from core.api.views import AuditTrailMixin
from core.api.views import ConditionalWriteMixin
from core.api.views import ScopedViewSetMixin
from core.api.views import validated_input
from core.client_ip import client_ip
from core.roles import Action
from core.scoping import scope_for
from core.throttling import PersonalDataThrottle
from members import services
from members.models import Member
from members.models import MemberApplication
from members.models import Position
from members.models import ReadChannel
from members.selectors import MEMBER_REDACTIONS

from .filtersets import MemberFilterSet
from .filtersets import PositionFilterSet
from .serializers import ApplicationRejectInputSerializer
from .serializers import MemberApplicationSerializer
from .serializers import MemberCreateInputSerializer
from .serializers import MemberResultSerializer
from .serializers import MemberSerializer
from .serializers import MemberStatusInputSerializer
from .serializers import MemberUpdateInputSerializer
from .serializers import PositionCreateInputSerializer
from .serializers import PositionEndInputSerializer
from .serializers import PositionSerializer

__all__ = ["MemberApplicationViewSet", "MemberViewSet", "PositionViewSet"]


@contextmanager
def _domicile_errors():
    """The services call the domicile ``domicile_code``; the API calls it ``domicile``."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict") and "domicile_code" in error.error_dict:
            error.error_dict["domicile"] = error.error_dict.pop("domicile_code")
        raise


class MemberViewSet(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                    mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """
    Members of the cooperatives in the caller's area. The NIK is shown in full only to users who may
    see personal data in the cooperative's village (``nik_masked`` is always the masked form).
    """

    queryset = Member.objects.select_related("cooperative", "domicile")
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    def get_throttles(self):
        # Reads of the register share the web pages' budget; writes are bounded by the work they take.
        return [PersonalDataThrottle()] if self.request.method == "GET" else []

    def history_redactions(self, obj) -> dict:
        # The register's history holds NIKs too: masked for readers who may not see personal data.
        if scope_for(self.request.user, Action.VIEW_PERSONAL_DATA).contains(obj.cooperative.village_id):
            self._log_full_niks([obj], ReadChannel.HISTORY)
            return {}
        return MEMBER_REDACTIONS

    def _log_full_niks(self, members, channel: str = ReadChannel.API) -> None:
        """Every full NIK the response shows is logged (who, when, which member, from where)."""
        personal = scope_for(self.request.user, Action.VIEW_PERSONAL_DATA)
        shown = [member for member in members if personal.contains(member.cooperative.village_id)]
        if shown:
            services.personal_data_reads_record(user=self.request.user, members=shown, channel=channel,
                                                ip_address=client_ip(self.request))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._log_full_niks(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        self._log_full_niks([member])
        return Response(self.get_serializer(member).data)

    def _result(self, member: Member, warnings: list[str], **kwargs) -> Response:
        member = self.get_queryset().get(pk=member.pk)
        self._log_full_niks([member])
        context = {**self.get_serializer_context(), "warnings": warnings}
        return Response(MemberResultSerializer(member, context=context).data, **kwargs)

    @extend_schema(request=MemberCreateInputSerializer, responses={201: MemberResultSerializer})
    def create(self, request):
        """Add a person to the member register; NIK warnings are returned and recorded but do not block."""
        data = validated_input(MemberCreateInputSerializer, request.data, context=self.get_serializer_context())
        with _domicile_errors():
            member, warnings = services.member_add(
                actor=request.user, cooperative=data["cooperative"], nik=data["nik"], name=data["name"],
                sex=data["sex"], domicile_code=data["domicile"], birth_date=data.get("birth_date"),
                phone=data.get("phone", ""), village_office=data.get("village_office", ""),
                is_founder=data.get("is_founder", False), joined_on=data.get("joined_on"),
                address=data.get("address", ""), rt=data.get("rt", ""), rw=data.get("rw", ""),
                occupation=data.get("occupation", ""),
            )
        return self._result(member, warnings, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberUpdateInputSerializer, responses=MemberResultSerializer)
    def partial_update(self, request, pk=None):
        member = self.get_object()
        data = dict(validated_input(MemberUpdateInputSerializer, request.data))
        if "domicile" in data:
            data["domicile_code"] = data.pop("domicile")
        with _domicile_errors():
            member, warnings = services.member_update(actor=request.user, member=member, **data)
        return self._result(member, warnings)

    @extend_schema(request=MemberStatusInputSerializer, responses=MemberResultSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """A member leaves (keluar) or has died (meninggal) on a date with a reason, or is active again."""
        member = self.get_object()
        data = validated_input(MemberStatusInputSerializer, request.data)
        member = services.member_status_change(actor=request.user, member=member, status=data["status"],
                                               status_on=data.get("status_on"), reason=data.get("reason", ""))
        return self._result(member, [])

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        """
        Remove a row entered by mistake (its positions must have ended); its personal data are forgotten.
        A member who leaves or dies is a status change instead (``…/status/``).
        """
        services.member_remove(actor=request.user, member=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class PositionViewSet(AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Pengurus, pengawas and manajer terms. Appointments follow the governance rules of Juklak 1/2025."""

    queryset = Position.objects.select_related("member")
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    def _result(self, position: Position, **kwargs) -> Response:
        position = self.get_queryset().get(pk=position.pk)
        return Response(PositionSerializer(position, context=self.get_serializer_context()).data, **kwargs)

    @extend_schema(request=PositionCreateInputSerializer, responses={201: PositionSerializer})
    def create(self, request):
        """Appoint a member of the cooperative to a position."""
        data = validated_input(PositionCreateInputSerializer, request.data, context=self.get_serializer_context())
        position = services.position_assign(actor=request.user, cooperative=data["cooperative"], member=data["member"],
                                            role=data["role"], started_on=data.get("started_on"))
        return self._result(position, status=status.HTTP_201_CREATED)

    @extend_schema(request=PositionEndInputSerializer, responses=PositionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a term (today unless ``ended_on`` is given)."""
        position = self.get_object()
        data = validated_input(PositionEndInputSerializer, request.data)
        position = services.position_end(actor=request.user, position=position, ended_on=data.get("ended_on"))
        return self._result(position)


class MemberApplicationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               viewsets.GenericViewSet):
    """
    Self-registrations waiting for (or decided by) the pengurus: the village staff of the cooperative
    (``approve_members``). Admitting one adds the person to the register with the next member number.
    """

    queryset = MemberApplication.objects.select_related("domicile")
    serializer_class = MemberApplicationSerializer
    scope_action = Action.APPROVE_MEMBERS
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request=None, responses=MemberResultSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Admit the applicant; the new member is returned."""
        member = services.application_approve(actor=request.user, application=self.get_object())
        member = Member.objects.select_related("cooperative", "domicile").get(pk=member.pk)
        services.personal_data_reads_record(user=request.user, members=[member], channel=ReadChannel.API,
                                            ip_address=client_ip(request))
        context = {**self.get_serializer_context(), "warnings": []}
        return Response(MemberResultSerializer(member, context=context).data)

    @extend_schema(request=ApplicationRejectInputSerializer, responses=MemberApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Refuse the application with a reason."""
        data = validated_input(ApplicationRejectInputSerializer, request.data)
        application = services.application_reject(actor=request.user, application=self.get_object(),
                                                  reason=data["reason"])
        return Response(MemberApplicationSerializer(application, context=self.get_serializer_context()).data)

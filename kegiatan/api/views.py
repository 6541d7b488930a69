"""Events, attendance, partners, deals, spaces and bookings over the API. Every write calls a kegiatan service."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from core.api.views import NUMERIC_ID
from core.api.views import AuditTrailMixin
from core.api.views import ConditionalWriteMixin
from core.api.views import ScopedViewSetMixin
from core.api.views import validated_input
from kegiatan import services
from kegiatan.filtersets import DealFilterSet
from kegiatan.filtersets import EventFilterSet
from kegiatan.filtersets import PartnerFilterSet
from kegiatan.filtersets import SpaceFilterSet
from kegiatan.models import Booking
from kegiatan.models import Deal
from kegiatan.models import Event
from kegiatan.models import Partner
from kegiatan.models import Space
from kegiatan.selectors import attendee_phone_shown
from kegiatan.selectors import event_coverage
from kegiatan.selectors import events_visible
from kegiatan.selectors import own_invitations
from kegiatan.selectors import pipeline_summary

from .serializers import AttendeeInputSerializer
from .serializers import AttendeeSerializer
from .serializers import BookingCancelInputSerializer
from .serializers import BookingInputSerializer
from .serializers import BookingSerializer
from .serializers import CoverageSerializer
from .serializers import DealMoveInputSerializer
from .serializers import DealSerializer
from .serializers import EventInputSerializer
from .serializers import EventSerializer
from .serializers import InvitationReplyInputSerializer
from .serializers import InviteInputSerializer
from .serializers import MeetingInputSerializer
from .serializers import PartnerInputSerializer
from .serializers import PartnerSerializer
from .serializers import PipelineSerializer
from .serializers import SpaceSerializer

__all__ = ["BookingViewSet", "DealViewSet", "EventViewSet", "PartnerViewSet", "SpaceViewSet"]


class EventViewSet(AuditTrailMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Events in the caller's area, and those their desa/kelurahan is invited to."""

    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    def get_queryset(self):
        return events_visible(self.request.user)

    @extend_schema(request=EventInputSerializer, responses={201: EventSerializer})
    def create(self, request):
        data = validated_input(EventInputSerializer, request.data, context=self.get_serializer_context())
        event = services.event_create(
            actor=request.user, title=data["title"], kind=data["kind"], region_code=data["region"],
            federation=data["federation"], organiser_name=data["organiser_name"], place=data["place"],
            venue_village_code=data["venue_village"], starts_at=data["starts_at"], ends_at=data["ends_at"],
            respond_by=data["respond_by"], description=data["description"], training_title=data["training_title"])
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InviteInputSerializer, responses=CoverageSerializer)
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """Invite desa/kelurahan (a kecamatan code: all of its villages); their village staff are notified."""
        event = self.get_object()
        data = validated_input(InviteInputSerializer, request.data)
        services.event_invite(actor=request.user, event=event, region_codes=data["regions"])
        return self._coverage(event)

    @extend_schema(request=InvitationReplyInputSerializer, responses=CoverageSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """An invited desa/kelurahan replies whether it comes (with how many people), until the event starts."""
        event = self.get_object()
        data = validated_input(InvitationReplyInputSerializer, request.data)
        invitation = own_invitations(request.user, event).filter(village_id=data["village"]).first()
        if invitation is None:
            raise NotFound(_("This desa/kelurahan is not invited to this event, or not in your area."))
        services.invitation_reply(actor=request.user, invitation=invitation, reply=data["reply"],
                                  people=data["people"])
        return self._coverage(event)

    def _coverage(self, event):
        coverage = event_coverage(event)
        return Response(CoverageSerializer({**coverage.__dict__, "missing": [v.code for v in coverage.missing]}).data)

    @extend_schema(responses=CoverageSerializer, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def coverage(self, request, pk=None):
        """Which invited villages came, and by role."""
        return self._coverage(self.get_object())

    @extend_schema(methods=["get"], responses=AttendeeSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=AttendeeInputSerializer, responses={201: AttendeeSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def attendees(self, request, pk=None):
        """The attendance list (NIK masked), or add one attendee."""
        event = self.get_object()
        if request.method == "POST":
            data = validated_input(AttendeeInputSerializer, request.data, context=self.get_serializer_context())
            attendee = services.attendee_add(actor=request.user, event=event, name=data["name"], role=data["role"],
                                             village_code=data["village"], nik=data["nik"], phone=data["phone"],
                                             organisation=data["organisation"], member=data["member"],
                                             partner=data["partner"])
            context = {"phone_shown": attendee_phone_shown(request.user, event)}
            return Response(AttendeeSerializer(attendee, context=context).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(event.attendees.select_related("village").order_by("pk"))
        context = {"phone_shown": attendee_phone_shown(request.user, event)}
        return self.get_paginated_response(AttendeeSerializer(page, many=True, context=context).data)


class PartnerViewSet(AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """The partner directory: the caller's area's partners and the national directory."""

    queryset = Partner.objects.select_related("region").prefetch_related("areas_served")
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request=PartnerInputSerializer, responses={201: PartnerSerializer})
    def create(self, request):
        data = validated_input(PartnerInputSerializer, request.data)
        partner = services.partner_create(actor=request.user, name=data["name"], kind=data["kind"],
                                          region_code=data["region"], offer=data["offer"], website=data["website"],
                                          area_codes=data["areas_served"])
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)


class DealViewSet(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
                  mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """The deal pipeline of the caller's area. POST records a meeting that opens a deal."""

    queryset = Deal.objects.select_related("cooperative", "partner")
    serializer_class = DealSerializer
    filterset_class = DealFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request=MeetingInputSerializer, responses={201: DealSerializer})
    def create(self, request):
        """Record a meeting between a cooperative and a partner; it opens a deal at the "lead" stage."""
        data = validated_input(MeetingInputSerializer, request.data, context=self.get_serializer_context())
        meeting = services.meeting_record(actor=request.user, **data)
        return Response(DealSerializer(self.get_queryset().get(pk=meeting.deal_id)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=DealMoveInputSerializer, responses=DealSerializer)
    def partial_update(self, request, pk=None):
        """Move the deal to an allowed stage, or change its value and next step."""
        deal = self.get_object()
        data = validated_input(DealMoveInputSerializer, request.data)
        services.deal_move(actor=request.user, deal=deal, **data)
        return Response(DealSerializer(self.get_queryset().get(pk=deal.pk)).data)

    @extend_schema(responses=PipelineSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def pipeline(self, request):
        """Counts and values by stage and kind of the (filtered) deals."""
        summary = pipeline_summary(self.filter_queryset(self.get_queryset()))

        def buckets(rows):
            return [{"code": code, "label": label, "count": count, "value": value}
                    for code, label, count, value in rows]

        return Response(PipelineSerializer({"by_stage": buckets(summary.by_stage), "by_kind": buckets(summary.by_kind),
                                            "open_count": summary.open_count, "open_value": summary.open_value,
                                            "total_count": summary.total_count}).data)


class SpaceViewSet(AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    """Co-working spaces with their rooms and desks."""

    queryset = Space.objects.select_related("region").prefetch_related("resources")
    serializer_class = SpaceSerializer
    filterset_class = SpaceFilterSet
    lookup_value_regex = NUMERIC_ID


class BookingViewSet(AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """Bookings of rooms and desks. Overlapping bookings of one room are refused (400, on starts_at)."""

    queryset = Booking.objects.all()
    serializer_class = BookingSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request=BookingInputSerializer, responses={201: BookingSerializer})
    def create(self, request):
        data = validated_input(BookingInputSerializer, request.data, context=self.get_serializer_context())
        booking = services.booking_create(actor=request.user, **data)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BookingCancelInputSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = validated_input(BookingCancelInputSerializer, request.data)
        booking = self.get_object()
        services.booking_cancel(actor=request.user, booking=booking, reason=data["reason"])
        return Response(BookingSerializer(self.get_queryset().get(pk=booking.pk)).data)

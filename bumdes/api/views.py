"""BUMDes, federations, their members, sites and figures, and cooperation agreements. Every write calls a service."""

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from bumdes import services
from bumdes.filtersets import AgreementFilterSet
from bumdes.filtersets import BumdesFilterSet
from bumdes.filtersets import BusinessSiteFilterSet
from bumdes.filtersets import FederationFilterSet
from bumdes.models import Bumdes
from bumdes.models import BumdesClassification
from bumdes.models import BumdesOfficer
from bumdes.models import BumdesVillage
from bumdes.models import BusinessLine
from bumdes.models import BusinessSite
from bumdes.models import CooperationAgreement
from bumdes.models import Federation
from bumdes.models import FederationCooperative
from bumdes.models import FederationVillage
from bumdes.models import SiteFigure
from core.api.parsers import PortalJSONParser
from core.api.views import NUMERIC_ID
from core.api.views import AuditTrailMixin
from core.api.views import ConditionalWriteMixin
from core.api.views import ScopedViewSetMixin
from core.api.views import validated_input
from core.roles import Action
from core.storage import private_file_response
from koperasi.models import Cooperative

from .serializers import AgreementCreateInputSerializer
from .serializers import AgreementSerializer
from .serializers import AgreementStatusInputSerializer
from .serializers import BumdesCreateInputSerializer
from .serializers import BumdesDetailSerializer
from .serializers import BumdesSerializer
from .serializers import BumdesUpdateInputSerializer
from .serializers import BusinessLineInputSerializer
from .serializers import BusinessLineSerializer
from .serializers import CapitalInputSerializer
from .serializers import ClassificationInputSerializer
from .serializers import ClassificationSerializer
from .serializers import FederationCreateInputSerializer
from .serializers import FederationSerializer
from .serializers import FederationUpdateInputSerializer
from .serializers import MemberCooperativeInputSerializer
from .serializers import MemberCooperativeSerializer
from .serializers import MembershipUpdateInputSerializer
from .serializers import MemberVillageInputSerializer
from .serializers import MemberVillageSerializer
from .serializers import OfficerInputSerializer
from .serializers import OfficerSerializer
from .serializers import SiteCreateInputSerializer
from .serializers import SiteFigureInputSerializer
from .serializers import SiteFigureSerializer
from .serializers import SiteSerializer
from .serializers import SiteUpdateInputSerializer

__all__ = ["AgreementViewSet", "BumdesViewSet", "FederationViewSet", "MemberCooperativeViewSet",
           "MemberVillageViewSet", "SiteViewSet"]

_METHODS = ["get", "post", "patch", "head", "options"]


def _scoped(model, user, pk, *, field: str, action: Action = Action.VIEW):
    """An object named by id in the input, among those the caller may see: an id outside is like one that is not."""
    if pk is None:
        return None
    found = model.objects.for_user(user, action).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("No %(thing)s with this id in your area.")
                               % {"thing": model._meta.verbose_name}})
    return found


class _Base(ConditionalWriteMixin, AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin,
            mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    http_method_names = _METHODS
    lookup_value_regex = NUMERIC_ID

    def _data(self, obj, serializer_class=None, **kwargs) -> Response:
        obj = self.get_queryset().get(pk=obj.pk)
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(obj, context=self.get_serializer_context()).data, **kwargs)


class BumdesViewSet(_Base):
    """The BUMDes registry of the caller's area: BUM Desa, BUM Desa Bersama and Bersama LKD."""

    queryset = Bumdes.objects.select_related("village").prefetch_related(
        "villages__village", "officers", "classifications", "business_lines")
    serializer_class = BumdesSerializer
    filterset_class = BumdesFilterSet

    def get_serializer_class(self):
        return BumdesSerializer if self.action == "list" else BumdesDetailSerializer

    def history_querysets(self, obj) -> list:
        return [obj.history.all(), BumdesVillage.history.filter(bumdes_id=obj.pk),
                BumdesOfficer.history.filter(bumdes_id=obj.pk), BumdesClassification.history.filter(bumdes_id=obj.pk),
                BusinessLine.history.filter(bumdes_id=obj.pk)]

    @extend_schema(request=BumdesCreateInputSerializer, responses={201: BumdesDetailSerializer})
    def create(self, request):
        """Register a BUMDes seated in a desa of the caller's area (the naming rule applies)."""
        data = validated_input(BumdesCreateInputSerializer, request.data)
        bumdes = services.bumdes_register(
            actor=request.user, kind=data["kind"], name=data["name"], village_code=data["village"],
            villages=data["founding_villages"], capital=data["capital"], address=data["address"],
            founded_on=data["founded_on"], name_registration_number=data["name_registration_number"],
            regulation_number=data["regulation_number"], regulation_date=data["regulation_date"],
            registration_number=data["registration_number"], registration_date=data["registration_date"])
        return self._data(bumdes, status=status.HTTP_201_CREATED)

    @extend_schema(request=BumdesUpdateInputSerializer, responses=BumdesDetailSerializer)
    def partial_update(self, request, pk=None):
        bumdes = self.get_object()
        data = validated_input(BumdesUpdateInputSerializer, request.data)
        return self._data(services.bumdes_update(actor=request.user, bumdes=bumdes, **data))

    @extend_schema(request=CapitalInputSerializer, responses=BumdesDetailSerializer)
    @action(detail=True, methods=["post"])
    def capital(self, request, pk=None):
        """Set a desa's capital participation (adds a founding desa to a BUM Desa Bersama)."""
        bumdes = self.get_object()
        data = validated_input(CapitalInputSerializer, request.data)
        services.bumdes_village_set(actor=request.user, bumdes=bumdes, village_code=data["village"],
                                    capital=data["capital"])
        return self._data(bumdes)

    @extend_schema(request=OfficerInputSerializer, responses={201: OfficerSerializer})
    @action(detail=True, methods=["post"])
    def officers(self, request, pk=None):
        """Record who holds an organ (penasihat, pelaksana operasional, pengawas, sekretaris, bendahara)."""
        bumdes = self.get_object()
        officer = services.bumdes_officer_add(actor=request.user, bumdes=bumdes,
                                              **validated_input(OfficerInputSerializer, request.data))
        return Response(OfficerSerializer(officer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClassificationInputSerializer, responses=ClassificationSerializer)
    @action(detail=True, methods=["post"])
    def classifications(self, request, pk=None):
        """The class of a year's ranking (Perintis, Pemula, Berkembang, Maju); the same year again corrects it."""
        bumdes = self.get_object()
        row = services.bumdes_classify(actor=request.user, bumdes=bumdes,
                                       **validated_input(ClassificationInputSerializer, request.data))
        return Response(ClassificationSerializer(row).data)

    @extend_schema(request=BusinessLineInputSerializer, responses={201: BusinessLineSerializer})
    @action(detail=True, methods=["post"], url_path="business-lines", url_name="business-lines")
    def business_lines(self, request, pk=None):
        bumdes = self.get_object()
        line = services.business_line_add(actor=request.user, bumdes=bumdes,
                                          **validated_input(BusinessLineInputSerializer, request.data))
        return Response(BusinessLineSerializer(line).data, status=status.HTTP_201_CREATED)


class FederationViewSet(_Base):
    """Federations the caller may see: those seated in their area, and the one they work for."""

    queryset = Federation.objects.select_related("seat", "bumdes", "parent")
    serializer_class = FederationSerializer
    filterset_class = FederationFilterSet

    def history_querysets(self, obj) -> list:
        return [obj.history.all(), FederationVillage.history.filter(federation_id=obj.pk),
                FederationCooperative.history.filter(federation_id=obj.pk)]

    @extend_schema(request=FederationCreateInputSerializer, responses={201: FederationSerializer})
    def create(self, request):
        """
        Record a federation. A BUM Desa Bersama federation names its registry entry (``bumdes``); its founding
        desa become member villages. A company names the BUM Desa Bersama owning it (``parent``).
        """
        data = validated_input(FederationCreateInputSerializer, request.data)
        federation = services.federation_register(
            actor=request.user, kind=data["kind"], name=data["name"], seat_code=data["seat"],
            bumdes=_scoped(Bumdes, request.user, data["bumdes"], field="bumdes"),
            parent=_scoped(Federation, request.user, data["parent"], field="parent"),
            legal_number=data["legal_number"], legal_date=data["legal_date"], address=data["address"],
            description=data["description"])
        return self._data(federation, status=status.HTTP_201_CREATED)

    @extend_schema(request=FederationUpdateInputSerializer, responses=FederationSerializer)
    def partial_update(self, request, pk=None):
        federation = self.get_object()
        data = validated_input(FederationUpdateInputSerializer, request.data)
        return self._data(services.federation_update(actor=request.user, federation=federation, **data))

    @extend_schema(request=MemberVillageInputSerializer, responses={201: MemberVillageSerializer})
    @action(detail=True, methods=["post"], url_path="member-villages", url_name="member-villages")
    def member_villages(self, request, pk=None):
        """A desa/kelurahan joins on ``joined_on`` (a member from that day), with its capital share."""
        federation = self.get_object()
        data = validated_input(MemberVillageInputSerializer, request.data)
        membership = services.federation_village_join(
            actor=request.user, federation=federation, village_code=data["village"], joined_on=data["joined_on"],
            left_on=data["left_on"], capital=data["capital"], note=data["note"])
        return Response(MemberVillageSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberCooperativeInputSerializer, responses={201: MemberCooperativeSerializer})
    @action(detail=True, methods=["post"], url_path="member-cooperatives", url_name="member-cooperatives")
    def member_cooperatives(self, request, pk=None):
        """A KDKMP joins on ``joined_on`` (e.g. a secondary cooperative's member)."""
        federation = self.get_object()
        data = validated_input(MemberCooperativeInputSerializer, request.data)
        membership = services.federation_cooperative_join(
            actor=request.user, federation=federation,
            cooperative=_scoped(Cooperative, request.user, data["cooperative"], field="cooperative"),
            joined_on=data["joined_on"], left_on=data["left_on"], capital=data["capital"], note=data["note"])
        return Response(MemberCooperativeSerializer(membership).data, status=status.HTTP_201_CREATED)


class _MembershipViewSet(_Base):
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        federation = self.request.query_params.get("federation", "")
        if federation:
            if not (federation.isascii() and federation.isdigit()):
                raise ValidationError({"federation": _("Give the federation's id.")})
            queryset = queryset.filter(federation_id=int(federation))
        current = self.request.query_params.get("on", "")
        if current:
            try:
                day = date.fromisoformat(current)
            except ValueError:
                raise ValidationError({"on": _("Enter a date as YYYY-MM-DD.")}) from None
            queryset = queryset.filter(joined_on__lte=day).exclude(left_on__lte=day)
        return queryset

    @extend_schema(request=MembershipUpdateInputSerializer)
    def partial_update(self, request, pk=None):
        """Change capital or note, correct the dates, or end the membership with ``left_on``."""
        membership = self.get_object()
        data = validated_input(MembershipUpdateInputSerializer, request.data)
        return self._data(services.membership_update(actor=request.user, membership=membership, **data))


class MemberVillageViewSet(_MembershipViewSet):
    """
    Member villages of the federations the caller may see, each period a row. ``?federation=<id>`` narrows to
    one federation, ``?on=YYYY-MM-DD`` to the members on that day.
    """

    queryset = FederationVillage.objects.select_related("village")
    serializer_class = MemberVillageSerializer


class MemberCooperativeViewSet(_MembershipViewSet):
    """Member cooperatives of the federations the caller may see (``?federation=``, ``?on=`` as for villages)."""

    queryset = FederationCooperative.objects.select_related("cooperative")
    serializer_class = MemberCooperativeSerializer


class SiteViewSet(_Base):
    """Business sites of the federations the caller may see: clinics, co-working spaces, fuel outlets, …"""

    queryset = BusinessSite.objects.select_related("village", "federation")
    serializer_class = SiteSerializer
    filterset_class = BusinessSiteFilterSet

    def history_querysets(self, obj) -> list:
        return [obj.history.all(), SiteFigure.history.filter(site_id=obj.pk)]

    @extend_schema(request=SiteCreateInputSerializer, responses={201: SiteSerializer})
    def create(self, request):
        data = validated_input(SiteCreateInputSerializer, request.data)
        federation = _scoped(Federation, request.user, data.pop("federation"), field="federation")
        village = data.pop("village")
        site = services.site_create(actor=request.user, federation=federation, village_code=village, **data)
        return self._data(site, status=status.HTTP_201_CREATED)

    @extend_schema(request=SiteUpdateInputSerializer, responses=SiteSerializer)
    def partial_update(self, request, pk=None):
        """Change a site; its status moves only as allowed (planned → preparing → operating → closed)."""
        site = self.get_object()
        data = validated_input(SiteUpdateInputSerializer, request.data)
        return self._data(services.site_update(actor=request.user, site=site, **data))

    @extend_schema(methods=["get"], responses=SiteFigureSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=SiteFigureInputSerializer, responses=SiteFigureSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def figures(self, request, pk=None):
        """GET: the site's monthly figures, newest first. POST: record (or replace) a month's figures."""
        site = self.get_object()
        if request.method == "GET":
            return Response(SiteFigureSerializer(site.figures.order_by("-month")[:240], many=True).data)
        data = validated_input(SiteFigureInputSerializer, request.data)
        year, month = (int(part) for part in data["month"].split("-"))
        figure = services.site_figure_record(actor=request.user, site=site, month=date(year, month, 1),
                                             revenue=data["revenue"], costs=data["costs"], patients=data["patients"])
        return Response(SiteFigureSerializer(figure).data)


class AgreementViewSet(_Base):
    """
    Cooperation agreements between KDKMP and BUMDes or federations. An agreement becomes active only when both
    sides are legal entities (the cooperative's SK AHU, the BUMDes' registration certificate); the 400 names the
    side that is missing.
    """

    queryset = CooperationAgreement.objects.select_related("cooperative", "bumdes", "federation")
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [PortalJSONParser, MultiPartParser, FormParser]

    @extend_schema(request=AgreementCreateInputSerializer, responses={201: AgreementSerializer})
    def create(self, request):
        """Record an agreement as a draft, or active at once with ``activate`` (both sides legal entities)."""
        data = validated_input(AgreementCreateInputSerializer, request.data)
        agreement = services.agreement_create(
            actor=request.user,
            cooperative=_scoped(Cooperative, request.user, data["cooperative"], field="cooperative"),
            bumdes=_scoped(Bumdes, request.user, data["bumdes"], field="bumdes"),
            federation=_scoped(Federation, request.user, data["federation"], field="federation"),
            kind=data["kind"], title=data["title"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            value=data["value"], note=data["note"], terms_document=request.FILES.get("terms_document"),
            activate=data["activate"])
        return self._data(agreement, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Make a draft active: both sides must be legal entities."""
        return self._data(services.agreement_activate(actor=request.user, agreement=self.get_object()))

    @extend_schema(request=AgreementStatusInputSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, pk=None):
        """End an active agreement, or cancel a draft."""
        data = validated_input(AgreementStatusInputSerializer, request.data)
        return self._data(services.agreement_set_status(actor=request.user, agreement=self.get_object(),
                                                        status=data["status"], reason=data["reason"]))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, filters=False)
    @action(detail=True, methods=["get"], url_path="terms-document", url_name="terms-document")
    def terms_document(self, request, pk=None):
        """The signed terms, for whoever may see the agreement."""
        agreement = self.get_object()
        if not agreement.terms_document:
            raise NotFound(_("No terms document is attached."))
        suffix = Path(agreement.terms_document.name).suffix.lower()
        content_types = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
        stored = SimpleNamespace(file=agreement.terms_document, content_type=content_types.get(suffix, ""),
                                 original_name=agreement.terms_document_name or f"perjanjian{suffix}")
        return private_file_response(stored)

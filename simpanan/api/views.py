"""
The savings API: settings, bills, postings (create and reverse; never PUT, PATCH or DELETE: the ledger is
append-only), balances and SHU. Every write calls a simpanan service, which checks the savings permission.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import IDEMPOTENCY_KEY
from core.api.views import NUMERIC_ID
from core.api.views import ScopedReadOnlyViewSet
from core.api.views import ScopedViewSetMixin
from core.api.views import idempotency_key
from core.api.views import validated_input
from core.client_ip import client_ip
from core.roles import Action
from core.scoping import scope_for
from core.throttling import PersonalDataThrottle
from members.models import ReadChannel
from members.services import personal_data_reads_record
from simpanan import services
from simpanan.models import Bill
from simpanan.models import MemberSavings
from simpanan.models import Posting
from simpanan.models import SavingsSetting
from simpanan.models import ShuDistribution
from simpanan.models import ShuLine

from .filtersets import BalanceFilterSet
from .filtersets import BillFilterSet
from .filtersets import PostingFilterSet
from .filtersets import SettingFilterSet
from .filtersets import ShuFilterSet
from .filtersets import ShuLineFilterSet
from .serializers import BalanceSerializer
from .serializers import BillSerializer
from .serializers import PayoutInputSerializer
from .serializers import PostingCreateInputSerializer
from .serializers import PostingSerializer
from .serializers import ReversalInputSerializer
from .serializers import SettingCreateInputSerializer
from .serializers import SettingSerializer
from .serializers import SheetInputSerializer
from .serializers import ShuCreateInputSerializer
from .serializers import ShuLineSerializer
from .serializers import ShuPostInputSerializer
from .serializers import ShuSerializer
from .serializers import ShuTransactionsInputSerializer

__all__ = ["BalanceViewSet", "BillViewSet", "PostingViewSet", "SettingViewSet", "ShuLineViewSet", "ShuViewSet"]


class SettingViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The AD/ART amounts of simpanan pokok and wajib, effective-dated (a new setting, never an edit)."""

    queryset = SavingsSetting.objects.order_by("cooperative_id", "-effective_from")
    serializer_class = SettingSerializer
    filterset_class = SettingFilterSet
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request=SettingCreateInputSerializer, responses={201: SettingSerializer})
    def create(self, request):
        data = validated_input(SettingCreateInputSerializer, request.data, context=self.get_serializer_context())
        setting = services.savings_setting_add(actor=request.user, **data)
        return Response(SettingSerializer(setting).data, status=status.HTTP_201_CREATED)


class BillViewSet(ScopedReadOnlyViewSet):
    """Bills (tagihan): simpanan pokok once per member, simpanan wajib per member and period."""

    queryset = Bill.objects.order_by("cooperative_id", "member_id", "period")
    serializer_class = BillSerializer
    filterset_class = BillFilterSet
    lookup_value_regex = NUMERIC_ID


class PostingViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The append-only savings ledger. A correction is a reversal (``…/reverse/``), never an edit or a delete."""

    queryset = Posting.objects.select_related("recorded_by", "reversed_by").order_by("-recorded_at", "-id")
    serializer_class = PostingSerializer
    filterset_class = PostingFilterSet
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    def _result(self, posting, code=status.HTTP_201_CREATED) -> Response:
        return Response(PostingSerializer(self.get_queryset().get(pk=posting.pk)).data, status=code)

    @extend_schema(request=PostingCreateInputSerializer, responses={201: PostingSerializer, 200: PostingSerializer},
                   parameters=[IDEMPOTENCY_KEY])
    def create(self, request):
        """Post a payment, a sukarela deposit or withdrawal, or an opening balance; answers the receipt."""
        data = validated_input(PostingCreateInputSerializer, request.data, context=self.get_serializer_context())
        common = {"actor": request.user, "amount": data["amount"], "reference": data.get("reference", "")}
        key = idempotency_key(request)
        if data["type"] == "payment":
            posting = services.bill_pay(bill=data["bill"], transaction_date=data["transaction_date"],
                                        submission_key=key, **common)
        elif data["type"] == "deposit":
            posting = services.sukarela_deposit(member=data["member"], transaction_date=data["transaction_date"],
                                                submission_key=key, **common)
        elif data["type"] == "withdrawal":
            posting = services.sukarela_withdraw(member=data["member"], transaction_date=data["transaction_date"],
                                                 submission_key=key, **common)
        else:  # idempotent by itself: the same opening balance again returns the first
            posting = services.opening_balance_post(member=data["member"], kind=data["kind"],
                                                    as_of=data["transaction_date"], **common)
        return self._result(posting, status.HTTP_200_OK if getattr(posting, "repeated", False) else
                            status.HTTP_201_CREATED)

    @extend_schema(request=SheetInputSerializer, responses={201: PostingSerializer(many=True),
                                                            200: PostingSerializer(many=True)},
                   parameters=[IDEMPOTENCY_KEY])
    @action(detail=False, methods=["post"])
    def sheet(self, request):
        """
        Post a collection sheet: payments against many bills of one cooperative, all or nothing (a wrong row
        refuses the sheet; the messages name the rows). Answers the postings with their receipt numbers.
        """
        data = validated_input(SheetInputSerializer, request.data, context=self.get_serializer_context())
        postings = services.bill_payments_post(
            actor=request.user, cooperative=data["cooperative"], transaction_date=data["transaction_date"],
            reference=data.get("reference", ""), submission_key=idempotency_key(request),
            payments=[(payment["bill"], payment["amount"]) for payment in data["payments"]])
        rows = self.get_queryset().filter(pk__in=[posting.pk for posting in postings]).order_by("id")
        repeated = any(getattr(posting, "repeated", False) for posting in postings)
        return Response(PostingSerializer(rows, many=True).data,
                        status=status.HTTP_200_OK if repeated else status.HTTP_201_CREATED)

    @extend_schema(request=PayoutInputSerializer, responses={201: PostingSerializer(many=True),
                                                             200: PostingSerializer(many=True)},
                   parameters=[IDEMPOTENCY_KEY])
    @action(detail=False, methods=["post"])
    def payout(self, request):
        """
        Pay out a member who left (keluar) or died: simpanan pokok, wajib and sukarela, one withdrawal per kind
        held. Answers the postings with their receipt numbers.
        """
        data = validated_input(PayoutInputSerializer, request.data, context=self.get_serializer_context())
        postings = services.savings_payout(actor=request.user, member=data["member"],
                                           transaction_date=data["transaction_date"],
                                           reference=data.get("reference", ""), submission_key=idempotency_key(request))
        rows = self.get_queryset().filter(pk__in=[posting.pk for posting in postings]).order_by("id")
        repeated = any(getattr(posting, "repeated", False) for posting in postings)
        return Response(PostingSerializer(rows, many=True).data,
                        status=status.HTTP_200_OK if repeated else status.HTTP_201_CREATED)

    @extend_schema(request=ReversalInputSerializer, responses={201: PostingSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Post the reversal of this posting (once), with the reason."""
        posting = self.get_object()
        data = validated_input(ReversalInputSerializer, request.data)
        reversal = services.posting_reverse(actor=request.user, posting=posting, reason=data["reason"],
                                            transaction_date=data.get("transaction_date"))
        return self._result(reversal)


class BalanceViewSet(ScopedReadOnlyViewSet):
    """Members' balances per kind, kept at posting time (``id`` is the member's id)."""

    queryset = MemberSavings.objects.select_related("member", "member__cooperative").order_by("member_id")
    serializer_class = BalanceSerializer
    filterset_class = BalanceFilterSet
    lookup_value_regex = NUMERIC_ID

    def get_throttles(self):
        return [PersonalDataThrottle()]

    def _log_full_niks(self, rows) -> None:
        personal = scope_for(self.request.user, Action.VIEW_PERSONAL_DATA)
        shown = [row.member for row in rows if personal.contains(row.member.cooperative.village_id)]
        if shown:
            personal_data_reads_record(user=self.request.user, members=shown, channel=ReadChannel.API,
                                       ip_address=client_ip(self.request))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self._log_full_niks(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        savings = self.get_object()
        self._log_full_niks([savings])
        return Response(self.get_serializer(savings).data)


class ShuViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """SHU of closed financial years: entered (draft), reviewed, then posted to simpanan sukarela once."""

    queryset = ShuDistribution.objects.order_by("cooperative_id", "-year")
    serializer_class = ShuSerializer
    filterset_class = ShuFilterSet
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = NUMERIC_ID

    @extend_schema(request=ShuCreateInputSerializer, responses={201: ShuSerializer})
    def create(self, request):
        data = validated_input(ShuCreateInputSerializer, request.data, context=self.get_serializer_context())
        distribution = services.shu_distribution_create(actor=request.user, **data)
        return Response(ShuSerializer(distribution).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShuTransactionsInputSerializer, responses=ShuSerializer)
    @action(detail=True, methods=["post"])
    def transactions(self, request, pk=None):
        """Replace the members' transactions of a draft (jasa usaha basis); the shares are computed again."""
        distribution = self.get_object()
        data = validated_input(ShuTransactionsInputSerializer, request.data)
        amounts = {row["member"]: row["amount"] for row in data["transactions"]}
        distribution = services.shu_transactions_set(actor=request.user, distribution=distribution,
                                                     transactions=amounts)
        return Response(ShuSerializer(distribution).data)

    @extend_schema(request=None, responses=ShuSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        distribution = services.shu_review(actor=request.user, distribution=self.get_object())
        return Response(ShuSerializer(distribution).data)

    @extend_schema(request=ShuPostInputSerializer, responses=ShuSerializer)
    @action(detail=True, methods=["post"], url_path="post", url_name="post")
    def post_shares(self, request, pk=None):
        """Post every member's SHU to simpanan sukarela in one transaction; a second post is refused."""
        distribution = self.get_object()
        data = validated_input(ShuPostInputSerializer, request.data)
        services.shu_post(actor=request.user, distribution=distribution,
                          transaction_date=data.get("transaction_date"))
        distribution.refresh_from_db()
        return Response(ShuSerializer(distribution).data)


class ShuLineViewSet(ScopedReadOnlyViewSet):
    """Members' SHU shares."""

    queryset = ShuLine.objects.select_related("member").order_by("distribution_id", "member_id")
    serializer_class = ShuLineSerializer
    filterset_class = ShuLineFilterSet
    lookup_value_regex = NUMERIC_ID

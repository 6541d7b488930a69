"""Input and output serializers of the savings API. Money is whole rupiah (integers), never decimals."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ScopedPrimaryKeyRelatedField
from core.api.fields import WholeNumberField
from core.roles import Action
from core.scoping import scope_for
from koperasi.models import Cooperative
from members.models import Member
from simpanan.models import MAX_AMOUNT
from simpanan.models import Bill
from simpanan.models import MemberSavings
from simpanan.models import Posting
from simpanan.models import SavingsKind
from simpanan.models import SavingsSetting
from simpanan.models import ShuDistribution
from simpanan.models import ShuLine
from simpanan.models import WajibPeriod
from simpanan.services import MAX_SHEET_PAYMENTS

__all__ = [
    "BalanceSerializer",
    "BillSerializer",
    "PayoutInputSerializer",
    "PostingCreateInputSerializer",
    "PostingSerializer",
    "ReversalInputSerializer",
    "SettingCreateInputSerializer",
    "SettingSerializer",
    "ShuCreateInputSerializer",
    "ShuLineSerializer",
    "ShuPostInputSerializer",
    "ShuSerializer",
    "ShuTransactionsInputSerializer",
]


def _amount(**kwargs):
    return WholeNumberField(min_value=1, max_value=MAX_AMOUNT, help_text="Whole rupiah.", **kwargs)


class SettingSerializer(serializers.ModelSerializer):
    class Meta:
        model = SavingsSetting
        fields = ["id", "cooperative", "effective_from", "pokok_amount", "wajib_amount", "wajib_period", "basis",
                  "created_at"]


class SettingCreateInputSerializer(serializers.Serializer):
    cooperative = ScopedPrimaryKeyRelatedField(Cooperative)
    effective_from = serializers.DateField()
    pokok_amount = _amount()
    wajib_amount = _amount()
    wajib_period = serializers.ChoiceField(choices=WajibPeriod.choices)
    basis = serializers.CharField(max_length=200, required=False, allow_blank=True)


class BillSerializer(serializers.ModelSerializer):
    outstanding = serializers.IntegerField(read_only=True)

    class Meta:
        model = Bill
        fields = ["id", "cooperative", "member", "kind", "period", "amount", "paid_amount", "outstanding",
                  "created_at"]


class PostingSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = Posting
        fields = ["id", "cooperative", "member", "kind", "entry_type", "amount", "bill", "reverses", "reversed_by",
                  "transaction_date", "receipt_number", "reference", "recorded_by", "recorded_at"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, posting):
        reversal = getattr(posting, "reversed_by", None)
        return reversal.pk if reversal else None


class PostingCreateInputSerializer(serializers.Serializer):
    """
    ``payment`` against a ``bill``; ``deposit`` or ``withdrawal`` of simpanan sukarela of a ``member``;
    ``opening`` balance of a ``member`` for a ``kind`` (posted once; the same amount again is a no-op).
    """

    type = serializers.ChoiceField(choices=["payment", "deposit", "withdrawal", "opening"])
    bill = ScopedPrimaryKeyRelatedField(Bill, required=False)
    member = ScopedPrimaryKeyRelatedField(Member, required=False)
    kind = serializers.ChoiceField(choices=SavingsKind.choices, required=False)
    amount = _amount()
    transaction_date = serializers.DateField()
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate(self, data):
        needed = {"payment": ["bill"], "deposit": ["member"], "withdrawal": ["member"],
                  "opening": ["member", "kind"]}[data["type"]]
        missing = {name: ["This field is required for this type."] for name in needed if name not in data}
        if missing:
            raise serializers.ValidationError(missing)
        return data


class PayoutInputSerializer(serializers.Serializer):
    """Everything a member who left holds (pokok, wajib, sukarela), paid out on a day from their leaving on."""

    member = ScopedPrimaryKeyRelatedField(Member)
    transaction_date = serializers.DateField()
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SheetPaymentSerializer(serializers.Serializer):
    bill = WholeNumberField(min_value=1, max_value=2**63 - 1)
    amount = _amount()


class SheetInputSerializer(serializers.Serializer):
    """A collection sheet: payments against bills of one cooperative, posted together or not at all."""

    cooperative = ScopedPrimaryKeyRelatedField(Cooperative)
    transaction_date = serializers.DateField()
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    payments = SheetPaymentSerializer(many=True, allow_empty=False, max_length=MAX_SHEET_PAYMENTS)


class ReversalInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Why the posting is corrected.")
    transaction_date = serializers.DateField(required=False, help_text="Today when omitted.")


class BalanceSerializer(serializers.ModelSerializer):
    """A member's balances. The NIK in full only for users who may see personal data in the village."""

    member = serializers.IntegerField(source="member_id", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)
    member_number = serializers.CharField(source="member.member_number", read_only=True)
    nik = serializers.SerializerMethodField()
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = MemberSavings
        fields = ["member", "cooperative", "member_name", "member_number", "nik", "pokok", "wajib", "sukarela",
                  "total", "updated_at"]

    def get_nik(self, savings) -> str:
        request = self.context.get("request")
        personal = scope_for(request.user if request else None, Action.VIEW_PERSONAL_DATA)
        return savings.member.nik if personal.contains(savings.member.cooperative.village_id) else \
            savings.member.masked_nik


class ShuLineSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = ShuLine
        fields = ["id", "distribution", "member", "member_name", "savings_basis", "transactions_basis", "jasa_modal",
                  "jasa_usaha", "total"]


class ShuSerializer(serializers.ModelSerializer):
    class Meta:
        model = ShuDistribution
        fields = ["id", "cooperative", "year", "surplus", "jasa_modal_bp", "jasa_usaha_bp", "other_allocations",
                  "allocation_amounts", "status", "created_at", "reviewed_at", "posted_at"]


class ShuCreateInputSerializer(serializers.Serializer):
    cooperative = ScopedPrimaryKeyRelatedField(Cooperative)
    year = WholeNumberField(min_value=2000, max_value=2100)
    surplus = _amount()
    jasa_modal_bp = WholeNumberField(min_value=0, max_value=10_000, help_text="Basis points: 25 % = 2500.")
    jasa_usaha_bp = WholeNumberField(min_value=0, max_value=10_000)
    other_allocations = serializers.DictField(child=WholeNumberField(min_value=0, max_value=10_000),
                                              required=False, help_text='e.g. {"cadangan": 4000}')


class _MemberAmount(serializers.Serializer):
    member = WholeNumberField(min_value=1)
    amount = WholeNumberField(min_value=0, max_value=MAX_AMOUNT)


class ShuTransactionsInputSerializer(serializers.Serializer):
    transactions = _MemberAmount(many=True, help_text="Each member's transactions in the year (jasa usaha basis).")


class ShuPostInputSerializer(serializers.Serializer):
    transaction_date = serializers.DateField(required=False, help_text="Today when omitted.")

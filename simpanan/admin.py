"""The admin shows the savings; it never changes the ledger (append-only) or the balances the services keep."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bill
from .models import CooperativeSavings
from .models import MemberSavings
from .models import Posting
from .models import SavingsSetting
from .models import ShuDistribution


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: listed and opened, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "cooperative", "member", "kind", "entry_type", "amount", "transaction_date",
                    "recorded_by", "recorded_at"]
    list_filter = ["kind", "entry_type"]
    search_fields = ["receipt_number"]
    raw_id_fields = ["cooperative", "member", "bill", "reverses", "shu_line"]
    list_select_related = ["cooperative", "member", "recorded_by"]


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "member", "kind", "period", "amount", "paid_amount"]
    list_filter = ["kind"]
    raw_id_fields = ["cooperative", "member"]


@admin.register(MemberSavings)
class MemberSavingsAdmin(ReadOnlyAdmin):
    list_display = ["member", "cooperative", "pokok", "wajib", "sukarela", "updated_at"]
    raw_id_fields = ["member", "cooperative"]


@admin.register(CooperativeSavings)
class CooperativeSavingsAdmin(ReadOnlyAdmin):
    list_display = ["cooperative", "pokok", "wajib", "sukarela", "arrears", "updated_at"]
    raw_id_fields = ["cooperative"]


@admin.register(SavingsSetting)
class SavingsSettingAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["cooperative", "effective_from", "pokok_amount", "wajib_amount", "wajib_period"]
    raw_id_fields = ["cooperative"]


@admin.register(ShuDistribution)
class ShuDistributionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["cooperative", "year", "surplus", "status"]
    raw_id_fields = ["cooperative"]

"""Filters of the savings endpoints."""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter
from core.filters import WholeNumberFilter
from simpanan.models import Bill
from simpanan.models import BillKind
from simpanan.models import EntryType
from simpanan.models import MemberSavings
from simpanan.models import Posting
from simpanan.models import SavingsKind
from simpanan.models import SavingsSetting
from simpanan.models import ShuDistribution
from simpanan.models import ShuLine
from simpanan.models import ShuStatus

__all__ = ["BalanceFilterSet", "BillFilterSet", "PostingFilterSet", "SettingFilterSet", "ShuFilterSet",
           "ShuLineFilterSet"]


class SettingFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))

    class Meta:
        model = SavingsSetting
        fields = ["cooperative"]


class BillFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    member = WholeNumberFilter(field_name="member_id", label=_("Member"))
    kind = django_filters.ChoiceFilter(choices=BillKind.choices, label=_("Kind"))
    open = StrictBooleanFilter(method="filter_open", label=_("Not yet paid in full"))

    class Meta:
        model = Bill
        fields = ["cooperative", "member", "kind", "open"]

    def filter_open(self, queryset, name, value):
        return queryset.filter(paid_amount__lt=F("amount")) if value else queryset.filter(paid_amount=F("amount"))


class PostingFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    member = WholeNumberFilter(field_name="member_id", label=_("Member"))
    kind = django_filters.ChoiceFilter(choices=SavingsKind.choices, label=_("Kind"))
    entry_type = django_filters.ChoiceFilter(choices=EntryType.choices, label=_("Type"))
    receipt_number = django_filters.CharFilter(label=_("Receipt number"), max_length=20)

    class Meta:
        model = Posting
        fields = ["cooperative", "member", "kind", "entry_type", "receipt_number"]


class BalanceFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))

    class Meta:
        model = MemberSavings
        fields = ["cooperative"]


class ShuFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    status = django_filters.ChoiceFilter(choices=ShuStatus.choices, label=_("Status"))

    class Meta:
        model = ShuDistribution
        fields = ["cooperative", "status"]


class ShuLineFilterSet(django_filters.FilterSet):
    distribution = WholeNumberFilter(field_name="distribution_id", label=_("SHU distribution"))
    member = WholeNumberFilter(field_name="member_id", label=_("Member"))

    class Meta:
        model = ShuLine
        fields = ["distribution", "member"]

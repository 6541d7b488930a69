"""Filters of the member and position endpoints."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter
from core.filters import WholeNumberFilter
from members.models import Member
from members.models import MemberStatus
from members.models import Position
from members.models import PositionRole

__all__ = ["MemberFilterSet", "PositionFilterSet"]


class MemberFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    is_founder = StrictBooleanFilter(label=_("Founding member"))
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("Status"))
    member_number = django_filters.CharFilter(field_name="member_number", label=_("Member number"))

    class Meta:
        model = Member
        fields = ["cooperative", "q", "is_founder", "status", "member_number"]


class PositionFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    member = WholeNumberFilter(field_name="member_id", label=_("Member"))
    role = django_filters.ChoiceFilter(choices=PositionRole.choices, label=_("Position"))
    active = StrictBooleanFilter(method="filter_active", label=_("Held now"))

    class Meta:
        model = Position
        fields = ["cooperative", "member", "role", "active"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=value)

"""Filters of the business-unit endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import WholeNumberFilter
from units.models import Unit
from units.models import UnitStatus
from units.models import UnitType

__all__ = ["UnitFilterSet"]


class UnitFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    unit_type = django_filters.ModelChoiceFilter(queryset=UnitType.objects.all(), to_field_name="code",
                                                 label=_("Unit type code"))
    status = django_filters.ChoiceFilter(choices=UnitStatus.choices, label=_("Readiness"))

    class Meta:
        model = Unit
        fields = ["cooperative", "unit_type", "status"]

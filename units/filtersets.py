"""Filters that units add to other apps' lists."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Unit
from .models import UnitStatus
from .models import UnitType

__all__ = ["CooperativeUnitFilters"]


class CooperativeUnitFilters(django_filters.FilterSet):
    """
    The cooperative list filtered by its units (added through ``koperasi.extensions``). Type and status
    combine into one condition: "a gerai sembako that is operational", not two separate units.
    """

    unit_type = django_filters.ModelChoiceFilter(queryset=UnitType.objects.all(), to_field_name="code",
                                                 method="filter_unit", label=_("Unit type"))
    unit_status = django_filters.ChoiceFilter(choices=UnitStatus.choices, method="filter_unit", label=_("Unit status"))

    @extend_schema_field(OpenApiTypes.STR)  # the API schema: unit codes are strings
    def filter_unit(self, queryset, name, value):
        unit_type = self.form.cleaned_data.get("unit_type")
        unit_status = self.form.cleaned_data.get("unit_status")
        if name == "unit_status" and unit_type:
            return queryset  # applied together with unit_type
        units = Unit.objects.all()
        if unit_type:
            units = units.filter(unit_type=unit_type)
        if unit_status:
            units = units.filter(status=unit_status)
        return queryset.filter(pk__in=units.values("cooperative_id"))

"""Filters of the cooperative and formation-stage endpoints."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from koperasi.filtersets import CooperativeFilterSet
from koperasi.models import FormationStage
from koperasi.models import StageProgress
from koperasi.models import StageStatus

__all__ = ["CooperativeApiFilterSet", "StageProgressFilterSet"]


class CooperativeApiFilterSet(CooperativeFilterSet):
    """The cooperative list's FilterSet, with the API schema type of its method filters declared."""

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_stalled(self, queryset, name, value):
        return super().filter_stalled(queryset, name, value)


class StageProgressFilterSet(django_filters.FilterSet):
    cooperative = django_filters.NumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    stage = django_filters.ModelChoiceFilter(queryset=FormationStage.objects.all(), to_field_name="code",
                                             label=_("Stage code"))
    status = django_filters.ChoiceFilter(choices=StageStatus.choices, label=_("Status"))

    class Meta:
        model = StageProgress
        fields = ["cooperative", "stage", "status"]

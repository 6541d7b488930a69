"""Filters of the cooperative and formation-stage endpoints."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import WholeNumberFilter
from koperasi.models import FormationStage
from koperasi.models import StageProgress
from koperasi.models import StageStatus

__all__ = ["StageProgressFilterSet"]


class StageProgressFilterSet(django_filters.FilterSet):
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    stage = django_filters.ModelChoiceFilter(queryset=FormationStage.objects.all(), to_field_name="code",
                                             label=_("Stage code"))
    status = django_filters.ChoiceFilter(choices=StageStatus.choices, label=_("Status"))

    class Meta:
        model = StageProgress
        fields = ["cooperative", "stage", "status"]

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from core.filters import StrictBooleanFilter
from wilayah.forms import RegionFilter

from .models import Target
from .models import TargetMetric

__all__ = ["TargetFilterSet"]


class TargetFilterSet(ScopedFilterSet):
    region = RegionFilter()
    metric = django_filters.ChoiceFilter(choices=TargetMetric.choices, label=_("Measure"))
    stage = django_filters.CharFilter(field_name="stage__code", label=_("Stage code"))
    top_level = StrictBooleanFilter(field_name="parent", lookup_expr="isnull",
                                    label=_("Only targets not split from another"))

    class Meta:
        model = Target
        fields = ["region", "metric", "stage", "top_level"]

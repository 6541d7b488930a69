"""
One FilterSet for the cooperative list: used by the UI, the API and the tests. Apps above koperasi
add their own filters to it (units: unit type and status) through ``koperasi.extensions``.
"""

from datetime import timedelta

import django_filters
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from core.filters import StrictBooleanFilter
from core.filters import WholeNumberFilter
from wilayah.forms import RegionFilter

from .models import Cooperative
from .models import CooperativeKind
from .models import FormationModel
from .models import FormationStage
from .models import StageProgress

__all__ = ["CooperativeFilterSet", "ReviewQueueFilterSet"]


class CooperativeFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    region = RegionFilter(label=_("Kecamatan or desa"))
    stage = django_filters.CharFilter(field_name="stage_reached__code", label=_("Stage reached"))
    formation_model = django_filters.ChoiceFilter(choices=FormationModel.choices, label=_("Formation model"))
    kind = django_filters.ChoiceFilter(choices=CooperativeKind.choices, label=_("Type"))
    completed = StrictBooleanFilter(field_name="formation_completed", label=_("Formation completed"))
    stalled = StrictBooleanFilter(method="filter_stalled", label=_("Stalled"),
                                  help_text=_("No stage completed for more than STALLED_AFTER_DAYS days."))

    class Meta:
        model = Cooperative
        fields = ["q", "region", "stage", "formation_model", "kind", "completed", "stalled"]

    def filter_stalled(self, queryset, name, value):
        stalled = queryset.stalled(days=settings.STALLED_AFTER_DAYS, now=timezone.now())
        return stalled if value else queryset.exclude(pk__in=stalled.values("pk"))


class ReviewQueueFilterSet(ScopedFilterSet):
    """The verification queue by kecamatan (or desa), stage and how long items have waited."""

    region = RegionFilter(label=_("Kecamatan or desa"))
    stage = django_filters.ModelChoiceFilter(queryset=FormationStage.objects.all(), to_field_name="code",
                                             label=_("Stage"))
    waiting = WholeNumberFilter(method="filter_waiting", label=_("Waiting at least (days)"),
                                          min_value=0, max_value=3650)

    class Meta:
        model = StageProgress
        fields = ["region", "stage", "waiting"]

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(submitted_at__lte=timezone.now() - timedelta(days=int(value)))

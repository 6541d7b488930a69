"""One FilterSet for the cooperative list: used by the UI, the API and the tests."""

import django_filters
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import RegionSubtreeFilter
from core.filters import StrictBooleanFilter
from units.models import UnitStatus

from .models import Cooperative
from .models import CooperativeKind
from .models import FormationModel

__all__ = ["CooperativeFilterSet"]


class CooperativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    region = RegionSubtreeFilter()
    stage = django_filters.CharFilter(field_name="stage_reached__code", label=_("Stage reached"))
    formation_model = django_filters.ChoiceFilter(choices=FormationModel.choices, label=_("Formation model"))
    kind = django_filters.ChoiceFilter(choices=CooperativeKind.choices, label=_("Type"))
    completed = StrictBooleanFilter(field_name="formation_completed", label=_("Formation completed"))
    stalled = StrictBooleanFilter(method="filter_stalled", label=_("Stalled"),
                                  help_text=_("No stage completed for more than STALLED_AFTER_DAYS days."))
    unit_type = django_filters.CharFilter(method="filter_unit", label=_("Unit type"))
    unit_status = django_filters.ChoiceFilter(choices=UnitStatus.choices, method="filter_unit", label=_("Unit status"))

    class Meta:
        model = Cooperative
        fields = ["q", "region", "stage", "formation_model", "kind", "completed", "stalled", "unit_type",
                  "unit_status"]

    def filter_stalled(self, queryset, name, value):
        stalled = queryset.stalled(days=settings.STALLED_AFTER_DAYS, now=timezone.now())
        return stalled if value else queryset.exclude(pk__in=stalled.values("pk"))

    def filter_unit(self, queryset, name, value):
        # unit_type and unit_status combine: "a gerai sembako that is operational", not two separate units.
        unit_type = self.form.cleaned_data.get("unit_type")
        unit_status = self.form.cleaned_data.get("unit_status")
        if name == "unit_status" and unit_type:
            return queryset  # applied together with unit_type
        conditions = {}
        if unit_type:
            conditions["units__unit_type__code"] = unit_type
        if unit_status:
            conditions["units__status"] = unit_status
        return queryset.filter(pk__in=Cooperative.objects.filter(**conditions).values("pk")) if conditions else queryset

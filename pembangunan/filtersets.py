"""The filters of the plot, project and unit-report lists (the pages and the API)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from core.filters import StrictBooleanFilter
from core.filters import WholeNumberFilter
from wilayah.forms import RegionFilter

from .models import ConstructionProject
from .models import LandPlot
from .models import PlotStatus
from .models import UnitMonthlyReport

__all__ = ["ConstructionProjectFilterSet", "LandPlotFilterSet", "UnitMonthlyReportFilterSet"]


class LandPlotFilterSet(ScopedFilterSet):
    region = RegionFilter(label=_("Province, kabupaten, kecamatan or desa"))
    status = django_filters.ChoiceFilter(choices=PlotStatus.choices, label=_("Status"))
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))

    class Meta:
        model = LandPlot
        fields = ["region", "status", "cooperative"]


class ConstructionProjectFilterSet(ScopedFilterSet):
    region = RegionFilter(label=_("Province, kabupaten, kecamatan or desa"))
    handed_over = StrictBooleanFilter(method="filter_handed_over", label=_("Handed over"))
    overdue = StrictBooleanFilter(method="filter_overdue", label=_("Overdue handover"),
                                  help_text=_("true: past the planned finish and not handed over."))
    plot = WholeNumberFilter(field_name="plot_id", label=_("Land plot"))

    class Meta:
        model = ConstructionProject
        fields = ["region", "handed_over", "overdue", "plot"]

    def filter_handed_over(self, queryset, name, value):
        return queryset.filter(handed_over_on__isnull=not value)

    def filter_overdue(self, queryset, name, value):
        overdue = {"handed_over_on__isnull": True, "planned_finish__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)


class UnitMonthlyReportFilterSet(ScopedFilterSet):
    region = RegionFilter(label=_("Province, kabupaten, kecamatan or desa"))
    unit = WholeNumberFilter(field_name="unit_id", label=_("Unit"))

    class Meta:
        model = UnitMonthlyReport
        fields = ["region", "unit"]

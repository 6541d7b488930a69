"""The filters of the visit list (the page and the API) and of the coordinator list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from core.filters import WholeNumberFilter
from wilayah.forms import RegionFilter
from wilayah.models import Region

from .models import Visit

__all__ = ["DistrictFilterSet", "VisitFilterSet"]


class VisitFilterSet(ScopedFilterSet):
    village = RegionFilter(label=_("Desa, kecamatan or kabupaten"))
    cooperative = WholeNumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    officer = django_filters.ChoiceFilter(choices=[("me", _("me"))], method="filter_officer",
                                          label=_("Only my visits"), help_text=_("officer=me: only my own visits."))

    class Meta:
        model = Visit
        fields = ["village", "cooperative", "officer"]

    def filter_officer(self, queryset, name, value):
        return queryset.filter(officer=self.request.user) if value == "me" else queryset


class DistrictFilterSet(ScopedFilterSet):
    """The kecamatan of the coordinator list, narrowed to a kabupaten/kota (or province)."""

    region = RegionFilter(label=_("Kabupaten/kota or province"))

    class Meta:
        model = Region
        fields = ["region"]

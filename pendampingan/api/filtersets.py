"""Filters of the visit endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import RegionSubtreeFilter
from pendampingan.models import Visit

__all__ = ["VisitFilterSet"]


class VisitFilterSet(django_filters.FilterSet):
    village = RegionSubtreeFilter()
    cooperative = django_filters.NumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    officer = django_filters.ChoiceFilter(choices=[("me", _("me"))], method="filter_officer",
                                          label=_("Only my visits"), help_text=_("officer=me: only my own visits."))

    class Meta:
        model = Visit
        fields = ["village", "cooperative", "officer"]

    def filter_officer(self, queryset, name, value):
        return queryset.filter(officer=self.request.user) if value == "me" else queryset

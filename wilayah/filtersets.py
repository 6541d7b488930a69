"""One FilterSet for regions, used by the region browser search, the API and the tests."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import RegionSubtreeFilter
from core.filters import StrictBooleanFilter

from .models import Region
from .models import RegionKind
from .models import RegionLevel

__all__ = ["RegionFilterSet"]


class RegionFilterSet(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent_id", label=_("Parent code"))
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=_("Level"))
    kind = django_filters.ChoiceFilter(choices=RegionKind.choices, label=_("Kind"))
    code_prefix = RegionSubtreeFilter(label=_("Code prefix"))
    q = django_filters.CharFilter(method="search", label=_("Name or code"))
    is_active = StrictBooleanFilter(label=_("In the current official list"))

    class Meta:
        model = Region
        fields = ["parent", "level", "kind", "code_prefix", "q", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value[:1].isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(Q(name__icontains=value))

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from core.filters import StrictBooleanFilter
from core.roles import Role
from wilayah.forms import RegionFilter

from .models import User

__all__ = ["UserFilterSet"]


class UserFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or e-mail"))
    role = django_filters.ChoiceFilter(field_name="role_assignments__role", choices=Role.choices, label=_("Role"),
                                       distinct=True)
    region = RegionFilter()
    is_active = StrictBooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "region", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value)) if value else queryset

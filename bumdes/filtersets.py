"""One FilterSet per list (pages, API and tests): BUMDes, federations, business sites, agreements."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import ScopedFilterSet
from core.filters import StrictBooleanFilter
from core.scoping import Scope
from wilayah.forms import RegionFilter

from .models import AgreementKind
from .models import AgreementStatus
from .models import Bumdes
from .models import BumdesKind
from .models import BusinessSite
from .models import CooperationAgreement
from .models import Federation
from .models import FederationKind
from .models import SiteKind
from .models import SiteStatus

__all__ = ["AgreementFilterSet", "BumdesFilterSet", "BusinessSiteFilterSet", "FederationFilterSet"]


class _RegionOfField(RegionFilter):
    """A region (and everything below it) matched on another region field than the row's scope path."""

    def __init__(self, *, path: str, **kwargs):
        self.path = path
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        return queryset.filter(Scope.of([value.code]).q(self.path)) if value else queryset


class BumdesFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    region = RegionFilter(label=_("Kecamatan or desa"))
    kind = django_filters.ChoiceFilter(choices=BumdesKind.choices, label=_("Type"))
    legal_entity = StrictBooleanFilter(method="filter_legal_entity", label=_("Legal entity"),
                                       help_text=_("true: with its registration certificate; false: without."))

    class Meta:
        model = Bumdes
        fields = ["q", "region", "kind", "legal_entity"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_legal_entity(self, queryset, name, value):
        registered = queryset.exclude(registration_number="").filter(registration_date__isnull=False)
        return registered if value else queryset.exclude(pk__in=registered.values("pk"))


class FederationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(choices=FederationKind.choices, label=_("Type"))
    region = RegionFilter(label=_("Seat in"))

    class Meta:
        model = Federation
        fields = ["q", "kind", "region"]


class BusinessSiteFilterSet(ScopedFilterSet):
    federation = django_filters.NumberFilter(field_name="federation_id", label=_("Federation"))
    kind = django_filters.ChoiceFilter(choices=SiteKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=SiteStatus.choices, label=_("Status"))
    region = _RegionOfField(path="village__code", label=_("Kecamatan or desa"))

    class Meta:
        model = BusinessSite
        fields = ["federation", "kind", "status", "region"]


class AgreementFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label=_("Kind"))
    region = RegionFilter(label=_("Cooperative in"))
    cooperative = django_filters.NumberFilter(field_name="cooperative_id", label=_("Cooperative"))
    bumdes = django_filters.NumberFilter(field_name="bumdes_id", label=_("BUMDes"))
    federation = django_filters.NumberFilter(field_name="federation_id", label=_("Federation"))

    class Meta:
        model = CooperationAgreement
        fields = ["status", "kind", "region", "cooperative", "bumdes", "federation"]

"""The filters of the event, partner and deal lists (pages and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from core.filters import WholeNumberFilter
from wilayah.forms import RegionFilter

from .models import Deal
from .models import DealKind
from .models import DealStage
from .models import Event
from .models import EventKind
from .models import Partner
from .models import PartnerKind
from .models import Space

__all__ = ["DealFilterSet", "EventFilterSet", "PartnerFilterSet", "SpaceFilterSet"]


class EventFilterSet(ScopedFilterSet):
    region = RegionFilter(label=_("Area"))
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"), max_length=100)

    class Meta:
        model = Event
        fields = ["region", "kind", "q"]


class PartnerFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, label=_("Kind"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"), max_length=100)

    class Meta:
        model = Partner
        fields = ["kind", "q"]


class DealFilterSet(ScopedFilterSet):
    region = RegionFilter(label=_("Area"))
    kind = django_filters.ChoiceFilter(choices=DealKind.choices, label=_("Kind"))
    stage = django_filters.ChoiceFilter(choices=DealStage.choices, label=_("Stage"))
    partner = WholeNumberFilter(field_name="partner_id", label=_("Partner"))
    event = WholeNumberFilter(field_name="event_id", label=_("Event"))

    class Meta:
        model = Deal
        fields = ["region", "kind", "stage", "partner", "event"]


class SpaceFilterSet(ScopedFilterSet):
    region = RegionFilter(label=_("Area"))

    class Meta:
        model = Space
        fields = ["region"]

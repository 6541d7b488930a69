"""Filters of the notification list (page and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter

from .models import Notification
from .models import NotificationKind

__all__ = ["NotificationFilterSet"]


class NotificationFilterSet(django_filters.FilterSet):
    unread = StrictBooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("Unread only"))
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

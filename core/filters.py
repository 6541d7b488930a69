import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.identifiers import REGION_CODE_PATTERN
from core.scoping import Scope

__all__ = ["RegionSubtreeFilter", "StrictBooleanFilter"]

_REGION_CODE = RegexValidator(REGION_CODE_PATTERN, _("Enter a Kemendagri code such as 33.18 or 33.18.01."))


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true``/``false`` only: anything else is a 400 with the field named, not silently ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("true", _("yes")), ("false", _("no"))])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(**kwargs)


class RegionSubtreeFilter(django_filters.CharFilter):
    """Rows inside the subtree of a region code, through the model's own scope path (the one mechanism)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Region code"))
        kwargs.setdefault(
            "help_text", _("A province, kabupaten, kecamatan or desa code; includes everything below it.")
        )
        kwargs.setdefault("validators", [_REGION_CODE])
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        return queryset.within(Scope.of([value.strip()])) if value else queryset

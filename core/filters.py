import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.identifiers import REGION_CODE_PATTERN
from core.scoping import Scope

__all__ = ["RegionSubtreeFilter", "ScopedFilterSet", "StrictBooleanFilter", "WholeNumberFilter"]

_REGION_CODE = RegexValidator(REGION_CODE_PATTERN, _("Enter a Kemendagri code such as 33.18 or 33.18.01."))


@extend_schema_field(OpenApiTypes.BOOL)  # the API schema: a boolean, whose true/false validate
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """``true``/``false`` only: anything else is a 400 with the field named, not silently ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("true", _("yes")), ("false", _("no"))])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(**kwargs)


class WholeNumberFilter(django_filters.NumberFilter):
    """
    An id or a count: a whole number (``1.5`` is a 400 naming the field, not read as 1 or as a decimal) that fits
    the database's bigint (a larger one failed in the database with a 500).
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


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


class ScopedFilterSet(django_filters.FilterSet):
    """
    A FilterSet that knows whose list it filters (``user``, or the request's user in the API), so that
    filters reading what people type (a region by name) resolve it inside that user's scope.
    """

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)

    @property
    def qs(self):
        # A list shown through a refused filter would look like an answer to it: show nothing, and the error.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    @property
    def form(self):
        form = super().form
        # Filter inputs get ids of their own: a page may show a form with a field of the same name.
        form.auto_id = "filter-%s"
        return form

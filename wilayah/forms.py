"""
The one region picker of the portal: a form field, its widget and a filter, used by every form and
list filter that takes a region.

People type part of a name or a code and pick from suggestions limited to their scope and to the
levels the field takes ("Desa Kunir — Kec. Wonodadi, Kab. Blitar"). Without a pick, a name that is
unique within their scope is accepted as typed, an ambiguous one asks them to choose (with the
candidates offered as suggestions), and a code still works.
"""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.roles import Action
from core.scoping import Scope

from .models import Region
from .models import RegionLevel
from .selectors import region_choice_label
from .selectors import typed_region_code
from .selectors import typed_region_name
from .selectors import within_typed_context

__all__ = ["RegionField", "RegionFilter", "RegionInput", "RegionListField"]

_LEVEL_NOUNS = {
    RegionLevel.PROVINCE: _("a province"),
    RegionLevel.REGENCY: _("a kabupaten/kota"),
    RegionLevel.DISTRICT: _("a kecamatan"),
    RegionLevel.VILLAGE: _("a desa/kelurahan"),
}
MAX_CANDIDATES = 10


class RegionInput(forms.TextInput):
    """A text input with its own list of suggestions, refreshed from the scoped endpoint as one types."""

    template_name = "wilayah/widgets/region_input.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.options_query: dict[str, str] = {}
        self.candidates: list[Region] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        list_id = f"{widget['attrs'].get('id') or name}-suggestions"
        widget["list_id"] = list_id
        widget["attrs"]["list"] = list_id
        widget["options_url"] = f"{reverse('wilayah:options')}?{urlencode({'param': name, **self.options_query})}"
        widget["candidates"] = [region_choice_label(region) for region in self.candidates]
        return context


class RegionField(forms.Field):
    """
    A region of one of ``levels`` (any level when empty) inside the user's scope for ``action``; the
    form calls ``for_user(user)`` before use. Cleans to a ``Region``.
    """

    widget = RegionInput
    default_error_messages = {
        "outside": _("%(region)s is not inside the area where you may do this."),
        "level": _("Choose %(levels)s; %(region)s is not one."),
        "ambiguous": _("Several places are called “%(name)s” in your area; choose one: %(candidates)s."),
        "unknown": _("No place called “%(name)s” in your area."),
        "unknown_suggest": _("No place called exactly “%(name)s” in your area. Did you mean: %(candidates)s?"),
        "unknown_code": _("%(code)s is not a current Kemendagri region code."),
    }

    def __init__(self, *, action: Action = Action.VIEW, levels: tuple[str, ...] = (), **kwargs):
        kwargs.pop("max_length", None)  # a region is picked, not typed to a length
        super().__init__(**kwargs)
        self.action = action
        self.levels = tuple(levels)
        self.queryset = Region.objects.none()
        self.widget.options_query = {"action": str(action)}
        if self.levels:
            self.widget.options_query["levels"] = ",".join(self.levels)

    def for_user(self, user) -> "RegionField":
        self.queryset = Region.objects.for_user(user, self.action).filter(is_active=True)
        return self

    def prepare_value(self, value):
        """A region (or an initial code, as in ?village=33.18.01.2001) is shown by its label."""
        code = value.pk if isinstance(value, Region) else value if isinstance(value, str) and typed_region_code(
            value) == value.strip() else None
        if code:
            region = Region.objects.select_related("parent__parent").filter(pk=code.strip()).first()
            if region is not None:
                return region_choice_label(region)
        return value

    def _levels_text(self) -> str:
        return ", ".join(str(_LEVEL_NOUNS[level]) for level in self.levels)

    def _candidates_text(self, regions) -> str:
        return "; ".join(region_choice_label(region) for region in regions)

    def to_python(self, value):
        # NUL never belongs to a name, and PostgreSQL refuses it in a query parameter.
        text = " ".join(str(value or "").replace("\x00", "").split())[:200]
        if not text:
            return None
        return self._by_code(typed_region_code(text)) if typed_region_code(text) else self._by_name(text)

    def _by_code(self, code: str) -> Region:
        region = Region.objects.select_related("parent__parent").filter(code=code, is_active=True).first()
        if region is None:
            raise forms.ValidationError(self.error_messages["unknown_code"], code="unknown_code",
                                        params={"code": code})
        if not self.queryset.filter(code=code).exists():
            raise forms.ValidationError(self.error_messages["outside"], code="outside",
                                        params={"region": region_choice_label(region)})
        if self.levels and region.level not in self.levels:
            raise forms.ValidationError(self.error_messages["level"], code="level",
                                        params={"levels": self._levels_text(), "region": region_choice_label(region)})
        return region

    def _by_name(self, text: str) -> Region:
        name, level, context = typed_region_name(text)
        regions = self.queryset.filter(level__in=self.levels) if self.levels else self.queryset
        if level:  # "Kec. Sukolilo" is the kecamatan, not the desa of the same name
            regions = regions.filter(level=level)
        regions = regions.select_related("parent__parent")
        if context:  # "Desa Kunir — Kec. Wonodadi, Kab. Blitar" typed out in full
            regions = within_typed_context(regions, context)
        exact = list(regions.filter(name__iexact=name).order_by("code")[: MAX_CANDIDATES + 1])
        if len(exact) == 1:
            return exact[0]
        if exact:
            self.widget.candidates = exact[:MAX_CANDIDATES]
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous",
                                        params={"name": name, "candidates": self._candidates_text(exact)})
        similar = list(regions.filter(name__icontains=name).order_by("name", "code")[:MAX_CANDIDATES]) if name else []
        self.widget.candidates = similar
        if similar:
            raise forms.ValidationError(self.error_messages["unknown_suggest"], code="unknown",
                                        params={"name": name, "candidates": self._candidates_text(similar)})
        raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"name": name})


class RegionListField(RegionField):
    """
    Several regions, one per line (or separated by ";"), each picked like a ``RegionField``; cleans to a
    list. Every line's problem is reported, prefixed with the line as typed.
    """

    widget = forms.Textarea

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("rows", 3)

    def to_python(self, value):
        lines = [line.strip() for line in str(value or "").replace(";", "\n").splitlines() if line.strip()]
        regions, errors = [], []
        for line in lines:
            try:
                regions.append(super().to_python(line))
            except forms.ValidationError as error:
                errors.extend(f"{line}: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return regions

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


@extend_schema_field(OpenApiTypes.STR)  # the API schema: a code (or a name) as a string
class RegionFilter(django_filters.Filter):
    """
    A list filter on a region and everything below it, picked like any region (name or code) inside
    the requesting user's scope; filters through the model's own scope path (the one mechanism).
    """

    field_class = RegionField

    def __init__(self, *, levels: tuple[str, ...] = (), **kwargs):
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault("help_text", _("A name or code; includes everything below it."))
        super().__init__(levels=levels, **kwargs)

    @property
    def field(self):
        field = super().field
        user = getattr(self.parent, "user", None)
        if user is not None:
            field.for_user(user)
        else:  # no request (a FilterSet used in code): any current region
            field.queryset = Region.objects.filter(is_active=True)
        return field

    def filter(self, queryset, value):
        return queryset.within(Scope.of([value.code])) if value else queryset

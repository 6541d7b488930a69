"""Serializer fields shared by the apps' input serializers."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.identifiers import REGION_CODE_PATTERN
from core.identifiers import VILLAGE_CODE_PATTERN
from core.roles import Action

__all__ = [
    "RegionCodeField", "ScopedPrimaryKeyRelatedField", "StrictBooleanField", "VillageCodeField", "WholeNumberField",
]


class RegionCodeField(serializers.RegexField):
    """A Kemendagri region code of any level, e.g. ``33.18`` or ``33.18.01.2001``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Kemendagri code of a province, kabupaten/kota, kecamatan or desa/kelurahan."))
        kwargs.setdefault("error_messages", {"invalid": _("Enter a Kemendagri region code such as 33.18.")})
        super().__init__(REGION_CODE_PATTERN, max_length=13, **kwargs)


class VillageCodeField(serializers.RegexField):
    """A desa/kelurahan code, e.g. ``33.18.01.2001``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Kemendagri code of a desa/kelurahan, e.g. 33.18.01.2001."))
        kwargs.setdefault("error_messages", {"invalid": _("Enter a desa/kelurahan code such as 33.18.01.2001.")})
        super().__init__(VILLAGE_CODE_PATTERN, max_length=13, **kwargs)


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanField(serializers.ChoiceField):
    """
    ``true`` or ``false`` and nothing else, for query parameters (DRF's BooleanField also reads yes, on, 1…
    and a value it does not know as false), as the boolean filters of ``core.filters`` read them.
    """

    def __init__(self, **kwargs):
        super().__init__(choices=["true", "false"], **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(data) == "true"


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """
    An object chosen by id among those the caller may see (``Model.objects.for_user``); an id outside
    the caller's scope is answered like an id that does not exist. Needs ``request`` in the context.
    """

    def __init__(self, model, scope_action: Action = Action.VIEW, **kwargs):
        self.model = model
        self.scope_action = scope_action
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = request.user if request is not None else None
        return self.model.objects.for_user(user, self.scope_action)


class WholeNumberField(serializers.IntegerField):
    """
    A whole number (an amount in rupiah, a count, an id) sent as a JSON integer or as a text of digits. DRF's
    IntegerField reads the text "50.000" and the JSON number 50.000 as 50 (it drops a point followed by zeros),
    where an Indonesian writer means fifty thousand: a number with a point, separators or decimals is refused
    instead of being guessed at.
    """

    default_error_messages = {
        "digits": _("Send a whole number as a JSON integer or as digits only, e.g. 50000: no point, separators or "
                    "decimals."),
    }
    _DIGITS = re.compile(r"\s*-?[0-9]+\s*")

    def to_internal_value(self, data):
        # A JSON number with a point arrives as a float: 50.000 (fifty thousand, as an Indonesian writes it) is 50.0.
        if isinstance(data, float) or (isinstance(data, str) and len(data) <= self.MAX_STRING_LENGTH
                                       and not self._DIGITS.fullmatch(data)):
            self.fail("digits")
        return super().to_internal_value(data)

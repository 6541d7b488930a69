"""Serializer fields shared by the apps' input serializers."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.identifiers import REGION_CODE_PATTERN
from core.identifiers import VILLAGE_CODE_PATTERN
from core.roles import Action

__all__ = ["RegionCodeField", "ScopedPrimaryKeyRelatedField", "VillageCodeField"]

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

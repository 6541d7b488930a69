"""
Roles a user can hold, the region level each role is assigned at, and what each role may do.

This module is plain data so that the scoping mechanism (``core.scoping``) can read it without
importing any model.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ROLE_ACTIONS", "ROLE_REGION_LEVELS", "Action", "Role"]


class Action(StrEnum):
    """Things a user can do to rows inside their scope."""

    VIEW = "view"
    MANAGE_USERS = "manage_users"


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    KABUPATEN_OFFICER = "kabupaten_officer", _("Kabupaten/kota officer")
    KECAMATAN_OFFICER = "kecamatan_officer", _("Kecamatan officer / area coordinator")
    VILLAGE_STAFF = "village_staff", _("Village staff")
    FEDERATION_DIRECTOR = "federation_director", _("Federation director")


# The region level a role is assigned at; ``None`` means the whole country.
# A federation director holds one assignment per member village (or per kecamatan/kabupaten
# when a federation covers all of it), so their scope is the set of those region codes.
ROLE_REGION_LEVELS: dict[str, tuple[str, ...] | None] = {
    Role.NATIONAL_ADMIN: None,
    Role.PROVINCE_OFFICER: ("province",),
    Role.KABUPATEN_OFFICER: ("regency",),
    Role.KECAMATAN_OFFICER: ("district",),
    Role.VILLAGE_STAFF: ("village",),
    Role.FEDERATION_DIRECTOR: ("village", "district", "regency"),
}

_OFFICER_ACTIONS = frozenset({Action.VIEW, Action.MANAGE_USERS})

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.NATIONAL_ADMIN: _OFFICER_ACTIONS,
    Role.PROVINCE_OFFICER: _OFFICER_ACTIONS,
    Role.KABUPATEN_OFFICER: _OFFICER_ACTIONS,
    Role.KECAMATAN_OFFICER: _OFFICER_ACTIONS,
    Role.VILLAGE_STAFF: frozenset({Action.VIEW}),
    Role.FEDERATION_DIRECTOR: frozenset({Action.VIEW}),
}

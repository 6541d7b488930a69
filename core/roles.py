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
    # Register and update cooperatives, their members and units; submit formation stages.
    EDIT_COOPERATIVE = "edit_cooperative"
    # Verify or reject submitted stages; mark a stage not applicable.
    VERIFY_STAGES = "verify_stages"
    MANAGE_TARGETS = "manage_targets"
    LOG_VISITS = "log_visits"
    # See full NIK values (lists show them masked).
    VIEW_PERSONAL_DATA = "view_personal_data"


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

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.NATIONAL_ADMIN: frozenset(Action),
    Role.PROVINCE_OFFICER: frozenset({Action.VIEW, Action.MANAGE_USERS, Action.MANAGE_TARGETS, Action.LOG_VISITS}),
    # The Dinas Koperasi of a kabupaten/kota verifies formation and sets kecamatan targets.
    Role.KABUPATEN_OFFICER: frozenset(
        {Action.VIEW, Action.MANAGE_USERS, Action.EDIT_COOPERATIVE, Action.VERIFY_STAGES, Action.MANAGE_TARGETS,
         Action.LOG_VISITS, Action.VIEW_PERSONAL_DATA}
    ),
    # Area coordinators assist villages and may enter data for them, but do not verify.
    Role.KECAMATAN_OFFICER: frozenset(
        {Action.VIEW, Action.MANAGE_USERS, Action.EDIT_COOPERATIVE, Action.LOG_VISITS, Action.VIEW_PERSONAL_DATA}
    ),
    Role.VILLAGE_STAFF: frozenset({Action.VIEW, Action.EDIT_COOPERATIVE, Action.VIEW_PERSONAL_DATA}),
    Role.FEDERATION_DIRECTOR: frozenset({Action.VIEW}),
}

"""
Roles a user can hold, the region level each role is assigned at, and what each role may do.

This module is plain data so that the scoping mechanism (``core.scoping``) can read it without
importing any model.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["FEDERATION_MEMBER_ACTIONS", "FEDERATION_ROLES", "ROLE_ACTIONS", "ROLE_REGION_LEVELS", "Action", "Role"]


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
    # Register and update BUMDes and federations: their villages and cooperatives, capital, organs,
    # classification, business lines, and cooperation agreements on their side.
    MANAGE_BUMDES = "manage_bumdes"
    # Record a federation's business sites (clinics, outlets, …) and their monthly operating figures.
    EDIT_FEDERATION_SITES = "edit_federation_sites"
    # Keep a cooperative's savings: AD/ART amounts, payments, deposits, withdrawals, reversals, SHU.
    MANAGE_SAVINGS = "manage_savings"
    # Admit or refuse people who applied for membership themselves: the pengurus decides, and the pengurus
    # works in the portal under the village staff account of its cooperative.
    APPROVE_MEMBERS = "approve_members"
    # Land and construction (pembangunan): record plots, their documents and photos, construction progress
    # and the monthly reports of operating units.
    RECORD_LAND = "record_land"
    # The Dinas verifies or rejects land plots, assigns them to construction and records the handover.
    VERIFY_LAND = "verify_land"
    # Organise events (sosialisasi, rakor, pelatihan, business matching, …), invite villages, take attendance.
    MANAGE_EVENTS = "manage_events"
    # Keep the partner directory and record meetings and deals between cooperatives and partners.
    MANAGE_PARTNERS = "manage_partners"
    # Run co-working spaces: their rooms and desks, bookings and community events.
    MANAGE_SPACES = "manage_spaces"


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    KABUPATEN_OFFICER = "kabupaten_officer", _("Kabupaten/kota officer")
    KECAMATAN_OFFICER = "kecamatan_officer", _("Kecamatan officer / area coordinator")
    VILLAGE_STAFF = "village_staff", _("Village staff")
    FEDERATION_DIRECTOR = "federation_director", _("Federation director")
    FEDERATION_STAFF = "federation_staff", _("Federation staff")


# The region level a role is assigned at; ``None`` means the whole country, ``()`` never at a region.
# Federation roles are held on a federation (``RoleAssignment.federation``). Before federations were
# recorded, a federation director held one assignment per member village (or kecamatan/kabupaten);
# such an assignment still works and grants what the role grants over member villages (view), no more.
ROLE_REGION_LEVELS: dict[str, tuple[str, ...] | None] = {
    Role.NATIONAL_ADMIN: None,
    Role.PROVINCE_OFFICER: ("province",),
    Role.KABUPATEN_OFFICER: ("regency",),
    Role.KECAMATAN_OFFICER: ("district",),
    Role.VILLAGE_STAFF: ("village",),
    Role.FEDERATION_DIRECTOR: ("village", "district", "regency"),
    Role.FEDERATION_STAFF: (),
}

# Roles that can be held on a federation rather than at a region.
FEDERATION_ROLES = frozenset({Role.FEDERATION_DIRECTOR, Role.FEDERATION_STAFF})

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.NATIONAL_ADMIN: frozenset(Action),
    Role.PROVINCE_OFFICER: frozenset({Action.VIEW, Action.MANAGE_USERS, Action.MANAGE_TARGETS, Action.LOG_VISITS,
                                      Action.MANAGE_EVENTS, Action.MANAGE_PARTNERS}),
    # The Dinas Koperasi of a kabupaten/kota verifies formation and sets kecamatan targets.
    # It also registers the BUMDes of its villages and looks after federations seated in the kabupaten.
    Role.KABUPATEN_OFFICER: frozenset(
        {Action.VIEW, Action.MANAGE_USERS, Action.EDIT_COOPERATIVE, Action.VERIFY_STAGES, Action.MANAGE_TARGETS,
         Action.LOG_VISITS, Action.VIEW_PERSONAL_DATA, Action.MANAGE_BUMDES, Action.EDIT_FEDERATION_SITES,
         Action.MANAGE_EVENTS, Action.MANAGE_PARTNERS, Action.MANAGE_SPACES}
    ),
    # Area coordinators assist villages and may enter data for them (BUMDes too), but do not verify.
    Role.KECAMATAN_OFFICER: frozenset(
        {Action.VIEW, Action.MANAGE_USERS, Action.EDIT_COOPERATIVE, Action.LOG_VISITS, Action.VIEW_PERSONAL_DATA,
         Action.MANAGE_BUMDES, Action.MANAGE_EVENTS, Action.MANAGE_PARTNERS, Action.MANAGE_SPACES}
    ),
    # The cooperative's bendahara works under a village staff account: they post its savings.
    Role.VILLAGE_STAFF: frozenset({Action.VIEW, Action.EDIT_COOPERATIVE, Action.VIEW_PERSONAL_DATA,
                                   Action.MANAGE_SAVINGS, Action.APPROVE_MEMBERS, Action.MANAGE_SPACES}),
    # On their federation's own records: the director runs it, its staff keep its sites and figures.
    Role.FEDERATION_DIRECTOR: frozenset({Action.VIEW, Action.MANAGE_BUMDES, Action.EDIT_FEDERATION_SITES,
                                         Action.MANAGE_EVENTS, Action.MANAGE_SPACES}),
    Role.FEDERATION_STAFF: frozenset({Action.VIEW, Action.EDIT_FEDERATION_SITES, Action.MANAGE_SPACES}),
}

# What a federation role grants over the federation's member villages as they are today (their
# cooperatives, units, members…), on top of the federation's own records. The director reads them and
# changes nothing there; the staff run the federation's sites and need no more.
FEDERATION_MEMBER_ACTIONS: dict[str, frozenset[Action]] = {
    Role.FEDERATION_DIRECTOR: frozenset({Action.VIEW}),
    Role.FEDERATION_STAFF: frozenset(),
}


# Land and construction (pembangunan), kept as one additive block: who records plots and progress on the ground,
# and the Dinas of the kabupaten/kota who verifies plots, assigns them to construction and takes the handover.
_LAND_ACTIONS: dict[str, frozenset[Action]] = {
    Role.KABUPATEN_OFFICER: frozenset({Action.RECORD_LAND, Action.VERIFY_LAND}),
    Role.KECAMATAN_OFFICER: frozenset({Action.RECORD_LAND}),
    Role.VILLAGE_STAFF: frozenset({Action.RECORD_LAND}),
}
for _role, _actions in _LAND_ACTIONS.items():
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | _actions


# Rights over a cooperative's own books that only its own staff hold (the bendahara posts savings, the pengurus
# admits members). The Dinas does not keep a village's books, yet it gives village staff their accounts: an officer
# who may edit the cooperatives of an area may hand these rights to a village's staff there without holding them.
COOPERATIVE_BOOK_ACTIONS = frozenset({Action.MANAGE_SAVINGS, Action.APPROVE_MEMBERS})


def granting_action(action: Action) -> Action:
    """The right a granter must hold where a role is granted, so that the role's ``action`` may be handed on."""
    return Action.EDIT_COOPERATIVE if action in COOPERATIVE_BOOK_ACTIONS else action

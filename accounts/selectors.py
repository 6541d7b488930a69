"""Read queries over users. Administration lists only show users the caller may manage."""

from django.db.models import Q

from core.roles import ROLE_ACTIONS
from core.roles import Action

from .filtersets import UserFilterSet
from .models import RoleAssignment
from .models import User

__all__ = ["nearest_users_who_can", "user_assignments", "user_audit_history", "user_list", "users_holding"]


def user_list(*, actor, filters: dict | None = None):
    queryset = User.objects.for_user(actor, Action.MANAGE_USERS).prefetch_related("role_assignments__region",
                                                                                   "role_assignments__federation")
    return UserFilterSet(filters or {}, queryset, user=actor).qs


def user_assignments(user) -> list[RoleAssignment]:
    return list(user.role_assignments.select_related("region", "federation").order_by("role", "region_id"))


def user_audit_history(user) -> list:
    """History of the account and of every role it held, to be merged into one trail."""
    return [user.history.all(), RoleAssignment.history.filter(user_id=user.pk)]


def nearest_users_who_can(action: Action, code: str, *, exclude=None) -> list[User]:
    """
    The active users whose role lets them ``action`` on region ``code``, at the nearest level that has
    any: the kabupaten's officers before the province's, the province's before the national
    administrators (``exclude``, e.g. whoever caused the notice, is left out before the level is chosen).
    Whom to tell when something in a village awaits them.
    """
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    parts = code.split(".")
    levels = [".".join(parts[:depth]) for depth in range(len(parts), 0, -1)]
    holders = (RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
               .exclude(user_id=getattr(exclude, "pk", None))
               .filter(Q(region_id__in=levels) | Q(region__isnull=True)).select_related("user"))
    by_level: dict[str | None, list[User]] = {}
    for assignment in holders:
        by_level.setdefault(assignment.region_id, []).append(assignment.user)
    for level in [*levels, None]:
        if by_level.get(level):
            return sorted(set(by_level[level]), key=lambda user: user.pk)
    return []


def users_holding(role: str, codes) -> list[User]:
    """The active users holding ``role`` at any of the regions ``codes`` (e.g. a cooperative's village staff)."""
    return list(User.objects.filter(is_active=True, role_assignments__role=role,
                                    role_assignments__region_id__in=list(codes)).distinct().order_by("pk"))

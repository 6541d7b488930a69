"""Read queries over users. Administration lists only show users the caller may manage."""

from core.roles import Action

from .filtersets import UserFilterSet
from .models import RoleAssignment
from .models import User

__all__ = ["user_assignments", "user_audit_history", "user_list"]


def user_list(*, actor, filters: dict | None = None):
    queryset = User.objects.for_user(actor, Action.MANAGE_USERS).prefetch_related("role_assignments__region")
    return UserFilterSet(filters or {}, queryset, user=actor).qs


def user_assignments(user) -> list[RoleAssignment]:
    return list(user.role_assignments.select_related("region").order_by("role", "region_id"))


def user_audit_history(user) -> list:
    """History of the account and of every role it held, to be merged into one trail."""
    return [user.history.all(), RoleAssignment.history.filter(user_id=user.pk)]

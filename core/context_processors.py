from accounts.roles import Action
from core.scoping import scope_for

__all__ = ["portal"]


def portal(request):
    """What the navigation needs to know about the signed-in user."""
    user = getattr(request, "user", None)
    return {"can_manage_users": bool(user and not scope_for(user, Action.MANAGE_USERS).is_empty)}

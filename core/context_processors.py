from core.roles import Action
from core.scoping import scope_for

__all__ = ["portal"]


def portal(request):
    """What the navigation needs to know about the signed-in user."""
    user = getattr(request, "user", None)

    def can(action):
        return bool(user and not scope_for(user, action).is_empty)

    return {
        "can_manage_users": can(Action.MANAGE_USERS),
        "can_verify_anywhere": can(Action.VERIFY_STAGES),
        "can_log_visits": can(Action.LOG_VISITS),
    }

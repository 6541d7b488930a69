"""Signal receivers: a role taken away takes away the notifications about its area."""

from .services import notifications_outside_scope_forget

__all__ = ["notifications_forgotten_with_role"]


def notifications_forgotten_with_role(sender, instance, **kwargs):
    """After a role assignment is deleted (revoked), its holder keeps no notification about areas left behind."""
    notifications_outside_scope_forget(user=instance.user)

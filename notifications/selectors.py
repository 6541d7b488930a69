"""Reading a user's own notifications (nobody reads another's)."""

from .filtersets import NotificationFilterSet
from .models import Notification
from .models import NotificationKind
from .models import NotificationPreference

__all__ = ["email_kinds", "notification_list", "unread_count"]


def notification_list(*, user, filters: dict | None = None) -> NotificationFilterSet:
    return NotificationFilterSet(filters or {}, Notification.objects.filter(user=user))


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_kinds(user) -> list[str]:
    """The kinds that come to ``user`` by e-mail too (every kind unless switched off)."""
    off = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return [kind for kind in NotificationKind.values if kind not in off]

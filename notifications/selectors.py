"""Reading a user's own notifications (nobody reads another's)."""

from django.db import connection

from .filtersets import NotificationFilterSet
from .models import Notification
from .models import NotificationKind
from .models import NotificationPreference

__all__ = ["email_kinds", "notification_list", "unread_count"]


def notification_list(*, user, filters: dict | None = None) -> NotificationFilterSet:
    return NotificationFilterSet(filters or {}, Notification.objects.filter(user=user))


_UNREAD_SQL = f"SELECT count(*) FROM {Notification._meta.db_table} WHERE user_id = %s AND read_at IS NULL"


def unread_count(user) -> int:
    """The number beside the bell, asked on every page: plain SQL, as building it through the ORM costs more than
    running it (the inbox index answers it)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_SQL, [user.pk])
        return cursor.fetchone()[0]


def email_kinds(user) -> list[str]:
    """The kinds that come to ``user`` by e-mail too (every kind unless switched off)."""
    off = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return [kind for kind in NotificationKind.values if kind not in off]

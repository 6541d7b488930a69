"""Reading a user's own notifications (nobody reads another's)."""

from django.db import connection

from accounts.selectors import signed_in_fact

from .filtersets import NotificationFilterSet
from .models import Notification
from .models import NotificationKind
from .models import NotificationPreference

__all__ = ["UNREAD_FACT", "UNREAD_WITH_USER_SQL", "email_kinds", "notification_list", "unread_count"]


def notification_list(*, user, filters: dict | None = None) -> NotificationFilterSet:
    return NotificationFilterSet(filters or {}, Notification.objects.filter(user=user))


_UNREAD_SQL = f"SELECT count(*) FROM {Notification._meta.db_table} WHERE user_id = %s AND read_at IS NULL"
# The same count read with the signed-in user at the start of each request (registered in NotificationsConfig).
UNREAD_FACT = "unread_notifications"
UNREAD_WITH_USER_SQL = (f"SELECT count(*) FROM {Notification._meta.db_table} "
                        "WHERE user_id = account.id AND read_at IS NULL")


def unread_count(user) -> int:
    """The number beside the bell, asked on every page: read with the signed-in user at the start of the request
    (``accounts.selectors.signed_in_fact``), else in plain SQL, as building it through the ORM costs more than
    running it (the inbox index answers it)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    read_with_user = signed_in_fact(user, UNREAD_FACT)
    if read_with_user is not None:
        return read_with_user
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_SQL, [user.pk])
        return cursor.fetchone()[0]


def email_kinds(user) -> list[str]:
    """The kinds that come to ``user`` by e-mail too (every kind unless switched off)."""
    off = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return [kind for kind in NotificationKind.values if kind not in off]

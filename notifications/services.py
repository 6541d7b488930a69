"""
Telling people what needs them: in-app notifications, and e-mail through Celery for the kinds each
user keeps on. An e-mail that cannot be queued or sent never undoes or breaks the action behind it:
the notification is in the portal either way. One the broker cannot take waits in the outbox
(``core.outbox``) until it is back; a failed send is recorded on the notification.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from core.outbox import outbox_enqueue_many
from core.scoping import forget_scope
from core.scoping import scope_for

from .models import Notification
from .models import NotificationKind
from .models import NotificationPreference

__all__ = [
    "EMAIL_TASK",
    "in_each_language",
    "notification_mark_read",
    "notification_preferences_set",
    "notification_send_email",
    "notifications_mark_all_read",
    "notifications_outside_scope_forget",
    "notify",
]

EMAIL_TASK = "notifications.tasks.send_notification_email"


def in_each_language(word) -> dict[str, str]:
    """
    A notification parameter that is worded (a stage's name, an event's kind, a date) as ``word()`` gives it in
    each of the portal's languages: the notification is read in its reader's language, not in the language of
    whoever caused it (its e-mail goes out in the portal's language, as every e-mail does).
    """
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(word())
    return values


def notify(*, users, kind: str, params: dict, url: str = "", dedup_key: str = "",
           about: str = "") -> list[Notification]:
    """
    Give each of ``users`` (inactive ones are skipped) a notification of ``kind``; with ``dedup_key``,
    a user who already has one with that key gets no second. E-mails are queued after the commit. ``about``: the
    area (village or region code) the users were chosen for; they lose the notification with their role there.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind}")
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    if dedup_key:
        already = Notification.objects.filter(user_id__in=recipients, dedup_key=dedup_key).values_list("user_id",
                                                                                                          flat=True)
        for user_id in already:
            recipients.pop(user_id, None)
    if not recipients:
        return []
    created = Notification.objects.bulk_create(
        [Notification(user=user, kind=kind, params=params, url=url[:300], dedup_key=dedup_key[:120], about=about)
         for user in recipients.values()]
    )
    email_off = set(NotificationPreference.objects.filter(user_id__in=recipients, kind=kind, email=False)
                    .values_list("user_id", flat=True))
    to_email = [notification.pk for notification in created
                if notification.user_id not in email_off and recipients[notification.user_id].email]
    if to_email:
        # Through the outbox: queued after the commit, or, with the broker down, as soon as it is back.
        outbox_enqueue_many(EMAIL_TASK, [[notification_id] for notification_id in to_email])
    return created


def notification_send_email(*, notification_id: int) -> bool:
    """E-mail one notification. Repeatable: one already e-mailed is not sent again. A failure is recorded."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None or not notification.user.is_active:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"notification": notification, "user": notification.user,
                   "link": settings.PORTAL_BASE_URL.rstrip("/") + notification.url if notification.url else ""}
        subject = f"[{_('Koperasi Merah Putih')}] {notification.title}"
        body = render_to_string("notifications/email/notification.txt", context)
    try:
        send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
    except Exception as error:
        Notification.objects.filter(pk=notification.pk).update(email_error=str(error)[:300])
        raise
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now(), email_error="")
    return True


def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(*, user, email_kinds) -> list[str]:
    """Which kinds also come by e-mail (the others only in the portal); returns the kinds now e-mailed."""
    email_kinds = set(email_kinds)
    unknown = email_kinds - set(NotificationKind.values)
    if unknown:
        raise ValidationError({"email_kinds": _("Unknown kinds: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))}})
    for kind in NotificationKind.values:
        NotificationPreference.objects.update_or_create(user=user, kind=kind,
                                                        defaults={"email": kind in email_kinds})
    return sorted(email_kinds)


def notifications_outside_scope_forget(*, user) -> int:
    """
    Delete ``user``'s notifications about areas they no longer hold a role over (a role taken away): they had kept
    listing a cooperative's name, village and people there, with links that now answer 404. Returns how many.
    """
    forget_scope(user)  # the roles as they are now, not as this process last read them
    scope = scope_for(user)
    forget_scope(user)  # nor as they are in the middle of a change: the caller may be granting another role next
    about = set(Notification.objects.filter(user=user).exclude(about="").values_list("about", flat=True))
    gone = [code for code in about if not scope.contains(code)]
    if not gone:
        return 0
    count, _by_model = Notification.objects.filter(user=user, about__in=gone).delete()
    return count

"""In-app notifications and each user's choice of which kinds also come by e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = ["Notification", "NotificationKind", "NotificationPreference"]


class NotificationKind(models.TextChoices):
    STAGE_SUBMITTED = "stage_submitted", _("A stage awaits my verification")
    STAGE_VERIFIED = "stage_verified", _("A stage of my cooperative was verified")
    STAGE_REJECTED = "stage_rejected", _("A stage of my cooperative was sent back")
    TARGET_AT_RISK = "target_at_risk", _("A target I set is newly at risk")
    FOLLOW_UP_DUE = "follow_up_due", _("A visit follow-up is due today")
    AGREEMENT_PROPOSED = "agreement_proposed", _("A cooperation agreement of mine was recorded")
    AGREEMENT_ACTIVATED = "agreement_activated", _("A cooperation agreement of mine became active")
    EVENT_INVITATION = "event_invitation", _("My desa/kelurahan is invited to an event")


# What each kind says; ``params`` fill the placeholders, in the reader's language when it is read. A parameter
# that is itself worded (a stage's name, a date) is kept in each language (``services.in_each_language``).
MESSAGES = {
    NotificationKind.STAGE_SUBMITTED: (
        _("%(stage)s submitted by %(cooperative)s"),
        _("%(submitter)s submitted “%(stage)s” of %(cooperative)s (%(village)s). It awaits verification."),
    ),
    NotificationKind.STAGE_VERIFIED: (
        _("%(stage)s verified"),
        _("“%(stage)s” of %(cooperative)s was verified by %(reviewer)s. Next: %(next)s."),
    ),
    NotificationKind.STAGE_REJECTED: (
        _("%(stage)s sent back for correction"),
        _("“%(stage)s” of %(cooperative)s was sent back by %(reviewer)s: %(reason)s"),
    ),
    NotificationKind.TARGET_AT_RISK: (
        _("Target at risk: %(target)s"),
        _("At the pace of the last %(days)s days, “%(target)s” (%(region)s) would finish after its due date, "
          "%(due)s: %(achieved)s of %(count)s achieved."),
    ),
    NotificationKind.FOLLOW_UP_DUE: (
        _("Follow-up due today: %(village)s"),
        _("Follow-up of your visit of %(visited)s to %(village)s: %(next_step)s"),
    ),
    NotificationKind.AGREEMENT_PROPOSED: (
        _("Cooperation agreement: %(title)s"),
        _("%(author)s recorded a cooperation agreement between %(cooperative)s and %(partner)s: “%(title)s”, "
          "from %(starts)s."),
    ),
    NotificationKind.AGREEMENT_ACTIVATED: (
        _("Agreement active: %(title)s"),
        _("The cooperation agreement “%(title)s” between %(cooperative)s and %(partner)s is active, made so by "
          "%(author)s."),
    ),
    NotificationKind.EVENT_INVITATION: (
        _("Invitation: %(title)s"),
        _("%(village)s is invited to “%(title)s” (%(kind)s) by %(organiser)s on %(starts)s at %(place)s."),
    ),
}


class Notification(models.Model):
    """Something a user should know or do, shown under the bell until read, and e-mailed if they wish."""

    user = models.ForeignKey(
        verbose_name=_("user"), to=settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=32, choices=NotificationKind.choices)
    params = models.JSONField(verbose_name=_("details"), default=dict, blank=True)
    url = models.CharField(verbose_name=_("link"), max_length=300, blank=True)
    # The area it is about (a village or region code), where its reader was told because of a role held there:
    # taking that role away takes these notifications away too (notifications.receivers).
    about = models.CharField(verbose_name=_("about the area"), max_length=13, blank=True)
    # Daily jobs may run twice: the same key for the same user is one notification.
    dedup_key = models.CharField(verbose_name=_("deduplication key"), max_length=120, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(verbose_name=_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(verbose_name=_("e-mailed at"), null=True, blank=True)
    email_error = models.CharField(verbose_name=_("e-mail error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at", "created_at"], name="notifications_inbox")]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedup_key"], condition=~Q(dedup_key=""),
                                    name="notifications_once_per_key"),
        ]

    def __str__(self):
        return f"{self.user} · {self.title}"

    def _text(self, index: int) -> str:
        template = MESSAGES[self.kind][index]
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        params = {key: value.get(language, value.get(settings.LANGUAGE_CODE)) if isinstance(value, dict) else value
                  for key, value in self.params.items()}
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):  # params of an older message version
            return str(self.get_kind_display())

    @property
    def title(self) -> str:
        return self._text(0)

    @property
    def body(self) -> str:
        return self._text(1)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice for one kind; without a row, the kind comes by e-mail too."""

    user = models.ForeignKey(
        verbose_name=_("user"), to=settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(verbose_name=_("also by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_unique")]

    def __str__(self):
        return f"{self.user} · {self.kind}: {'e-mail' if self.email else 'portal'}"

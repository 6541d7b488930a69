from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_delete

        from accounts.models import RoleAssignment
        from accounts.selectors import register_signed_in_fact

        # Register the e-mail task in every process (web, worker, tests): services queue it by name.
        from . import tasks  # noqa: F401
        from .receivers import notifications_forgotten_with_role
        from .selectors import UNREAD_FACT
        from .selectors import UNREAD_WITH_USER_SQL

        # The bell's count comes with the signed-in user's own statement: one query fewer on every page.
        register_signed_in_fact(UNREAD_FACT, UNREAD_WITH_USER_SQL)
        # A role taken away takes away the notifications about the area it covered.
        post_delete.connect(notifications_forgotten_with_role, sender=RoleAssignment,
                            dispatch_uid="notifications.forgotten_with_role")

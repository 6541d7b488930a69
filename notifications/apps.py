from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Register the e-mail task in every process (web, worker, tests): services queue it by name.
        from . import tasks  # noqa: F401

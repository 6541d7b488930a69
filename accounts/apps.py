from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        # Register the invitation task in every process (web, worker, tests): services queue it by name.
        from . import tasks  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from django.core.checks import register

        # Signal receivers connect on import; the invitation task is registered in every process (web,
        # worker, tests) because services queue it by name.
        from . import receivers  # noqa: F401
        from . import tasks  # noqa: F401
        from .checks import check_mfa_required_roles

        register(check_mfa_required_roles)

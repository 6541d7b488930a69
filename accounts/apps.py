from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from django.core.checks import register

        from core.sessions import register_read_with_session

        # Signal receivers connect on import; the invitation task is registered in every process (web,
        # worker, tests) because services queue it by name.
        from . import receivers  # noqa: F401
        from . import tasks  # noqa: F401
        from .checks import check_mfa_required_roles
        from .selectors import user_by_id_statement

        register(check_mfa_required_roles)
        # The signed-in user read in the same statement as their session: one round trip per page, not two.
        register_read_with_session(user_by_id_statement)

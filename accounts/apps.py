from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from allauth.account.signals import password_reset
        from django.core.checks import register

        # Register the invitation task in every process (web, worker, tests): services queue it by name.
        from . import tasks  # noqa: F401
        from .checks import check_mfa_required_roles
        from .services import user_email_confirm

        register(check_mfa_required_roles)

        def email_proven_by_reset(sender, request, user, **kwargs):
            user_email_confirm(user=user)

        # The invitation is a password-reset link sent to the invited address: following it (or any later
        # reset link) proves the address belongs to the person.
        password_reset.connect(email_proven_by_reset, weak=False, dispatch_uid="accounts.email_proven_by_reset")

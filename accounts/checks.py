from django.core.checks import Error

from core.roles import Role

from .selectors import mfa_required_roles

__all__ = ["check_mfa_required_roles"]


def check_mfa_required_roles(app_configs, **kwargs) -> list[Error]:
    """A misspelt role in MFA_REQUIRED_ROLES would silently exempt its holders from two-factor authentication."""
    unknown = sorted(mfa_required_roles() - set(Role.values))
    if not unknown:
        return []
    return [Error(f"MFA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
                  hint=f"Use some of: {', '.join(Role.values)}.", id="accounts.E001")]

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.client_ip import client_ip
from core.forms import StyledFormMixin
from core.roles import ROLE_ACTIONS
from core.roles import ROLE_REGION_LEVELS
from core.roles import Action
from core.roles import Role
from core.scoping import scope_for
from wilayah.forms import RegionField
from wilayah.models import LEVELS_BY_DEPTH

from . import lockout

__all__ = ["AdminSignInForm", "ProfileForm", "RoleAssignForm", "UserInviteForm"]


def grantable_roles(actor) -> list[tuple[str, str]]:
    """Roles whose level lies at or below the actor's highest managed region."""
    scope = scope_for(actor, Action.MANAGE_USERS)
    if scope.everything:
        return list(Role.choices)
    top_depth = min((root.count(".") for root in scope.roots), default=99)
    allowed = []
    for value, label in Role.choices:
        levels = ROLE_REGION_LEVELS[value]
        # Never more than one has: a role whose rights the actor lacks everywhere is not offered.
        holds_its_rights = all(not scope_for(actor, action).is_empty for action in ROLE_ACTIONS[value])
        if levels and holds_its_rights and any(LEVELS_BY_DEPTH.index(level) >= top_depth for level in levels):
            allowed.append((value, label))
    return allowed


class _RoleFields(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    region = RegionField(
        label=_("Region"),
        action=Action.MANAGE_USERS,
        required=False,
        help_text=_("Type a name or code and choose from the suggestions. Leave empty for the national administrator."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(actor)
        self.fields["region"].for_user(actor)


class UserInviteForm(_RoleFields):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))

    field_order = ["full_name", "email", "role", "region"]


class RoleAssignForm(_RoleFields):
    pass


class ProfileForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position_title = forms.CharField(label=_("Position (jabatan)"), max_length=150, required=False,
                                     help_text=_("Printed under your signature on official reports."))
    nip = forms.CharField(label=_("NIP"), max_length=25, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                          help_text=_("18 digits, if you are a civil servant."))


class AdminSignInForm(AdminAuthenticationForm):
    """The technical admin's sign-in, saying so when the sign-in lockout refused it."""

    def get_invalid_login_error(self):
        seconds = lockout.lock_seconds_remaining(
            identifier=lockout.normalise_identifier(self.cleaned_data.get("username")), ip=client_ip(self.request))
        if seconds:
            return ValidationError(lockout.locked_message(seconds), code="locked")
        return super().get_invalid_login_error()

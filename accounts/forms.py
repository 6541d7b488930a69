from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.models import EmailAddress
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.roles import FEDERATION_ROLES
from core.roles import ROLE_ACTIONS
from core.roles import ROLE_REGION_LEVELS
from core.roles import Action
from core.roles import Role
from core.roles import granting_action
from core.scoping import scope_for
from wilayah.forms import RegionField
from wilayah.models import LEVELS_BY_DEPTH

from . import lockout
from .models import RoleAssignment
from .models import User

__all__ = [
    "ActivateTOTPForm",
    "AddEmailForm",
    "AuthenticateForm",
    "ProfileForm",
    "ReauthenticateForm",
    "RoleAssignForm",
    "UserInviteForm",
]


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
        holds_its_rights = all(not scope_for(actor, granting_action(action)).is_empty for action in ROLE_ACTIONS[value])
        at_a_region = levels and any(LEVELS_BY_DEPTH.index(level) >= top_depth for level in levels)
        if holds_its_rights and (at_a_region or value in FEDERATION_ROLES):
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
    federation = forms.ModelChoiceField(
        label=_("Federation"),
        queryset=None,
        required=False,
        help_text=_("For the federation director and federation staff: the federation they work for (leave the "
                    "region empty)."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(actor)
        self.fields["region"].for_user(actor)
        # The federations seated in the actor's area, reached through the foreign key (no import of the app above).
        federations = RoleAssignment._meta.get_field("federation").related_model.objects
        self.fields["federation"].queryset = federations.for_user(actor, Action.MANAGE_USERS).order_by("name")


class UserInviteForm(_RoleFields):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))

    field_order = ["full_name", "email", "role", "region", "federation"]


class RoleAssignForm(_RoleFields):
    pass


class ProfileForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position_title = forms.CharField(label=_("Position (jabatan)"), max_length=150, required=False,
                                     help_text=_("Printed under your signature on official reports."))
    nip = forms.CharField(label=_("NIP"), max_length=25, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                          help_text=_("18 digits, if you are a civil servant."))


class AddEmailForm(AllauthAddEmailForm):
    """
    The new address on the e-mail page (``ACCOUNT_FORMS``). allauth then sends it a code and changes
    nothing until the code is entered. An address another account holds is refused here, on the field:
    allauth would otherwise accept it silently (to hide which addresses have accounts) and the change
    could only fail later. The person asking is signed in, so telling them costs no privacy worth the
    confusion.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("New e-mail address")

    def clean_email(self) -> str:
        email = super().clean_email()
        taken = (User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists()
                 or EmailAddress.objects.filter(email__iexact=email).exclude(user_id=self.user.pk).exists())
        if taken:
            raise ValidationError(_("Another account already uses this e-mail address."), code="email_taken")
        return email


class _NumericCodeMixin:
    """Authenticator and recovery codes are digits: phones show the number pad (allauth's forms, ``MFA_FORMS``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})
        self.fields["code"].widget.attrs.pop("placeholder", None)


class ActivateTOTPForm(_NumericCodeMixin, AllauthActivateTOTPForm):
    pass


class AuthenticateForm(_NumericCodeMixin, AllauthAuthenticateForm):
    """The code step of signing in, under the sign-in lockout (allauth's own counter is turned off)."""

    def clean_code(self):
        try:
            with lockout.attempt(None, lockout.second_factor_identifier(self.user)) as tried:
                code = super().clean_code()
                tried.succeeded = True
        except lockout.SignInLocked as locked:
            raise ValidationError(str(locked), code="locked")
        return code


class ReauthenticateForm(_NumericCodeMixin, AllauthReauthenticateForm):
    pass

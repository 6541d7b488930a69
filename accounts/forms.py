from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.roles import FEDERATION_ROLES
from core.roles import ROLE_ACTIONS
from core.roles import ROLE_REGION_LEVELS
from core.roles import Action
from core.roles import Role
from core.scoping import scope_for
from wilayah.forms import RegionField
from wilayah.models import LEVELS_BY_DEPTH

from .models import RoleAssignment

__all__ = ["ProfileForm", "RoleAssignForm", "UserInviteForm"]


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

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import ROLE_REGION_LEVELS
from accounts.roles import Action
from accounts.roles import Role
from core.scoping import scope_for
from wilayah.models import LEVELS_BY_DEPTH
from wilayah.models import Region

__all__ = ["RoleAssignForm", "ScopedRegionField", "UserInviteForm"]


class ScopedRegionField(forms.CharField):
    """A region typed as its code (with suggestions); only regions in ``queryset`` are accepted."""

    default_error_messages = {
        "invalid_choice": _("Choose a region inside your area; %(code)s is not one."),
    }

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset if queryset is not None else Region.objects.none()
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "region-suggestions", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        code = code.split(" ", 1)[0]  # a suggestion reads "33.18 Kabupaten Pati"
        region = self.queryset.filter(code=code, is_active=True).first()
        if region is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"code": code})
        return region


def grantable_roles(actor) -> list[tuple[str, str]]:
    """Roles whose level lies at or below the actor's highest managed region."""
    scope = scope_for(actor, Action.MANAGE_USERS)
    if scope.everything:
        return list(Role.choices)
    top_depth = min((root.count(".") for root in scope.roots), default=99)
    allowed = []
    for value, label in Role.choices:
        levels = ROLE_REGION_LEVELS[value]
        if levels and any(LEVELS_BY_DEPTH.index(level) >= top_depth for level in levels):
            allowed.append((value, label))
    return allowed


class _RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    region = ScopedRegionField(
        label=_("Region"),
        required=False,
        help_text=_("Type a name or code and choose from the suggestions. Leave empty for the national administrator."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = grantable_roles(actor)
        self.fields["region"].queryset = Region.objects.for_user(actor, Action.MANAGE_USERS)


class UserInviteForm(_RoleFields):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))

    field_order = ["full_name", "email", "role", "region"]


class RoleAssignForm(_RoleFields):
    pass

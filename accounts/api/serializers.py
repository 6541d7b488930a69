from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import RoleAssignment
from accounts.models import User
from core.api.fields import WholeNumberField
from core.roles import Role
from wilayah.api.serializers import RegionBriefSerializer

__all__ = [
    "MeSerializer",
    "RoleAssignInputSerializer",
    "RoleAssignmentSerializer",
    "TokenInputSerializer",
    "TokenSerializer",
    "UserBriefSerializer",
    "UserInviteInputSerializer",
    "UserSerializer",
]


class UserBriefSerializer(serializers.Serializer):
    """Who did something (submitted, reviewed, visited): enough to show a name."""

    id = serializers.IntegerField()
    full_name = serializers.CharField()


class RoleAssignmentSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    federation_name = serializers.CharField(source="federation.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "role_label", "region", "federation", "federation_name", "created_at"]


class UserSerializer(serializers.ModelSerializer):
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "is_active", "date_joined", "roles"]


class _RoleInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    region = serializers.RegexField(
        r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?\Z",
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Kemendagri code of the region the role is for; omit for the national administrator.",
    )
    federation = WholeNumberField(
        required=False, allow_null=True, min_value=1,
        help_text="For federation_director and federation_staff: the id of the federation the role is held on.",
    )


class UserInviteInputSerializer(_RoleInput):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150)


class RoleAssignInputSerializer(_RoleInput):
    pass


class ScopeSerializer(serializers.Serializer):
    national = serializers.BooleanField()
    regions = RegionBriefSerializer(many=True)
    federations = serializers.ListField(child=serializers.IntegerField(),
                                        help_text="Ids of the federations whose own records the user may see.")


class MeSerializer(serializers.ModelSerializer):
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)
    scope = serializers.SerializerMethodField()
    can_manage_users = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "roles", "scope", "can_manage_users"]

    @extend_schema_field(ScopeSerializer)
    def get_scope(self, user):
        scope = self.context["scope"]
        return ScopeSerializer({"national": scope.everything, "regions": self.context["scope_regions"],
                                "federations": sorted(scope.federations)}).data

    def get_can_manage_users(self, user) -> bool:
        return not self.context["manage_scope"].is_empty


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="With two-factor authentication active: the code from the authenticator app, or an unused "
                  "recovery code.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key, shown only now: send it as `Authorization: Token <key>`.")
    prefix = serializers.CharField(help_text="The key's first characters, to tell your tokens apart.")
    expires_at = serializers.DateTimeField(help_text="After this the token is refused; request a new one.")

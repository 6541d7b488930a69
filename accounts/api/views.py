from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import lockout
from accounts import services
from accounts.filtersets import UserFilterSet
from accounts.models import ApiToken
from accounts.models import User
from accounts.selectors import user_audit_history
from core.api.schema import error_response
from core.api.views import NUMERIC_ID
from core.api.views import AuditTrailMixin
from core.api.views import ScopedViewSetMixin
from core.api.views import validated_input
from core.client_ip import client_ip
from core.roles import Action
from core.scoping import scope_for
from wilayah.models import Region

from .serializers import MeSerializer
from .serializers import RoleAssignInputSerializer
from .serializers import RoleAssignmentSerializer
from .serializers import TokenInputSerializer
from .serializers import TokenSerializer
from .serializers import UserInviteInputSerializer
from .serializers import UserSerializer

__all__ = ["MeApi", "TokenApi", "UserViewSet"]


class MeApi(APIView):
    """The signed-in user, their roles and the regions they can see."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        scope = scope_for(request.user, Action.VIEW)
        context = {
            "scope": scope,
            "scope_regions": Region.objects.filter(code__in=scope.roots).order_by("code"),
            "manage_scope": scope_for(request.user, Action.MANAGE_USERS),
        }
        return Response(MeSerializer(request.user, context=context).data)


class TokenApi(APIView):
    """
    Exchange e-mail and password for an API token (``Authorization: Token <token>``), or revoke it.

    A token lasts API_TOKEN_DAYS and ends at once when the password changes or the account is deactivated.
    Failed attempts count towards the same lockout as the web and admin sign-in: while it holds, the answer
    is 429 with Retry-After, whatever the password. With two-factor authentication active, ``otp`` (a code
    from the authenticator app or a recovery code) is required too; an officer who has not activated it
    yet is refused (403).
    """

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenInputSerializer, auth=[], responses={
        200: TokenSerializer,
        400: error_response(400, "Wrong e-mail address or password (the same answer for both), or a missing or "
                                 "wrong two-factor code (otp)."),
        403: error_response(403, "The role requires two-factor authentication, not activated yet."),
        429: error_response(429, "Too many failed sign-ins for this account or address; see Retry-After."),
    })
    def post(self, request):
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"].lower()
        user = authenticate(request, email=email, password=data.validated_data["password"])
        if user is None or not user.is_active:
            _refuse_sign_in(request, email)
        services.mfa_check(user=user, code=data.validated_data.get("otp"), request=request)
        token, key = services.api_token_issue(user=user)
        return Response(TokenSerializer({"token": key, "prefix": token.prefix, "expires_at": token.expires_at}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke the token sent with this request; signed in with a session instead, revoke all your tokens."""
        if not request.user.is_authenticated:
            return Response(status=status.HTTP_401_UNAUTHORIZED)
        if isinstance(request.auth, ApiToken):
            services.api_token_revoke(token=request.auth)
        else:
            services.api_tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _refuse_sign_in(request, email: str):
    seconds = lockout.lock_seconds_remaining(identifier=lockout.normalise_identifier(email), ip=client_ip(request))
    if seconds:
        locked = Throttled(detail=lockout.locked_message(seconds))
        locked.wait = seconds  # sent as Retry-After; set after construction to keep the message as written
        raise locked
    raise ValidationError({"non_field_errors": [_("The e-mail address or password is not correct.")]})


class UserViewSet(AuditTrailMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """
    Delegated user administration. Lists only users whose every role lies inside the caller's
    area; creating a user or granting a role outside it answers 403.
    """

    queryset = User.objects.prefetch_related("role_assignments__region", "role_assignments__federation")
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    scope_action = Action.MANAGE_USERS
    lookup_value_regex = NUMERIC_ID

    def history_querysets(self, obj) -> list:
        return user_audit_history(obj)

    @extend_schema(request=UserInviteInputSerializer, responses={201: UserSerializer})
    def create(self, request):
        """Create an account with one role; the person receives an e-mail to choose a password."""
        data = validated_input(UserInviteInputSerializer, request.data)
        user = services.user_invite(actor=request.user, email=data["email"], full_name=data["full_name"],
                                    role=data["role"], region_code=data.get("region") or None,
                                    federation_id=data.get("federation"))
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Block the user's sign-in and API tokens; their data and history stay."""
        user = services.user_deactivate(actor=request.user, user=self.get_object())
        return Response(UserSerializer(user).data)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        user = services.user_reactivate(actor=request.user, user=self.get_object())
        return Response(UserSerializer(user).data)

    @extend_schema(request=RoleAssignInputSerializer, responses={201: RoleAssignmentSerializer})
    @action(detail=True, methods=["post"])
    def roles(self, request, pk=None):
        """Grant the user one more role."""
        data = validated_input(RoleAssignInputSerializer, request.data)
        assignment = services.role_assign(actor=request.user, user=self.get_object(), role=data["role"],
                                          region_code=data.get("region") or None,
                                          federation_id=data.get("federation"))
        return Response(RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"roles/(?P<assignment_id>[0-9]+)")
    def revoke_role(self, request, pk=None, assignment_id=None):
        """Take one role away from the user."""
        user = self.get_object()
        assignment = get_object_or_404(user.role_assignments, pk=assignment_id)
        services.role_revoke(actor=request.user, assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


"""
Writes to users and role assignments, with the delegated-administration rules.

An officer may create, change and deactivate users only for scopes inside their own subtree;
the national administrator role can only be granted by someone with national scope.
"""

import secrets
from datetime import timedelta

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from core.outbox import outbox_enqueue
from core.roles import FEDERATION_MEMBER_ACTIONS
from core.roles import FEDERATION_ROLES
from core.roles import ROLE_ACTIONS
from core.roles import ROLE_REGION_LEVELS
from core.roles import Action
from core.roles import Role
from core.roles import granting_action
from core.scoping import federation_reach
from core.scoping import forget_scope
from core.scoping import scope_for
from wilayah.models import Region
from wilayah.models import RegionLevel

from . import lockout
from .models import ApiToken
from .models import RoleAssignment
from .models import User
from .selectors import user_mfa_state

__all__ = [
    "api_token_issue",
    "api_token_revoke",
    "api_tokens_revoke_all",
    "mfa_check",
    "role_assign",
    "role_revoke",
    "user_deactivate",
    "user_email_confirm",
    "user_invite",
    "user_profile_update",
    "user_reactivate",
    "user_send_invitation",
    "user_totp_activate",
]

SEND_INVITATION_TASK = "accounts.tasks.send_invitation"


def _assignment_federation(*, actor: User, role: str, federation_id: int):
    """Validate that ``actor`` may grant the federation role ``role`` on the federation ``federation_id``."""
    if role not in FEDERATION_ROLES:
        raise ValidationError({"federation": _("Only the federation roles are held on a federation.")})
    # The federation model is reached through the foreign key: accounts does not import the app above it.
    federations = RoleAssignment._meta.get_field("federation").related_model.objects
    federation = federations.for_user(actor, Action.MANAGE_USERS).filter(pk=federation_id).first()
    if federation is None:
        if federations.filter(pk=federation_id).exists():
            raise PermissionDenied(_("You can only manage users of federations seated inside your own area."))
        raise ValidationError({"federation": _("Choose a federation.")})
    # Never more than you have: every right of the role must be one the granter holds on that federation.
    missing = [action for action in ROLE_ACTIONS[role]
               if not federations.for_user(actor, granting_action(action)).filter(pk=federation.pk).exists()]
    if missing:
        raise PermissionDenied(
            _("The role %(role)s may do things your own role may not do for %(federation)s; an officer who may do "
              "them there must grant it.") % {"role": Role(role).label, "federation": federation.name}
        )
    # A director reads the member villages' cooperatives: the granter must read them through their own area too.
    member_actions = FEDERATION_MEMBER_ACTIONS.get(role, frozenset())
    if member_actions:
        members = federation_reach(federation.pk)
        outside = {code for action in member_actions for code in members
                   if not scope_for(actor, granting_action(action)).holds(code)}
        if outside:
            raise PermissionDenied(
                _("%(federation)s has %(count)s member villages outside your area; an officer whose area holds them "
                  "must grant the role %(role)s.") % {"federation": federation.name, "count": len(outside),
                                                      "role": Role(role).label})
    return federation


def _assignment_region(*, actor: User, role: str, region_code: str | None) -> Region | None:
    """Validate that ``actor`` may grant ``role`` at ``region_code``; return the region."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    manage_scope = scope_for(actor, Action.MANAGE_USERS)
    levels = ROLE_REGION_LEVELS[role]
    if levels is None:
        if region_code:
            raise ValidationError({"region": _("The national administrator role is not tied to a region.")})
        if not manage_scope.everything:
            raise PermissionDenied(_("Only a national administrator can grant the national administrator role."))
        return None
    if not levels:
        raise ValidationError({"federation": _("The role %(role)s is held on a federation: choose the federation.")
                               % {"role": Role(role).label}})
    if not region_code:
        raise ValidationError({"region": _("Choose the region this role is for.")})
    region = Region.objects.filter(code=region_code, is_active=True).first()
    if region is None:
        raise ValidationError({"region": _("No active region has the code %(code)s.") % {"code": region_code}})
    if region.level not in levels:
        raise ValidationError(
            {"region": _("The role %(role)s is assigned at the level of: %(levels)s.") % {
                "role": Role(role).label,
                "levels": ", ".join(str(RegionLevel(level).label) for level in levels),
            }}
        )
    if not manage_scope.contains(region.code):
        raise PermissionDenied(
            _("You can only manage users for regions inside your own area; %(region)s is outside it.")
            % {"region": f"{region.code} {region.name}"}
        )
    # Never more than you have: every right the role grants there must be one the granter holds there (a
    # federation role held on a village grants only what it grants over member villages).
    actions = FEDERATION_MEMBER_ACTIONS[role] if role in FEDERATION_ROLES else ROLE_ACTIONS[role]
    missing = [action for action in actions if not scope_for(actor, granting_action(action)).contains(region.code)]
    if missing:
        raise PermissionDenied(
            _("The role %(role)s may do things your own role may not do in %(region)s; an officer who may do "
              "them there must grant it.") % {"role": Role(role).label, "region": region.name}
        )
    return region


def _assignment_place(*, actor: User, role: str, region_code: str | None, federation_id: int | None):
    """(region, federation) where ``actor`` may grant ``role``: a region, or a federation for the federation roles."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if federation_id:
        if region_code:
            raise ValidationError({"region": _("A role is held at a region or on a federation, not both.")})
        return None, _assignment_federation(actor=actor, role=role, federation_id=federation_id)
    return _assignment_region(actor=actor, role=role, region_code=region_code), None


def _require_above(*, actor: User, user: User) -> None:
    """
    Deactivating an account or taking a role away is for a level above the person: a peer cannot remove
    the only other verifier of their kabupaten, say.
    """
    if scope_for(actor, Action.MANAGE_USERS).everything:
        return
    roots = scope_for(actor, Action.MANAGE_USERS).roots
    for assignment in user.role_assignments.select_related("federation"):
        # A role on a federation stands where the federation is seated (a village: always below its officers).
        code = assignment.federation.seat_id if assignment.federation_id else assignment.region_id
        if code is None or code in roots or not any(code.startswith(root + ".") for root in roots):
            raise PermissionDenied(_("Only an officer above %(name)s can do this; ask the province or national "
                                     "administrator.") % {"name": user.full_name or user.email})


def _made_by(actor: User, *, user: User, assignment: RoleAssignment | None = None) -> bool:
    """
    Whether ``actor`` made what is being undone: the role they granted, or the account they invited with no role
    anyone else granted. Whoever made it may unmake it: a peer's mistaken invitation or grant had needed the
    province to undo it, while the same peer could make it.
    """
    if assignment is not None:
        return assignment.granted_by_id == actor.pk
    return user.invited_by_id == actor.pk and not user.role_assignments.exclude(granted_by=actor).exists()


def _require_manageable(*, actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise PermissionDenied(_("You cannot change your own account status or roles."))
    if not User.objects.for_user(actor, Action.MANAGE_USERS).filter(pk=user.pk).exists():
        raise PermissionDenied(_("This user holds a role outside your area, so you cannot manage them."))


@transaction.atomic
def user_invite(*, actor: User, email: str, full_name: str, role: str, region_code: str | None = None,
                federation_id: int | None = None) -> User:
    """Create an account with one role and e-mail the person a link to choose their password."""
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = " ".join(full_name.split())
    region, federation = _assignment_place(actor=actor, role=role, region_code=region_code,
                                           federation_id=federation_id)
    if (User.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email, verified=True).exists()):
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User(email=email, full_name=full_name, invited_by=actor)
    user.set_unusable_password()
    user.full_clean()
    user._history_user = actor
    user.save()
    # Unverified until the invitee follows the e-mailed link (user_email_confirm).
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    assignment = RoleAssignment(user=user, role=role, region=region, federation=federation, granted_by=actor)
    assignment.full_clean()
    assignment._history_user = actor
    assignment.save()
    language = translation.get_language() or settings.LANGUAGE_CODE
    # In the outbox, in this transaction: the account and its e-mail exist together or not at all, and
    # an e-mail the broker cannot take now is handed over when it is back. By name: tasks.py wraps this
    # module's services, so importing it here would make a circle.
    outbox_enqueue(SEND_INVITATION_TASK, user.pk, language)
    return user


@transaction.atomic
def role_assign(*, actor: User, user: User, role: str, region_code: str | None = None,
                federation_id: int | None = None) -> RoleAssignment:
    """Give an existing user one more role, at a region or (federation roles) on a federation."""
    _require_manageable(actor=actor, user=user)
    region, federation = _assignment_place(actor=actor, role=role, region_code=region_code,
                                           federation_id=federation_id)
    if RoleAssignment.objects.filter(user=user, role=role, region=region, federation=federation).exists():
        raise ValidationError({"role": _("The user already holds this role there.")})
    assignment = RoleAssignment(user=user, role=role, region=region, federation=federation, granted_by=actor)
    assignment.full_clean()
    assignment._history_user = actor
    assignment.save()
    forget_scope(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    """Take one role away; a user keeps at least one role (deactivate the account instead)."""
    _require_manageable(actor=actor, user=assignment.user)
    if not _made_by(actor, user=assignment.user, assignment=assignment):
        _require_above(actor=actor, user=assignment.user)
    if assignment.user.role_assignments.count() <= 1:
        raise ValidationError(_("This is the user's only role. Deactivate the account instead."))
    assignment._history_user = actor
    assignment.delete()
    forget_scope(assignment.user)


def _set_active(*, actor: User, user: User, active: bool) -> User:
    _require_manageable(actor=actor, user=user)
    # Only taking back: reactivating an account a level above deactivated stays with that level.
    if active or not _made_by(actor, user=user):
        _require_above(actor=actor, user=user)
    if user.is_active == active:
        return user
    user.is_active = active
    user._history_user = actor
    if active:
        user.save(update_fields=["is_active"])
    else:
        # Reactivating an account must not bring its old sessions or API keys back to life.
        user.session_generation += 1
        user.save(update_fields=["is_active", "session_generation"])
        api_tokens_revoke_all(user=user)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Block sign-in (web and API token) while keeping the account and its history."""
    return _set_active(actor=actor, user=user, active=False)


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    return _set_active(actor=actor, user=user, active=True)


def user_send_invitation(*, user_id: int, language: str = settings.LANGUAGE_CODE) -> bool:
    """
    E-mail an invited user a link to choose their password. Safe to repeat: each run sends a
    fresh link, and nothing is sent to an account that is inactive or already has a password.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    assignments = list(user.role_assignments.select_related("region", "federation"))
    with translation.override(language):
        context = {"user": user, "link": settings.PORTAL_BASE_URL + path, "assignments": assignments}
        subject = _("Your account on the Koperasi Merah Putih portal")
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


@transaction.atomic
def user_profile_update(*, actor: User, user: User, full_name: str, position_title: str, nip: str) -> User:
    """A person's own name, position and NIP, as printed under their signature on official reports."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("Only the person themselves can change their profile."))
    errors = {}
    full_name = " ".join((full_name or "").split())
    if not full_name:
        errors["full_name"] = [_("Enter your full name.")]
    nip_digits = "".join((nip or "").split())
    if nip_digits and (len(nip_digits) != 18 or not nip_digits.isascii() or not nip_digits.isdigit()):
        errors["nip"] = [_("A NIP has 18 digits.")]
    if errors:
        raise ValidationError(errors)
    user.full_name, user.position_title, user.nip = full_name, " ".join((position_title or "").split()), nip_digits
    user._history_user = actor
    user.save(update_fields=["full_name", "position_title", "nip"])
    return user


# The key's first characters, stored in clear to tell a user's tokens apart (8 of 43 base64 characters).
API_TOKEN_PREFIX_LENGTH = 8


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[ApiToken, str]:
    """
    A new API token for ``user``, valid for API_TOKEN_DAYS. Returns the row and the key; the key itself is
    stored nowhere (only its SHA-256), so this is the only moment it can be shown.
    """
    if not user.is_active:
        raise PermissionDenied(_("This account is deactivated."))
    now = timezone.now()
    # Tokens that can no longer be used (expired, or from before a password change) go when a new one comes.
    user.api_tokens.filter(expires_at__lte=now).delete()
    user.api_tokens.exclude(password_fingerprint__in=ApiToken.password_fingerprints(user)).delete()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        prefix=key[:API_TOKEN_PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        password_fingerprint=user.get_session_auth_hash(),
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()


def api_tokens_revoke_all(*, user: User) -> int:
    """End every API token of ``user`` (all their API clients are signed out); returns how many there were."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
@transaction.atomic
def user_email_confirm(*, user: User) -> bool:
    """
    Mark ``user``'s sign-in address verified because they followed a link e-mailed to it: the invitation
    (which is a password-reset link) or a later password reset. Returns whether it is verified; it is not
    when another account verified the same address first.
    """
    email = user.email.lower()
    address = EmailAddress.objects.select_for_update().filter(user=user, email=email).first()
    if address is None:
        address = EmailAddress(user=user, email=email)
    if not address.primary:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        address.primary = True
    if not address.verified and address.can_set_verified():
        address.verified = True
    address.save()
    return address.verified


def mfa_check(*, user: User, code: str | None, request=None) -> None:
    """
    The second factor where no allauth page asks for it (the API token): a user with an authenticator
    app must give a current code from it or an unused recovery code (used up by this); a user whose role
    requires two-factor authentication but who has not activated it is refused. Wrong codes count
    towards the same lockout as wrong codes on the sign-in page (``lockout.second_factor_identifier``).
    """
    required, active = user_mfa_state(user)
    if not active:
        if required:
            raise PermissionDenied(_(
                "Your role requires two-factor authentication, which is not active on your account yet. Sign in "
                "to the portal, activate it under My profile, then ask for a token again with a code from "
                "your authenticator app."))
        return
    code = "".join((code or "").split())
    if not code:
        raise ValidationError({"otp": _(
            "This account uses two-factor authentication: send a code from the authenticator app, or an "
            "unused recovery code, as otp.")})
    kinds = [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    try:
        # DRF's request wraps Django's; the lockout reads the client address from it.
        with lockout.attempt(getattr(request, "_request", request), lockout.second_factor_identifier(user)) as tried:
            for authenticator in Authenticator.objects.filter(user=user, type__in=kinds).order_by("-type"):  # app 1st
                if authenticator.wrap().validate_code(code):
                    authenticator.record_usage()
                    tried.succeeded = True
                    return
            raise ValidationError({"otp": _("This code is not correct, has expired or was already used.")})
    except lockout.SignInLocked:
        raise ValidationError({"otp": _("Too many wrong codes. Wait a few minutes and try again.")})


@transaction.atomic
def user_totp_activate(*, user: User, secret: str) -> list[str]:
    """
    Turn on the authenticator app for ``user`` with a known Base32 ``secret``, with recovery codes; returns
    the codes. For scripted set-ups (tests, the benchmark); people activate it on their MFA page, where
    allauth makes the secret and checks a first code.
    """
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        raise ValidationError(_("Two-factor authentication is already active for this account."))
    TOTP.activate(user, secret)
    return RecoveryCodes.activate(user).generate_codes()

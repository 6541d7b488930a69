"""Users of the portal and the roles they hold at a region (or on a federation)."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.models import BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.roles import FEDERATION_ROLES
from core.roles import Action
from core.roles import Role
from core.scoping import Scope
from core.scoping import ScopedQuerySet
from core.scoping import scope_for

__all__ = ["ApiToken", "RoleAssignment", "SignInFailure", "User"]


class UserQuerySet(ScopedQuerySet):
    def for_user(self, user, action: Action = Action.VIEW):
        """
        Users ``user`` may see (any of their roles is inside the scope) or, for
        ``Action.MANAGE_USERS``, may administer (all of their roles are inside it).
        """
        scope = scope_for(user, action)
        if scope.everything:
            return self.all()
        if action == Action.MANAGE_USERS:
            return self.within_entirely(scope)
        return self.within(scope)

    def within(self, scope: Scope):
        inside = RoleAssignment.objects.within(scope).values("user_id")
        return self.filter(pk__in=inside)

    def within_entirely(self, scope: Scope):
        """Users who have at least one role and no role outside ``scope``."""
        if scope.everything:
            return self.all()
        inside = RoleAssignment.objects.within(scope).values("pk")
        # A national role has no region and is therefore outside every regional scope.
        outside = RoleAssignment.objects.exclude(pk__in=inside).values("user_id")
        return self.within(scope).exclude(pk__in=outside)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address. Accounts are created by an officer above them."""

    email = models.EmailField(
        verbose_name=_("e-mail address"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("A user with this e-mail address already exists.")},
        help_text=_("Stored in lower case; also the sign-in name."),
    )
    full_name = models.CharField(
        verbose_name=_("full name"),
        max_length=150,
    )
    is_active = models.BooleanField(
        verbose_name=_("active"),
        default=True,
    )
    is_staff = models.BooleanField(
        verbose_name=_("may use the technical admin site"),
        default=False,
    )
    date_joined = models.DateTimeField(
        verbose_name=_("created"),
        default=timezone.now,
    )
    position_title = models.CharField(
        verbose_name=_("position (jabatan)"),
        max_length=150,
        blank=True,
        help_text=_("As it appears under the signature of official reports, e.g. Kepala Dinas Koperasi dan UKM."),
    )
    nip = models.CharField(
        verbose_name=_("NIP"),
        max_length=18,
        blank=True,
        help_text=_("Civil servant number (18 digits), printed under the signature."),
    )
    invited_by = models.ForeignKey(
        verbose_name=_("invited by"),
        to="self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    session_generation = models.PositiveIntegerField(
        verbose_name=_("session generation"),
        default=0,
        editable=False,
        help_text=_("Raised when the account is deactivated: every session signed in before it ends."),
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_generation"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    # A session holds a hash of the password (Django's check: a new password ends the other sessions). It holds the
    # session generation too, so that deactivating an account ends its sessions for good: hidden while it is
    # inactive, an old session had opened pages again once the account was reactivated. Generation 0 keeps
    # Django's hash, so sessions signed in before the generation existed stay valid.
    def get_session_auth_hash(self):
        if not self.session_generation:
            return super().get_session_auth_hash()
        return self._generation_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        if not self.session_generation:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._generation_hash(secret=secret)

    def _generation_hash(self, *, secret) -> str:
        return salted_hmac("accounts.User.get_session_auth_hash", f"{self.password}:{self.session_generation}",
                           secret=secret, algorithm="sha256").hexdigest()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def office_label(self) -> str:
        """Where the person works, from their first role: "Kabupaten/kota officer, Kabupaten Pati"."""
        assignment = self.role_assignments.select_related("region", "federation").order_by("role", "region_id").first()
        if assignment is None:
            return ""
        role = assignment.get_role_display()
        return f"{role}, {assignment.place_label}" if assignment.region_id or assignment.federation_id else str(role)


class RoleAssignmentQuerySet(ScopedQuerySet):
    def within(self, scope: Scope):
        """
        Assignments inside ``scope``: held at a region inside it, or on a federation that is seated inside it
        or is one of its federations. (A role on a federation is held where the federation is.)
        """
        return self.filter(scope.q(RoleAssignment.scope_path)
                           | scope.q("federation__seat__code", RoleAssignment.scope_federation_path))


class RoleAssignment(models.Model):
    """
    One role held by a user at one region (none for the national administrator), or, for the federation
    roles, on one federation (``federation``; its reach follows the federation's members, see core/scoping.py).
    """

    user = models.ForeignKey(
        verbose_name=_("user"),
        to=User,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(
        verbose_name=_("role"),
        max_length=32,
        choices=Role.choices,
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="wilayah.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # By name: accounts stands below the federation app and does not import it.
    federation = models.ForeignKey(
        verbose_name=_("federation"),
        to="bumdes.Federation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        verbose_name=_("granted by"),
        to=User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(
        verbose_name=_("granted at"),
        auto_now_add=True,
    )

    objects = RoleAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    scope_path = "region__code"
    scope_federation_path = "federation_id"

    class Meta:
        ordering = ["user_id", "role", "region_id", "federation_id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                name="accounts_roleassignment_unique",
                violation_error_message=_("The user already holds this role for this region."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "federation"],
                condition=models.Q(federation__isnull=False),
                name="accounts_roleassignment_federation_unique",
                violation_error_message=_("The user already holds this role for this federation."),
            ),
            models.CheckConstraint(
                condition=models.Q(role=Role.NATIONAL_ADMIN, region__isnull=True, federation__isnull=True)
                | models.Q(role__in=sorted(FEDERATION_ROLES), region__isnull=True, federation__isnull=False)
                | (~models.Q(role__in=[Role.NATIONAL_ADMIN, Role.FEDERATION_STAFF])
                   & models.Q(region__isnull=False, federation__isnull=True)),
                name="accounts_roleassignment_place_matches_role",
                violation_error_message=_("Only the national administrator role is held without a region; federation "
                                          "staff are held on a federation."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.place_label}"

    @property
    def place_label(self) -> str:
        """Where the role is held: the region's or the federation's name, or Indonesia."""
        if self.federation_id:
            return self.federation.name
        return self.region.name if self.region_id else str(_("Indonesia"))


class SignInFailure(models.Model):
    """
    One password sign-in attempt that did not (yet) succeed, through the web, the admin or the API: the rows
    the lockout counts (``accounts/lockout.py``). Kept in PostgreSQL so that the lockout holds when Redis is
    down; rows older than the lockout window are deleted as new ones arrive.
    """

    identifier = models.CharField(
        verbose_name=_("account"),
        max_length=254,
        help_text=_("The e-mail address as typed, in lower case; recorded whether or not an account has it."),
    )
    ip_address = models.GenericIPAddressField(
        verbose_name=_("IP address"),
        null=True,
        blank=True,
    )
    attempted_at = models.DateTimeField(
        verbose_name=_("attempted at"),
        default=timezone.now,
        db_index=True,
    )

    class Meta:
        ordering = ["-attempted_at"]
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(fields=["identifier", "attempted_at"], name="accounts_signin_account_idx"),
            models.Index(fields=["ip_address", "attempted_at"], name="accounts_signin_ip_idx"),
        ]

    def __str__(self):
        return f"{self.identifier} {self.ip_address or ''} {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class ApiToken(models.Model):
    """
    A key for ``Authorization: Token <key>``. Only the SHA-256 of the key is stored (the key is shown once,
    when issued); the token stops working when it expires, when the user's password changes
    (``password_fingerprint``) or when the account is deactivated.
    """

    user = models.ForeignKey(
        verbose_name=_("user"),
        to=User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    prefix = models.CharField(
        verbose_name=_("prefix"),
        max_length=8,
        help_text=_("The first characters of the key, to tell tokens apart; not enough to use it."),
    )
    key_hash = models.CharField(
        verbose_name=_("key hash"),
        max_length=64,
        unique=True,
    )
    password_fingerprint = models.CharField(
        verbose_name=_("password fingerprint"),
        max_length=128,
        help_text=_("Django's session hash of the password the token was issued under: a new password ends it."),
    )
    created_at = models.DateTimeField(
        verbose_name=_("issued at"),
        default=timezone.now,
    )
    expires_at = models.DateTimeField(
        verbose_name=_("expires at"),
    )
    last_used_at = models.DateTimeField(
        verbose_name=_("last used at"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        # The key is 256 random bits, so a plain SHA-256 is enough: nothing to brute-force, unlike a password.
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def password_fingerprints(user: User) -> list[str]:
        """The fingerprints a token of ``user`` may carry: their password now (under the current or an old key)."""
        return [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]

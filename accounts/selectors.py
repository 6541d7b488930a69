"""Read queries over users. Administration lists only show users the caller may manage."""

import functools

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection
from django.db.models import Q

from core.roles import ROLE_ACTIONS
from core.roles import Action
from core.roles import Role
from core.scoping import remember_role_assignments
from core.sessions import rows_read_with_session

from .filtersets import UserFilterSet
from .models import RoleAssignment
from .models import User

__all__ = [
    "authenticator_app_since",
    "mfa_required_roles",
    "nearest_users_who_can",
    "regions_held",
    "register_signed_in_fact",
    "signed_in_fact",
    "user_assignments",
    "user_audit_history",
    "user_by_id",
    "user_by_id_statement",
    "user_list",
    "user_mfa_state",
    "users_holding",
]


_USER_COLUMNS = tuple(field.attname for field in User._meta.concrete_fields)
_quote = connection.ops.quote_name
# Figures about the signed-in user that apps above this one show on every page (the bell's unread count), read in
# the same statement as the user: name → a scalar SQL expression over ``account``, the user's row. Registered from
# an AppConfig.ready() (``register_signed_in_fact``), so this app imports none of theirs.
_signed_in_facts: dict[str, str] = {}
# Where user_by_id leaves what it read besides the user, for the first question of the same request: the
# two-factor state (user_mfa_state) and the registered facts (signed_in_fact).
_ACCESS_READ_WITH_USER = "_access_read_with_user"
_FACTS_READ_WITH_USER = "_facts_read_with_user"


def register_signed_in_fact(name: str, sql: str) -> None:
    """
    Read ``sql`` (a scalar expression over ``account``, the user's row, e.g. a count of their rows in a table; no
    parameters, so no ``%``) with the signed-in user on every request; ``signed_in_fact(user, name)`` gives its value.
    """
    if "%" in sql:
        raise ValueError("A signed-in fact takes no parameters: its SQL may not contain '%'.")
    _signed_in_facts[name] = sql
    _user_by_id_statement.cache_clear()


@functools.cache
def _user_by_id_statement() -> tuple[str, tuple[str, ...]]:
    """
    The statement and the names of the facts it reads: the user's columns, then each of their role assignments
    (none: one row of NULLs), whether their authenticator app is active, which the two-factor check asks on every
    page (``user_mfa_state``), and the registered facts, each computed once for the user, not per assignment.
    """
    names = tuple(_signed_in_facts)
    facts = "".join(f", ({_signed_in_facts[name]}) AS fact_{index}" for index, name in enumerate(names))
    statement = (
        f"SELECT {', '.join('account.' + _quote(field.column) for field in User._meta.concrete_fields)}, "
        f"assignment.role, assignment.region_id, assignment.federation_id, account.has_totp"
        + "".join(f", account.fact_{index}" for index in range(len(names)))
        + f" FROM (SELECT account.*, "
        f"EXISTS (SELECT 1 FROM {Authenticator._meta.db_table} WHERE user_id = account.id AND type = %s) AS has_totp"
        f"{facts} FROM {_quote(User._meta.db_table)} AS account "
        # A LIMIT keeps PostgreSQL's planner from pulling the subquery up into the join, which would compute the
        # facts again for each role assignment (one row by primary key: LIMIT 1 changes nothing else; unlike a bare
        # OFFSET 0, SQLite, the quickstart's database, reads it too).
        f"WHERE account.{_quote(User._meta.pk.column)} = %s LIMIT 1) AS account "
        f"LEFT JOIN {RoleAssignment._meta.db_table} AS assignment ON assignment.user_id = account.id"
    )
    return statement, names


def user_by_id_statement(user_id) -> tuple[str, list]:
    """The statement ``user_by_id`` runs, with its parameters (core.sessions reads it with the session)."""
    return _user_by_id_statement()[0], [Authenticator.Type.TOTP, user_id]


def user_by_id(user_id) -> User | None:
    """
    The user with this primary key, as the ORM would load it, read with one plain statement: the signed-in
    user is read on every request, and building the ORM query cost as much as running it. The same statement
    reads their role assignments (handed to ``scope_for``), their authenticator's state, which the two-factor
    check then takes instead of asking again, and the facts other apps registered (the bell's count): one round
    trip where there were three; none of its own when it was read with this request's session (core.sessions).
    """
    fact_names = _user_by_id_statement()[1]
    rows = rows_read_with_session(user_id)
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(*user_by_id_statement(user_id))
            rows = cursor.fetchall()
    if not rows:
        return None
    width = len(_USER_COLUMNS)
    user = User.from_db(connection.alias, _USER_COLUMNS, rows[0][:width])
    access = [row[width:width + 4] for row in rows]
    remember_role_assignments(user, [(role, region, federation) for role, region, federation, _totp in access
                                     if role is not None])
    setattr(user, _ACCESS_READ_WITH_USER, access)
    setattr(user, _FACTS_READ_WITH_USER, dict(zip(fact_names, rows[0][width + 4:], strict=True)))
    return user


def signed_in_fact(user, name: str):
    """
    The value of the registered fact ``name`` as it stood when ``user`` was read at the start of this request, for
    the whole request (so every part of a page shows the same; the pages that change it redirect), or None when it
    was not read with the user (then ask the database).
    """
    # Through getattr, not __dict__: request.user is a lazy wrapper around the user read.
    facts = getattr(user, _FACTS_READ_WITH_USER, None)
    return facts.get(name) if facts else None


def user_list(*, actor, filters: dict | None = None):
    queryset = User.objects.for_user(actor, Action.MANAGE_USERS).prefetch_related("role_assignments__region",
                                                                                   "role_assignments__federation")
    return UserFilterSet(filters or {}, queryset, user=actor).qs


def user_assignments(user) -> list[RoleAssignment]:
    return list(user.role_assignments.select_related("region", "federation").order_by("role", "region_id"))


def user_audit_history(user) -> list:
    """History of the account and of every role it held, to be merged into one trail."""
    return [user.history.all(), RoleAssignment.history.filter(user_id=user.pk)]


def nearest_users_who_can(action: Action, code: str, *, exclude=None) -> list[User]:
    """
    The active users whose role lets them ``action`` on region ``code``, at the nearest level that has
    any: the kabupaten's officers before the province's, the province's before the national
    administrators (``exclude``, e.g. whoever caused the notice, is left out before the level is chosen).
    Whom to tell when something in a village awaits them.
    """
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    parts = code.split(".")
    levels = [".".join(parts[:depth]) for depth in range(len(parts), 0, -1)]
    holders = (RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
               .exclude(user_id=getattr(exclude, "pk", None))
               .filter(Q(region_id__in=levels) | Q(region__isnull=True)).select_related("user"))
    by_level: dict[str | None, list[User]] = {}
    for assignment in holders:
        by_level.setdefault(assignment.region_id, []).append(assignment.user)
    for level in [*levels, None]:
        if by_level.get(level):
            return sorted(set(by_level[level]), key=lambda user: user.pk)
    return []


def users_holding(role: str, codes) -> list[User]:
    """The active users holding ``role`` at any of the regions ``codes`` (e.g. a cooperative's village staff)."""
    return list(User.objects.filter(is_active=True, role_assignments__role=role,
                                    role_assignments__region_id__in=list(codes)).distinct().order_by("pk"))


def regions_held(user, role: str) -> set[str]:
    """The region codes where ``user`` holds ``role`` (e.g. the desa/kelurahan a village staff member works for)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(user.role_assignments.filter(role=role, region__isnull=False).values_list("region_id", flat=True))


def mfa_required_roles() -> frozenset[str]:
    """The roles whose holders must use two-factor authentication (``settings.MFA_REQUIRED_ROLES``)."""
    return frozenset(role.strip() for role in settings.MFA_REQUIRED_ROLES if role.strip())


# The user's role assignments (none: one row of NULLs) and whether their authenticator app is active.
_MFA_STATE_SQL = (
    f"SELECT assignment.role, assignment.region_id, assignment.federation_id, "
    f"EXISTS (SELECT 1 FROM {Authenticator._meta.db_table} WHERE user_id = %s AND type = %s) "
    f"FROM (SELECT 1) AS one LEFT JOIN {RoleAssignment._meta.db_table} AS assignment ON assignment.user_id = %s"
)


def authenticator_app_since(user):
    """When ``user``'s authenticator app was activated (a datetime), or None while it is not active."""
    return (Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
            .order_by("created_at").values_list("created_at", flat=True).first())


def user_mfa_state(user) -> tuple[bool, bool]:
    """
    ``(required, active)``: whether ``user`` must use two-factor authentication, and whether their
    authenticator app is active. The one rule for who must: holders of a role in ``MFA_REQUIRED_ROLES``;
    staff and superusers count as national administrators (the admin site and national scope). One query,
    asked on every page: it reads the user's role assignments too and hands them to ``scope_for``, which
    would otherwise read them again for the menu and the page. For the signed-in user the first question of a
    request takes the answer read with the user (``user_by_id``): no query.
    """
    if user is None or not user.is_authenticated:
        return False, False
    roles = mfa_required_roles()
    staff_required = (user.is_staff or user.is_superuser) and Role.NATIONAL_ADMIN in roles
    # Read with the user at the start of this request (user_by_id), once: a later question in the same request
    # (after an authenticator is activated, say) reads the state again.
    # Through getattr and delattr, not __dict__: request.user is a lazy wrapper around the user read.
    rows = getattr(user, _ACCESS_READ_WITH_USER, None)
    if rows is not None:
        delattr(user, _ACCESS_READ_WITH_USER)
    else:
        # Plain SQL: building it through the ORM costs several times more than running it.
        with connection.cursor() as cursor:
            cursor.execute(_MFA_STATE_SQL, [user.pk, Authenticator.Type.TOTP, user.pk])
            rows = cursor.fetchall()
    assignments = [(role, region, federation) for role, region, federation, _totp in rows if role is not None]
    remember_role_assignments(user, assignments)
    holds_required_role = any(role in roles for role, _region, _federation in assignments)
    has_totp = rows[0][3] if rows else False
    return staff_required or bool(holds_required_role), bool(has_totp)

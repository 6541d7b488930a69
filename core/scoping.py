"""
The one scoping mechanism of the portal.

A user's scope is a set of Kemendagri region codes, and a set of federations. The dotted code is a
materialized path with fixed-width segments (``33`` / ``33.18`` / ``33.18.01`` / ``33.18.01.2001``), so
"inside the subtree of 33.18" is simply "the code starts with 33.18". Every scoped model names the field
that holds its region code in ``scope_path``; a model whose rows belong to a federation (its sites, its
members) also names the field holding the federation's id in ``scope_federation_path``.
``Model.objects.for_user(user, action)`` filters by them. Views, form choices, API endpoints and exports
all go through ``for_user`` (or ``Scope.q`` for the rare query that is not rooted in a scoped model);
none filters by region by hand.

A role held on a federation (a federation director, its staff) puts the federation (and the companies it
owns) into the scope of the actions the role grants, and, for the actions it grants over member villages,
the villages that are members today. Which federations and villages those are is the federation app's
knowledge: it registers resolvers (``register_federation_family``, ``register_federation_members``) from
its ``AppConfig.ready()``, so this module imports no app.

Member villages reach the villages' own data (their cooperatives, units, members), not the records of other
federations that happen to be seated in them: a model whose region path is a federation's seat sets
``scope_member_villages = False``, and a director of one federation does not see another's sites, members and
capital because its seat is one of their member villages.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import FEDERATION_MEMBER_ACTIONS
from core.roles import FEDERATION_ROLES
from core.roles import ROLE_ACTIONS
from core.roles import Action
from core.roles import Role

__all__ = [
    "VILLAGE_CODE_LENGTH",
    "Scope",
    "ScopedQuerySet",
    "code_in_subtree",
    "federation_member_codes",
    "federation_reach",
    "forget_scope",
    "register_federation_family",
    "register_federation_members",
    "remember_role_assignments",
    "require_scope",
    "scope_for",
]

VILLAGE_CODE_LENGTH = len("33.18.01.2001")
# Up to this many member villages a federation's members are filtered by their codes, above it by a subquery.
MEMBER_CODES_AS_LIST = 1000


def code_in_subtree(code: str, root: str) -> bool:
    """True when ``code`` is ``root`` or lies below it in the region tree."""
    return code == root or code.startswith(root + ".")


def _ancestors_and_self(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


@dataclass(frozen=True)
class Scope:
    """A set of region subtrees and of federations, or everything (national scope)."""

    roots: frozenset[str] = frozenset()
    everything: bool = False
    federations: frozenset[int] = frozenset()
    # The federations whose member villages of today are in ``roots`` (and which those are): queries ask the
    # database for the members rather than carry thousands of codes (see ``q``).
    member_of: frozenset[int] = frozenset()
    member_codes: frozenset[str] = frozenset()
    # The villages in ``roots`` only as a federation's members (not through a role held at a region).
    member_only: frozenset[str] = frozenset()

    @classmethod
    def of(cls, codes: Iterable[str], federations: Iterable[int] = (), *, member_of: Iterable[int] = (),
           member_codes: Iterable[str] = (), member_only: Iterable[str] = ()) -> Scope:
        """Build a scope, dropping codes already covered by another code in the set."""
        unique = set(codes)
        areas = {code for code in unique if len(code) != VILLAGE_CODE_LENGTH}
        roots: set[str] = set()
        # Shortest first, so a code's ancestors are decided before it.
        for code in sorted(areas, key=len):
            if not any(ancestor in roots for ancestor in _ancestors_and_self(code)):
                roots.add(code)
        villages = unique - areas
        if roots:
            # A village is covered by its province, kabupaten/kota or kecamatan (the first 2, 5 or 8 characters):
            # linear in the number of villages, which matters for a federation of thousands.
            villages = {code for code in villages if not any(code[:length] in roots for length in (2, 5, 8))}
        roots |= villages
        return cls(roots=frozenset(roots), federations=frozenset(federations), member_of=frozenset(member_of),
                   member_codes=frozenset(member_codes), member_only=frozenset(member_only) & roots)

    @classmethod
    def national(cls) -> Scope:
        return cls(everything=True)

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.roots and not self.federations

    def contains(self, code: str | None) -> bool:
        """True when the region ``code`` is inside this scope."""
        if self.everything:
            return True
        if not code:
            return False
        return any(ancestor in self.roots for ancestor in _ancestors_and_self(code))

    def reaches(self, code: str | None = None, federation_id: int | None = None) -> bool:
        """True when a row of the region ``code`` (or belonging to the federation ``federation_id``) is in scope."""
        return self.contains(code) or (federation_id is not None and federation_id in self.federations)

    def holds(self, code: str | None) -> bool:
        """Like ``contains``, but a village reached only as a federation's member does not count (it is not held)."""
        if code in self.member_only:
            return False
        return self.contains(code)

    def covers(self, other: Scope) -> bool:
        """True when every region and federation of ``other`` is inside this scope."""
        if self.everything:
            return True
        if other.everything:
            return False
        return all(self.contains(root) for root in other.roots) and other.federations <= self.federations

    def q(self, path: str, federation_path: str | None = None, *, member_villages: bool = True) -> Q:
        """
        A filter selecting rows whose region code field ``path`` is inside this scope, or (for a model
        whose rows belong to a federation) whose federation field ``federation_path`` names one of its
        federations. ``member_villages=False``: villages reached only as a federation's members do not count
        (``path`` is where another federation is seated, not village data).
        """
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        # A long list of codes costs more to send and plan than the semi-join; a short one is the cheaper.
        by_membership = bool(member_villages and self.member_of and _federation_member_filter
                             and len(self.member_codes) > MEMBER_CODES_AS_LIST)
        left_out = frozenset() if member_villages else self.member_only
        if by_membership:
            # A federation's members (thousands of villages) as a semi-join on its membership tables.
            condition = _federation_member_filter(path, self.member_of, timezone.localdate())
        # Villages have no children, so an exact match is the whole subtree and can use IN.
        villages = sorted(code for code in self.roots if len(code) == VILLAGE_CODE_LENGTH and code not in left_out
                          and not (by_membership and code in self.member_codes))
        areas = sorted(code for code in self.roots if len(code) != VILLAGE_CODE_LENGTH)
        if villages:
            condition |= Q(**{f"{path}__in": villages})
        for code in areas:
            # Segments have fixed widths, so a plain prefix never matches a sibling (33.1 is not a code).
            condition |= Q(**{f"{path}__startswith": code})
        if federation_path and self.federations:
            condition |= Q(**{f"{federation_path}__in": sorted(self.federations)})
        return condition

    def __or__(self, other: Scope) -> Scope:
        if self.everything or other.everything:
            return Scope.national()
        own = Scope.of((self.roots - self.member_only) | (other.roots - other.member_only))
        return Scope.of(self.roots | other.roots, self.federations | other.federations,
                        member_of=self.member_of | other.member_of, member_codes=self.member_codes | other.member_codes,
                        member_only={code for code in self.member_only | other.member_only if not own.contains(code)})


# The federation app's answer to "which villages are members of these federations on this day"; see
# ``register_federation_members``. Without it (the app not installed) a federation has no member villages.
_federation_members: Callable[[frozenset[int], date], Iterable[str]] | None = None
_federation_member_filter: Callable[[str, frozenset[int], date], Q] | None = None


def register_federation_members(resolver: Callable[[frozenset[int], date], Iterable[str]],
                                member_filter: Callable[[str, frozenset[int], date], Q] | None = None) -> None:
    """
    ``resolver(federation_ids, day)`` returns the codes of the villages that are members of any of the
    federations on ``day`` (joined on or before it, not yet left); ``member_filter(path, federation_ids, day)``
    the same as a filter on the region code field ``path`` (a subquery). Registered once, from an
    ``AppConfig.ready()``.
    """
    global _federation_members, _federation_member_filter
    _federation_members, _federation_member_filter = resolver, member_filter


# The federation app's answer to "which federations does a role on these reach": themselves and the companies
# they own (a BUM Desa Bersama's director oversees its PT). Without it, just themselves.
_federation_family: Callable[[frozenset[int]], Iterable[int]] | None = None


def register_federation_family(resolver: Callable[[frozenset[int]], Iterable[int]]) -> None:
    """``resolver(federation_ids)`` returns those ids and the ids of the federations they own."""
    global _federation_family
    _federation_family = resolver


def _family(cache: dict, federations: frozenset[int]) -> frozenset[int]:
    """The federations a role on ``federations`` reaches, read once per user object."""
    key = ("family", federations)
    if key not in cache:
        cache[key] = frozenset(_federation_family(federations)) if _federation_family and federations else federations
    return cache[key]


def _member_villages(cache: dict, federations: frozenset[int]) -> list[str]:
    """Member villages of ``federations`` today, read once per user object (i.e. once per request)."""
    key = ("members", federations)
    if key not in cache:
        cache[key] = sorted(_federation_members(federations, timezone.localdate())) if _federation_members else []
    return cache[key]


def federation_member_codes(user, federation_ids: Iterable[int]) -> list[str]:
    """
    The villages that are members of these federations today, read through the same per-request cache as the
    user's scope (a federation director's dashboard and their scope ask once).
    """
    cache = user.__dict__.setdefault("_scope_cache", {}) if user is not None else {}
    return _member_villages(cache, frozenset(federation_ids))


def federation_reach(federation_id: int) -> list[str]:
    """The villages that a role on this federation reaches as members today (its own and its companies')."""
    cache: dict = {}
    return _member_villages(cache, _family(cache, frozenset([federation_id])))


def remember_role_assignments(user, assignments: Iterable[tuple[str, str | None, int | None]]) -> None:
    """
    The user's role assignments as ``(role, region code, federation id)``, read by another query of the same
    request (the two-factor check on every page reads them with its own), so that ``scope_for`` does not read
    them again. Assignments already read for this user object are kept.
    """
    user.__dict__.setdefault("_scope_cache", {}).setdefault("assignments", list(assignments))


def scope_for(user, action: Action = Action.VIEW) -> Scope:
    """
    The regions and federations ``user`` may ``action`` on: the union of their role assignments that grant
    the action. A role held on a federation adds the federation, and for the actions the role grants over
    member villages, the villages that are members today. The assignments (and member villages) are read
    once per user object (i.e. once per request).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cache = user.__dict__.setdefault("_scope_cache", {})
    if action in cache:
        return cache[action]
    if user.is_superuser:
        scope = Scope.national()
    else:
        if "assignments" not in cache:
            cache["assignments"] = list(user.role_assignments.values_list("role", "region_id", "federation_id"))
        codes: list[str] = []
        members: list[str] = []
        federations: set[int] = set()
        reaching: set[int] = set()
        national = False
        for role, code, federation in cache["assignments"]:
            if federation is not None:
                if action in ROLE_ACTIONS[role]:
                    federations.add(federation)
                if action in FEDERATION_MEMBER_ACTIONS.get(role, ()):
                    reaching.add(federation)
            elif role in FEDERATION_ROLES:
                # Held on a village (the way before federations were recorded): that village is a member.
                if action in FEDERATION_MEMBER_ACTIONS[role]:
                    codes.append(code)
            elif action in ROLE_ACTIONS[role]:
                national = national or role == Role.NATIONAL_ADMIN
                codes.append(code)
        if national:
            scope = Scope.national()
        else:
            member_of = _family(cache, frozenset(reaching)) if reaching else frozenset()
            if member_of:
                members = _member_villages(cache, member_of)
            own = Scope.of(codes)
            scope = Scope.of([*codes, *members], _family(cache, frozenset(federations)), member_of=member_of,
                             member_codes=members, member_only=[code for code in members if not own.contains(code)])
    cache[action] = scope
    return scope


def require_scope(user, action: Action, code: str | None, *, federation_id: int | None = None) -> None:
    """
    Services call this before every write: the row's region (or, for a federation's records, the
    federation) must be inside the user's scope.
    """
    if not scope_for(user, action).reaches(code, federation_id):
        raise PermissionDenied(_("This is outside the area where your role allows this action."))


def forget_scope(user) -> None:
    """Drop the cached scope after the user's role assignments changed."""
    user.__dict__.pop("_scope_cache", None)


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a model whose rows belong to a region; see the module docstring."""

    def within(self, scope: Scope) -> ScopedQuerySet:
        return self.filter(scope.q(self.model.scope_path, getattr(self.model, "scope_federation_path", None),
                                   member_villages=getattr(self.model, "scope_member_villages", True)))

    def for_user(self, user, action: Action = Action.VIEW) -> ScopedQuerySet:
        return self.within(scope_for(user, action))

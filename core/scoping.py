"""
The one scoping mechanism of the portal.

A user's scope is a set of Kemendagri region codes. The dotted code is a materialized path with
fixed-width segments (``33`` / ``33.18`` / ``33.18.01`` / ``33.18.01.2001``), so "inside the
subtree of 33.18" is simply "the code starts with 33.18". Every scoped model names the field that
holds its region code in ``scope_path``; ``Model.objects.for_user(user, action)`` filters by it.
Views, form choices, API endpoints and exports all go through ``for_user`` (or ``Scope.q`` for
the rare query that is not rooted in a scoped model); none filters by region by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from core.roles import ROLE_ACTIONS
from core.roles import Action
from core.roles import Role

__all__ = [
    "VILLAGE_CODE_LENGTH",
    "Scope",
    "ScopedQuerySet",
    "code_in_subtree",
    "forget_scope",
    "require_scope",
    "scope_for",
]

VILLAGE_CODE_LENGTH = len("33.18.01.2001")


def code_in_subtree(code: str, root: str) -> bool:
    """True when ``code`` is ``root`` or lies below it in the region tree."""
    return code == root or code.startswith(root + ".")


@dataclass(frozen=True)
class Scope:
    """A set of region subtrees, or everything (national scope)."""

    roots: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def of(cls, codes: Iterable[str]) -> Scope:
        """Build a scope, dropping codes already covered by another code in the set."""
        unique = sorted(set(codes), key=len)
        roots: list[str] = []
        for code in unique:
            if not any(code_in_subtree(code, root) for root in roots):
                roots.append(code)
        return cls(roots=frozenset(roots))

    @classmethod
    def national(cls) -> Scope:
        return cls(everything=True)

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.roots

    def contains(self, code: str | None) -> bool:
        """True when the region ``code`` is inside this scope."""
        if self.everything:
            return True
        if not code:
            return False
        return any(code_in_subtree(code, root) for root in self.roots)

    def covers(self, other: Scope) -> bool:
        """True when every region of ``other`` is inside this scope."""
        if self.everything:
            return True
        if other.everything:
            return False
        return all(self.contains(root) for root in other.roots)

    def q(self, path: str) -> Q:
        """A filter selecting rows whose region code field ``path`` is inside this scope."""
        if self.everything:
            return Q()
        if not self.roots:
            return Q(pk__in=[])
        # Villages have no children, so an exact match is the whole subtree and can use IN.
        villages = sorted(code for code in self.roots if len(code) == VILLAGE_CODE_LENGTH)
        areas = sorted(code for code in self.roots if len(code) != VILLAGE_CODE_LENGTH)
        condition = Q(**{f"{path}__in": villages}) if villages else Q(pk__in=[])
        for code in areas:
            # Segments have fixed widths, so a plain prefix never matches a sibling (33.1 is not a code).
            condition |= Q(**{f"{path}__startswith": code})
        return condition

    def __or__(self, other: Scope) -> Scope:
        if self.everything or other.everything:
            return Scope.national()
        return Scope.of(self.roots | other.roots)


def scope_for(user, action: Action = Action.VIEW) -> Scope:
    """
    The regions ``user`` may ``action`` on: the union of their role assignments that grant the
    action. The assignments are read once per user object (i.e. once per request).
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
            cache["assignments"] = list(user.role_assignments.values_list("role", "region_id"))
        granted = [(role, code) for role, code in cache["assignments"] if action in ROLE_ACTIONS[role]]
        if any(role == Role.NATIONAL_ADMIN for role, _code in granted):
            scope = Scope.national()
        else:
            scope = Scope.of(code for _role, code in granted)
    cache[action] = scope
    return scope


def require_scope(user, action: Action, code: str | None) -> None:
    """Services call this before every write: the row's region must be inside the user's scope."""
    if not scope_for(user, action).contains(code):
        raise PermissionDenied(_("This is outside the area where your role allows this action."))


def forget_scope(user) -> None:
    """Drop the cached scope after the user's role assignments changed."""
    user.__dict__.pop("_scope_cache", None)


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a model whose rows belong to a region; see the module docstring."""

    def within(self, scope: Scope) -> ScopedQuerySet:
        return self.filter(scope.q(self.model.scope_path))

    def for_user(self, user, action: Action = Action.VIEW) -> ScopedQuerySet:
        return self.within(scope_for(user, action))

"""Read queries over the region tree. Every one starts from the caller's scope."""

from core.roles import Action
from core.scoping import scope_for

from .filtersets import RegionFilterSet
from .models import Region
from .models import RegionLevel

__all__ = ["region_ancestors", "region_list", "region_scope_roots"]


def region_list(*, user, filters: dict | None = None):
    """Regions ``user`` may see, narrowed by ``RegionFilterSet`` filters."""
    queryset = Region.objects.for_user(user, Action.VIEW)
    return RegionFilterSet(filters or {}, queryset).qs


def region_scope_roots(*, user) -> list[Region]:
    """Where the user's region browsing starts: the provinces for national scope, else their own regions."""
    scope = scope_for(user, Action.VIEW)
    if scope.everything:
        return list(Region.objects.filter(level=RegionLevel.PROVINCE))
    return list(Region.objects.filter(code__in=scope.roots))


def region_ancestors(region: Region) -> list[Region]:
    """The chain from the province down to the parent (one query)."""
    return list(Region.objects.filter(code__in=region.ancestor_codes).order_by("code"))

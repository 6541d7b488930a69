"""
Per-area versions of the dashboard figures, so that a change invalidates only the cached pages whose
figures it changed.

A change in one village moves the roll-up rows of the village and its ancestors (kecamatan,
kabupaten/kota, province, nation) and nothing else; an area's dashboard shows its own row and its
children's, which all move with the area's own row. So each area carries a version token in the cache,
renewed by the roll-up writer after it commits, and a cached dashboard page is keyed by the versions of
the areas it shows: Kabupaten Pati's cached page survives a change in Papua. Tokens are random rather
than counters: a token evicted from the cache and created again can never repeat an old one and revive a
stale page. A big correction (a first build, a reconcile after an outage) renews the epoch that every
page's key includes instead of writing thousands of tokens.

The roll-up writer renews the versions of the areas whose figures moved; what else a dashboard shows (an
area's targets) renews them through ``region_pages_renew_on_commit`` when it is written. Kept in core, the
lowest floor, so that every app whose records a dashboard shows can renew them.
"""

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

__all__ = ["NATION", "area_version", "area_versions_renew", "area_versions_renew_on_commit", "cached_with_version",
           "region_pages_renew_on_commit"]

NATION = "ID"  # the nation's code among the areas (its roll-up row, its dashboard)

_PREFIX = "rollup-version:"
_EPOCH = _PREFIX + "*"
# Above this many changed areas one epoch token replaces the per-area tokens.
_MANY_AREAS = 2000
# Long enough to outlive any cached page; a token that expires just means one more rendering.
_TOKEN_SECONDS = 7 * 24 * 3600


def _version_keys(codes: Iterable[str]) -> list[str]:
    return [_EPOCH, *(_PREFIX + code for code in sorted(set(codes)))]


def area_version(codes: Iterable[str]) -> str:
    """The version of the figures of these areas (region codes, ``ID`` for the nation): one cache read."""
    keys = _version_keys(codes)
    tokens = cache.get_many(keys)
    return ".".join(tokens.get(key, "0") for key in keys)


def cached_with_version(keys: list[str], codes: Iterable[str]) -> tuple[list[object | None], str]:
    """
    The cache entries at ``keys`` (None where missing) and the current version of these areas, in one round trip
    to the cache (a warm dashboard page costs this read and nothing else of its content).
    """
    version_keys = _version_keys(codes)
    found = cache.get_many([*keys, *version_keys])
    return [found.get(key) for key in keys], ".".join(found.get(version_key, "0") for version_key in version_keys)


def area_versions_renew(codes: Iterable[str]) -> None:
    """New tokens for these areas (or a new epoch for all, when many changed)."""
    codes = set(codes)
    if not codes:
        return
    if len(codes) > _MANY_AREAS:
        cache.set(_EPOCH, uuid.uuid4().hex[:12], _TOKEN_SECONDS)
    else:
        cache.set_many({_PREFIX + code: uuid.uuid4().hex[:12] for code in codes}, _TOKEN_SECONDS)


def area_versions_renew_on_commit(codes: Iterable[str]) -> None:
    """
    Renew the tokens once the roll-up rows are committed: renewed earlier, a reader could render the old
    rows and cache them under the new token, and serve them until the next change.
    """
    codes = frozenset(codes)
    transaction.on_commit(lambda: area_versions_renew(codes))


def region_pages_renew_on_commit(*codes: str) -> None:
    """
    Renew, once committed, the versions of every dashboard that can show something recorded on these regions:
    their own, their ancestors' (whose pages list their children's) and the nation's.
    """
    shown = {NATION}
    for code in codes:
        parts = code.split(".")
        shown.update(".".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    area_versions_renew_on_commit(shown)

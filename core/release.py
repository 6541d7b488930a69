"""
The running release's identifier, for what is kept across a deployment in a shared cache.

A dashboard drawing is kept in Redis for minutes, and a deployment does not empty Redis: without the release
in its key, the new code would serve drawings of the old one, whose HTML names the old release's hashed scripts
and carries data in the old release's shape (the burn-up chart's once changed), until they expired.

``PORTAL_RELEASE`` names the release (e.g. the deployed commit). When it is not set, the release is a digest of
the code and templates that draw pages, read once per process: processes running the same files agree, and any
change to them makes a new one.
"""

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

__all__ = ["release_id", "source_digest"]

# What a drawing depends on: the code that builds its context, the templates, the scripts and styles that read
# it, the translations it is written in.
_SOURCE_SUFFIXES = (".py", ".html", ".js", ".css", ".json", ".mo")
# Not part of what pages are drawn with: environments, collected copies, uploads, the suite, the benchmarks.
_NOT_SOURCE = frozenset({"staticfiles", "media", "tests", "bench", "docs", "node_modules", "__pycache__"})


def release_id() -> str:
    """``PORTAL_RELEASE`` when set, else the digest of this checkout's source (``source_digest``)."""
    return settings.PORTAL_RELEASE or source_digest(str(settings.BASE_DIR))


@functools.cache
def source_digest(base_dir: str) -> str:
    """A digest of the files under ``base_dir`` that pages are drawn with (their paths and contents)."""
    digest = hashlib.sha256()
    for directory, subdirectories, files in os.walk(base_dir):
        # Sorted, so that every process and every host walks the same files in the same order.
        subdirectories[:] = sorted(name for name in subdirectories
                                   if name not in _NOT_SOURCE and not name.startswith("."))
        for name in sorted(files):
            if name.endswith(_SOURCE_SUFFIXES):
                path = Path(directory, name)
                digest.update(str(path.relative_to(base_dir)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]

"""
The running release's identifier, for what is kept across a deployment in a shared cache.

A dashboard drawing is kept in Redis for minutes, and a deployment does not empty Redis: without the release
in its key, the new code would serve drawings of the old one, whose HTML names the old release's hashed scripts
and carries data in the old release's shape (the burn-up chart's once changed), until they expired.

``PORTAL_RELEASE`` names the release (e.g. the deployed commit). When it is not set, the release is a digest of
the code and templates that draw pages, taken when the process starts (``CoreConfig.ready``): a process started
before the files were replaced keeps the old release's digest, so it never keeps its drawings under the new one's.
"""

import hashlib
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings

__all__ = ["release_id", "source_digest", "take_source_digest"]

# What a drawing depends on: the code that builds its context, the templates, the scripts and styles that read
# it, the translations it is written in.
_SOURCE_SUFFIXES = (".py", ".html", ".js", ".css", ".json", ".mo")
# The project's own folders besides its apps.
_PROJECT_FOLDERS = ("config", "templates", "static", "locale")
_NOT_SOURCE = frozenset({"__pycache__", "node_modules"})

_digest_at_start = ""


def release_id() -> str:
    """``PORTAL_RELEASE`` when set, else the digest of this process's source taken at its start."""
    return settings.PORTAL_RELEASE or _digest_at_start or take_source_digest()


def take_source_digest() -> str:
    """The digest of the project's apps and folders under BASE_DIR, kept for ``release_id`` (~0.1 s, once)."""
    global _digest_at_start  # set once per process, from CoreConfig.ready()
    base = Path(settings.BASE_DIR)
    folders = {Path(config.path) for config in apps.get_app_configs() if Path(config.path).is_relative_to(base)}
    folders.update(base / name for name in _PROJECT_FOLDERS)
    _digest_at_start = source_digest(base, sorted(folders))
    return _digest_at_start


def source_digest(base: Path, folders: list[Path]) -> str:
    """A digest of the source files in ``folders`` (their paths relative to ``base``, and their contents)."""
    digest = hashlib.sha256()
    for folder in folders:
        for directory, subdirectories, files in os.walk(folder):
            # Sorted, so that every process and every host walks the same files in the same order.
            subdirectories[:] = sorted(name for name in subdirectories
                                       if name not in _NOT_SOURCE and not name.startswith("."))
            for name in sorted(files):
                if name.endswith(_SOURCE_SUFFIXES):
                    path = Path(directory, name)
                    try:
                        content = path.read_bytes()
                    except FileNotFoundError:  # removed while walked (a deployment under way)
                        continue
                    digest.update(str(path.relative_to(base)).encode() + b"\0" + content + b"\0")
    return digest.hexdigest()[:16]

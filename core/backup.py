"""
Backups of everything the portal cannot rebuild: the PostgreSQL database and the uploaded files.

A backup is a folder: ``database.dump`` (pg_dump's custom format), ``media.tar.gz`` (MEDIA_ROOT) and
``manifest.json`` (when, from which database, and the row count of every table, so a restore can
prove it brought everything back). Redis holds only the cache and the task queue and is not backed up;
the roll-up tables are in the database and are rebuilt by the nightly reconcile anyway.
"""

import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg2
from django.conf import settings
from django.db import connection
from django.utils import timezone

__all__ = ["BackupError", "RestoreResult", "backup_create", "backup_restore", "table_row_counts"]

MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


@dataclass
class RestoreResult:
    database_url: str
    tables: int
    rows: int


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError("Backups are for the PostgreSQL database of a real deployment, not the SQLite quickstart.")


def _pg_environment(database: dict) -> dict:
    """Connection details for pg_dump/pg_restore, passed in the environment so no password shows in `ps`."""
    env = {**os.environ, "PGHOST": database["HOST"] or "", "PGPORT": str(database["PORT"] or 5432),
           "PGUSER": database["USER"] or "", "PGDATABASE": database["NAME"]}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def table_row_counts(cursor) -> dict[str, int]:
    """Exact row count of every table of the public schema."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def backup_create(target_dir: Path) -> Path:
    """Write a new backup folder under ``target_dir`` and return it."""
    _require_postgresql()
    folder = Path(target_dir) / f"kopdes-{timezone.now():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    database = connection.settings_dict
    # Counted just before pg_dump takes its own snapshot: rows are only ever added meanwhile (ledgers and
    # history are append-only), so a good restore holds at least these counts.
    with connection.cursor() as cursor:
        counts = table_row_counts(cursor)
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={folder / DATABASE_FILE}"],
         _pg_environment(database))
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA_FILE, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    (folder / MANIFEST).write_text(json.dumps({
        "created_at": timezone.now().isoformat(),
        "database": database["NAME"],
        "tables": counts,
    }, indent=2))
    return folder


def _database_url(database: dict, name: str) -> str:
    credentials = quote(database["USER"] or "")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"])
    host = database["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{database['PORT'] or 5432}/{name}"


def backup_restore(folder: Path, *, database_name: str, media_root: Path | None = None) -> RestoreResult:
    """
    Restore a backup into a NEW database ``database_name`` on the same server (never over a live one),
    unpack the files into ``media_root`` if given, and check every table has at least the rows the
    manifest counted.
    """
    _require_postgresql()
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a backup folder ({MANIFEST} unreadable: {error}).")
    database = dict(connection.settings_dict)
    if database_name == database["NAME"]:
        raise BackupError("Restore into a new database, not over the one the portal is using.")
    env = _pg_environment(database)
    _run(["createdb", database_name], env)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={database_name}",
          str(folder / DATABASE_FILE)], env)
    if media_root is not None:
        with tarfile.open(folder / MEDIA_FILE, "r:gz") as archive:
            archive.extractall(media_root, filter="data")
    restored = _restored_counts(database, database_name)
    short = {table: (rows, restored.get(table, 0)) for table, rows in manifest["tables"].items()
             if restored.get(table, 0) < rows}
    if short:
        raise BackupError(f"The restored database lacks rows: {short}")
    return RestoreResult(database_url=_database_url(database, database_name), tables=len(restored),
                         rows=sum(restored.values()))


def _restored_counts(database: dict, name: str) -> dict[str, int]:
    restored = psycopg2.connect(_database_url(database, name))
    try:
        with restored.cursor() as cursor:
            return table_row_counts(cursor)
    finally:
        restored.close()

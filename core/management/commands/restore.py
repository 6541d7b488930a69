"""Restore a backup folder into a new database and check its row counts — see core/backup.py."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from core.backup import BackupError
from core.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into a NEW database on the same server (never over the live one), unpack "
        "the uploaded files if --media-root is given, and prove every table has its rows back."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")
        parser.add_argument("--database", required=True, help="Name of the new database to create.")
        parser.add_argument("--media-root", type=Path, help="Where to unpack the uploaded files.")

    def handle(self, *args, folder: Path, database: str, media_root: Path | None, **options):
        try:
            result = backup_restore(folder, database_name=database, media_root=media_root)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(f"Restored {result.tables} tables, {result.rows} rows. Point DATABASE_URL at "
                          f"{result.database_url.split('@')[-1]} to use it.")

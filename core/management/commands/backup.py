"""Write a backup folder (database dump, uploaded files, manifest) — see core/backup.py."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from core.backup import BackupError
from core.backup import backup_create


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the uploaded files into a new folder under --to."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="Folder that receives the backup folder.")

    def handle(self, *args, to: Path, **options):
        try:
            folder = backup_create(to)
        except BackupError as error:
            raise CommandError(str(error))
        self.stdout.write(f"Backup written to {folder}")

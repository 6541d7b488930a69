import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from wilayah.services import DEFAULT_REGION_FILE
from wilayah.services import region_import


class Command(BaseCommand):
    help = "Load or update the official Kemendagri region list (idempotent; safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=DEFAULT_REGION_FILE, help="CSV with columns code,name,level,parent_code,kind"
        )

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        started = time.perf_counter()
        try:
            result = region_import(path=file)
        except ValidationError as error:
            problems = "\n".join(error.messages)
            raise CommandError(f"The region file was rejected; nothing was changed.\n{problems}") from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions: {result.total} in file; {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.deactivated} deactivated ({elapsed:.2f} s)."
            )
        )

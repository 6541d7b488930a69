from datetime import date
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.utils import timezone

from reports.services import rollup_reconcile
from reports.services import snapshot_backfill


class Command(BaseCommand):
    help = (
        "Rebuild the roll-up tables from the base tables (the nightly full reconcile) and take today's "
        "snapshot. With --backfill-days N, also rebuild the daily snapshots of the last N days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backfill-days", type=int, default=0)

    def handle(self, *args, backfill_days: int, **options):
        if backfill_days < 0:
            raise CommandError("--backfill-days must be 0 or more.")
        result = rollup_reconcile()
        self.stdout.write(self.style.SUCCESS(
            f"Roll-up reconciled: {result.rows} rows, {result.corrected} corrected, in {result.seconds:.2f} s."
        ))
        if backfill_days:
            today = timezone.localdate()
            start: date = today - timedelta(days=backfill_days)
            rows = snapshot_backfill(start, today - timedelta(days=1))
            self.stdout.write(self.style.SUCCESS(f"Snapshots rebuilt for {start} to {today}: {rows} rows."))

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
        "snapshot. With --backfill-days N (or --since YYYY-MM-DD), also rebuild the daily snapshots of the last "
        "N days (or from that day) to yesterday, from the records' event dates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backfill-days", type=int, default=0)
        parser.add_argument("--since", type=date.fromisoformat, default=None,
                            help="rebuild the daily snapshots from this day (YYYY-MM-DD) to yesterday")

    def handle(self, *args, backfill_days: int, since: date | None, **options):
        if backfill_days < 0:
            raise CommandError("--backfill-days must be 0 or more.")
        today = timezone.localdate()
        if since is not None and since >= today:
            raise CommandError("--since must be a past day.")
        result = rollup_reconcile()
        self.stdout.write(self.style.SUCCESS(
            f"Roll-up reconciled: {result.rows} rows, {result.corrected} corrected, in {result.seconds:.2f} s."
        ))
        start = since or (today - timedelta(days=backfill_days) if backfill_days else None)
        if start is not None:
            rows = snapshot_backfill(start, today - timedelta(days=1))
            self.stdout.write(self.style.SUCCESS(f"Snapshots rebuilt for {start} to {today}: {rows} rows."))

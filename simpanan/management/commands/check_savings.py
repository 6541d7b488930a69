"""Prove that every maintained savings balance equals the ledger; exit 1 with a report when one does not."""

import sys

from django.core.management.base import BaseCommand

from simpanan.checks import savings_discrepancies


class Command(BaseCommand):
    help = ("Check that member and cooperative savings balances, bills and arrears equal the append-only ledger, "
            "and that receipt numbers have no gaps. Exits with status 1 when anything disagrees.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20, help="Rows shown per failed check.")

    def handle(self, *args, limit, **options):
        results = savings_discrepancies(limit=max(1, limit))
        failed = [result for result in results if not result.ok]
        for result in results:
            mark = self.style.SUCCESS("ok  ") if result.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"{mark} {result.name}" + ("" if result.ok else f": {result.count} row(s) differ"))
            if not result.ok:
                self.stdout.write("       " + " | ".join(result.columns))
                for row in result.rows:
                    self.stdout.write("       " + " | ".join("-" if value is None else str(value) for value in row))
        if failed:
            self.stderr.write(self.style.ERROR(f"{len(failed)} of {len(results)} savings checks failed."))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"All {len(results)} savings checks passed."))

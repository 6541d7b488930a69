import time

from django.core.management import get_commands
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import connection

from sampledata.national import DEFAULT_COOPERATIVES
from sampledata.national import DEFAULT_MEMBERS
from sampledata.national import DEFAULT_VISITS
from sampledata.national import GENERATED_EMAIL_DOMAIN
from sampledata.national import GenerationRefused
from sampledata.national import generate_national
from sampledata.national import wiped_models


class Command(BaseCommand):
    help = (
        "Fill a PostgreSQL database with a synthetic national dataset for benchmarks: a cooperative in "
        f"{DEFAULT_COOPERATIVES:,} desa/kelurahan with their stages, units, milestones, members and boards, "
        f"targets per kabupaten/kota and province, and {DEFAULT_VISITS:,} recent assistance visits. Written with "
        "COPY in one transaction; generated rows have NO audit history. Stage documents (files) are not "
        f"generated. Officer accounts (@{GENERATED_EMAIL_DOMAIN}, unusable passwords) are created if missing. "
        "Needs the regions (manage.py load_wilayah). Never run this on a real server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cooperatives", type=int, default=None,
                            help=f"number of cooperatives (default {DEFAULT_COOPERATIVES:,}, scaled down with "
                                 "--region)")
        parser.add_argument("--members", type=int, default=None,
                            help=f"total members (default {DEFAULT_MEMBERS:,}, scaled with --region); streamed, "
                                 "so millions are fine")
        parser.add_argument("--visits", type=int, default=None,
                            help=f"assistance visits over the last 90 days (default {DEFAULT_VISITS:,}, scaled)")
        parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
        parser.add_argument("--region", default=None,
                            help="limit to the subtree of this region code, e.g. 33.18 (defaults scale with it)")
        parser.add_argument("--wipe", action="store_true",
                            help="first TRUNCATE (CASCADE) the cooperatives, stages, documents, units, members, "
                                 "positions, visits and ALL targets, with their history tables; regions and users "
                                 "stay")
        parser.add_argument("--keep-constraints", action="store_true",
                            help="load with the foreign keys and non-unique indexes in place (slower); by default "
                                 "they are dropped for the load and recreated, validated, in the same transaction")

    def handle(self, *args, cooperatives, members, visits, seed, region, wipe, keep_constraints, **options):
        for name, value in (("cooperatives", cooperatives), ("members", members), ("visits", visits)):
            if value is not None and value < 0:
                raise CommandError(f"--{name} cannot be negative.")
        self.stdout.write(f"Generating synthetic data in database {connection.settings_dict['NAME']!r}"
                          + (f" under {region}" if region else "") + " …")
        started = time.perf_counter()
        try:
            result = generate_national(cooperatives=cooperatives, members=members, visits=visits, seed=seed,
                                       region=region, wipe=wipe, fast=not keep_constraints,
                                       progress=self.stdout.write)
        except GenerationRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.1f} s. Rows now in the "
                                             "tables:"))
        with connection.cursor() as cursor:
            for model in wiped_models():
                if model.__name__.startswith("Historical"):
                    continue
                table = model._meta.db_table
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                self.stdout.write(f"  {table:<32} {cursor.fetchone()[0]:>10,}")
        generated = sum(table.rows for table in result.tables if not table.table.startswith("("))
        self.stdout.write(f"  {'(rows generated)':<32} {generated:>10,}")
        if "rollup" in get_commands():
            self.stdout.write(self.style.WARNING("The roll-up tables were not refreshed (rows were written without the "
                                                 "services); run manage.py rollup."))

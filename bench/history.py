"""
Benchmark of the history rebuild: the daily snapshots of a long run of past days (18 months by default) rebuilt from
the dated records of the national dataset, on PostgreSQL. Prints figures beside their floor; checks nothing.

    BENCH_DATABASE=kopdes_bench .venv/bin/python bench/history.py [--generate] [--days 548] [--region 33]

It measures, with the load average (``uptime``) before and after:
1. the history rebuild (``snapshot_backfill`` over ``--days`` days, ``reports.history``: one pass over the dated
   records turning them into changes per kecamatan and day, the first day computed in full, then each later day
   written as the day before's rows plus its changes, one INSERT … SELECT a day), with the time of each part;
2. the floor: one set-based INSERT … SELECT a day writing as many area rows as a snapshot day holds (the day before's
   rows copied), for the same number of days; the ratio of 1. to 2.;
3. the day-by-day rebuild it replaces (every village recomputed for every day), timed over ``--sample`` days and
   extrapolated to ``--days``.
The dataset comes from ``manage.py generate_national`` (as bench/rollup.py); ``--region`` generates one subtree only,
for a smaller run.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DATABASE = os.environ.get("BENCH_DATABASE", "kopdes_bench")
os.environ.update({
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DATABASE_URL": os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DATABASE}"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "LOG_LEVEL": "WARNING",
})


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def ensure_database(generate: bool, members: int, region: str | None) -> None:
    exists = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
                            capture_output=True, text=True).stdout.strip() == "1"
    if not exists:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {DATABASE}"], check=True)
    import django

    django.setup()
    from django.core.management import call_command

    from koperasi.models import Cooperative

    call_command("migrate", verbosity=0)
    call_command("load_wilayah", verbosity=0)
    if generate or not Cooperative.objects.exists():
        print(f"Generating the dataset ({members:,} members, region {region or 'all'}; load: {uptime()})…",
              flush=True)
        started = time.perf_counter()
        call_command("generate_national", members=members, region=region, wipe=Cooperative.objects.exists(),
                     verbosity=0)
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)


def floor(start, days: int) -> float:
    """
    One INSERT … SELECT a day writing the day before's area rows again (a scratch table indexed by day; the snapshot
    table has three indexes): the least a day costs.
    """
    from django.db import connection
    from django.db import transaction

    from reports.metrics import METRIC_COLUMNS

    columns = ", ".join(METRIC_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute(f"CREATE TEMPORARY TABLE bench_floor AS SELECT day, code, level, {columns} "
                       "FROM reports_regionsnapshot WHERE day = %s", [start])
        # Indexed by day like the snapshot table: without it each day's SELECT scans every day written before it,
        # and over 548 days the "floor" grows to the cost of the rebuild itself.
        cursor.execute("CREATE INDEX ON bench_floor (day)")
        started = time.perf_counter()
        for offset in range(1, days):
            day = start + timedelta(days=offset)
            cursor.execute(f"INSERT INTO bench_floor (day, code, level, {columns}) SELECT %s, code, level, {columns} "
                           "FROM bench_floor WHERE day = %s", [day, day - timedelta(days=1)])
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", action="store_true", help="(re)generate the dataset first")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--region", default=None, help="generate only this region's subtree (a smaller run)")
    parser.add_argument("--days", type=int, default=548, help="days of history to rebuild (548: 18 months)")
    parser.add_argument("--sample", type=int, default=1, help="days timed for the day-by-day rebuild")
    args = parser.parse_args()

    ensure_database(args.generate, args.members, args.region)
    from django.db import connection
    from django.utils import timezone

    from koperasi.models import Cooperative
    from koperasi.models import StageProgress
    from members.models import Member
    from reports.models import RegionSnapshot
    from reports.services import snapshot_backfill
    from units.models import UnitMilestone

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"\nDataset: {Cooperative.objects.count():,} cooperatives, {StageProgress.objects.count():,} stage rows, "
          f"{UnitMilestone.objects.count():,} unit milestones, {Member.objects.count():,} members — {version}, "
          f"{os.cpu_count()} CPU cores", flush=True)
    end = timezone.localdate() - timedelta(days=1)
    start = end - timedelta(days=args.days - 1)
    print(f"History: {args.days} days, {start} to {end}\nLoad before: {uptime()}", flush=True)

    parts: dict[str, float] = {}

    def timed(execute, sql, params, many, context):
        """Time each statement of the rebuild by what it does (see reports.history)."""
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            part = ("changes" if sql.startswith(("CREATE TEMPORARY TABLE history_", "ANALYZE history_"))
                    else "daily" if sql.startswith("INSERT INTO reports_regionsnapshot") and "history_delta" in sql
                    else "first" if "INSERT INTO reports_regionsnapshot" in sql else "other")
            parts[part] = parts.get(part, 0.0) + time.perf_counter() - started

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        rows = snapshot_backfill(start, end)
    rebuild = time.perf_counter() - started
    per_day = RegionSnapshot.objects.filter(day=end).count()
    daily = parts.get("daily", 0.0)
    print(f"\n1. History rebuild: {rebuild:.1f} s for {args.days} days ({rebuild / args.days * 1000:.0f} ms a day), "
          f"{rows:,} rows ({per_day:,} areas a day)\n"
          f"   of which: the changes (one pass over the dated records) {parts.get('changes', 0.0):.1f} s, "
          f"the first day in full {parts.get('first', 0.0):.1f} s, the {args.days - 1} later days {daily:.1f} s "
          f"({daily / max(args.days - 1, 1) * 1000:.0f} ms a day), the rest {parts.get('other', 0.0):.1f} s",
          flush=True)

    floor_seconds = floor(start, args.days)
    print(f"2. Floor (one INSERT … SELECT of {per_day:,} rows a day): {floor_seconds:.1f} s "
          f"({floor_seconds / args.days * 1000:.0f} ms a day)\n   ratio: {rebuild / floor_seconds:.1f}× "
          f"(the later days alone, day for day: {daily / floor_seconds:.1f}×)", flush=True)

    started = time.perf_counter()
    sample_start = end - timedelta(days=args.sample - 1)
    snapshot_backfill(sample_start, end, day_by_day=True)
    sample = (time.perf_counter() - started) / args.sample
    print(f"3. Day by day (every village every day): {sample:.1f} s a day, about {sample * args.days / 60:.0f} min "
          f"for {args.days} days ({sample * args.days / rebuild:.0f}× the history rebuild)", flush=True)
    print(f"\nLoad after: {uptime()}")


if __name__ == "__main__":
    main()

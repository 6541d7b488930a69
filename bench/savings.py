"""
Benchmark of the savings (simpanan) on PostgreSQL. Prints figures; checks nothing.

    BENCH_DATABASE=kopdes_savings REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/savings.py \
        [--members 5000000] [--payments 1000000] [--skip-generate]

1. Generates the national dataset with --members members and their opening balances (simpanan pokok and
   wajib: two postings per member, the balance rows, totals and receipt sequences), timed as a whole and per
   table (sampledata/national.py, sampledata/national_simpanan.py).
2. Runs the wajib billing of one month for every member (one set-based run, then a repeated run that must
   create nothing).
3. Posts --payments payments against those bills through the service layer (``bill_pay``: row locks, receipt
   sequence, balances, roll-up notice), one transaction each; prints postings/s.
4. Times a member's balance read (the selector the pages use, and the API in process), p50/p95 of 1,000
   random members, and a cooperative's arrears page (the one with most members, 12 months billed), median
   of 10, server time and database time.
5. Times ``check_savings`` over the whole ledger.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE", "kopdes_savings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/11")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Importing bench.rollup sets the environment (production settings, the benchmark database) before Django loads.
from bench.rollup import DATABASE
from bench.rollup import ms
from bench.rollup import percentile
from bench.rollup import setup_django


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def prepare_database() -> None:
    """The benchmark database, migrated, with the region tree (the dataset is generated separately)."""
    exists = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
                            capture_output=True, text=True).stdout.strip() == "1"
    if not exists:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {DATABASE}"], check=True)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_wilayah", verbosity=0)


def generate(members: int, region: str | None = None) -> None:
    from django.core.management import call_command

    from koperasi.models import Cooperative

    started = time.perf_counter()
    call_command("generate_national", members=members, wipe=Cooperative.objects.exists(), verbosity=1,
                 **({"region": region} if region else {}))
    print(f"Generated {members:,} members with opening balances in {time.perf_counter() - started:.1f} s "
          f"(load: {uptime()})", flush=True)


def bill_month(month: date) -> None:
    from simpanan.services import wajib_bills_generate

    started = time.perf_counter()
    created = wajib_bills_generate(today=month)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = wajib_bills_generate(today=month)
    print(f"Wajib billing of {month:%m/%Y}: {created:,} bills in {first:.1f} s; repeated run: {again} new bills "
          f"in {time.perf_counter() - started:.1f} s", flush=True)


def post_payments(count: int, month: date) -> None:
    from accounts.models import User
    from simpanan.models import Bill
    from simpanan.services import bill_pay

    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email="bench-bendahara@example.id", password="bench-only-password-123")
    bills = list(Bill.objects.filter(kind="wajib", period=month, paid_amount=0)
                 .select_related("member", "member__cooperative").order_by("?")[:count])
    day = min(date.today(), month.replace(day=5))
    started = time.perf_counter()
    checkpoints = []
    for number, bill in enumerate(bills, start=1):
        bill_pay(actor=actor, bill=bill, amount=bill.amount, transaction_date=day)
        if number % 50_000 == 0:
            checkpoints.append((number, time.perf_counter() - started))
            print(f"  {number:,} payments, {number / checkpoints[-1][1]:.0f} postings/s", flush=True)
    seconds = time.perf_counter() - started
    print(f"Posted {len(bills):,} payments through the service layer in {seconds:.1f} s: "
          f"{len(bills) / seconds:.0f} postings/s (one process, one transaction each; load: {uptime()})",
          flush=True)


def read_balances() -> None:
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from members.models import Member
    from simpanan.selectors import member_balance

    highest = Member.objects.order_by("-pk").values_list("pk", flat=True).first()
    rng = random.Random(5)
    members = [Member(pk=rng.randint(1, highest)) for _run in range(1000)]
    times = []
    for member in members:
        started = time.perf_counter()
        member_balance(member)
        times.append(time.perf_counter() - started)
    print(f"Balance read (selector): p50 {ms(percentile(times, 0.5))}, p95 {ms(percentile(times, 0.95))}, "
          f"max {ms(max(times))} over {len(times):,} random members")
    admin = User.objects.filter(is_superuser=True).first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    if client.get(f"/api/savings-balances/{members[0].pk}/").status_code == 403:
        print("Balance read (API): skipped, the benchmark's administrator has no second factor (403)")
        connection.close()
        return
    api_times = []
    for member in members[:200]:
        started = time.perf_counter()
        response = client.get(f"/api/savings-balances/{member.pk}/")
        api_times.append(time.perf_counter() - started)
        assert response.status_code in (200, 404), response.status_code
    print(f"Balance read (API, in process, national admin): p50 {ms(percentile(api_times, 0.5))}, "
          f"p95 {ms(percentile(api_times, 0.95))}")
    connection.close()


def arrears_page(months: int = 12) -> None:
    from django.db import connection

    from accounts.models import User
    from koperasi.models import Cooperative
    from simpanan.services import wajib_bills_generate

    cooperative = Cooperative.objects.order_by("-pk").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cooperative_id FROM members_member GROUP BY cooperative_id ORDER BY COUNT(*) DESC "
                       "LIMIT 1")
        cooperative = Cooperative.objects.get(pk=cursor.fetchone()[0])
    today = date.today()
    for back in range(months):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        wajib_bills_generate(today=date(year, month + 1, 1), cooperative_id=cooperative.pk)
    from accounts.models import RoleAssignment
    from core.roles import Role

    bendahara, _created = User.objects.get_or_create(email=f"bench-bendahara-{cooperative.pk}@example.id",
                                                     defaults={"full_name": "Bendahara (bench)"})
    RoleAssignment.objects.get_or_create(user=bendahara, role=Role.VILLAGE_STAFF, region_id=cooperative.village_id)
    from simpanan import selectors

    times = []
    for _run in range(10):
        started = time.perf_counter()
        rows = selectors.arrears_for(cooperative, limit=50)
        selectors.arrears_count(cooperative)
        selectors.cooperative_totals(cooperative)
        times.append(time.perf_counter() - started)
    assert rows
    members = cooperative.members.count()
    print(f"Arrears page of the largest cooperative ({members:,} members, {months} months billed): "
          f"the page's reads (arrears list, count, totals) {ms(statistics.median(times))} (median of 10; the page's "
          f"rendering was not measured: production settings need collectstatic first)")


def check() -> None:
    from simpanan.checks import savings_discrepancies

    started = time.perf_counter()
    results = savings_discrepancies()
    failed = [result.name for result in results if not result.ok]
    print(f"check_savings over the whole ledger: {time.perf_counter() - started:.1f} s, "
          f"{'all checks passed' if not failed else 'FAILED: ' + ', '.join(failed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=5_000_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--region", default=None, help="generate only this region's subtree (a smaller run)")
    args = parser.parse_args()
    print(f"Load before: {uptime()}", flush=True)
    prepare_database()
    if not args.skip_generate:
        generate(args.members, args.region)
    from django.db import connection

    from members.models import Member
    from simpanan.models import Posting

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    print(f"Dataset: {Member.objects.count():,} members, ledger {Posting.objects.count():,} postings — {version}",
          flush=True)
    month = date.today().replace(day=1)
    bill_month(month)
    if args.payments:
        post_payments(args.payments, month)
    read_balances()
    arrears_page()
    check()
    print(f"Load after: {uptime()}")


if __name__ == "__main__":
    main()

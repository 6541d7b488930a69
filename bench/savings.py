"""
Benchmark of the savings (simpanan) on PostgreSQL. Prints figures; checks nothing.

    BENCH_DATABASE=kopdes_savings REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/savings.py \
        [--members 5000000] [--payments 1000000] [--skip-generate]

1. Generates the national dataset with --members members and their opening balances (simpanan pokok and
   wajib: two postings per member, the balance rows, totals and receipt sequences), timed as a whole and per
   table (sampledata/national.py, sampledata/national_simpanan.py).
2. Runs the wajib billing of one month for every member (one set-based run, then a repeated run that must
   create nothing).
3. Posts --payments payments against those bills (as many months billed as that needs) through the service
   layer: 2,000 one by one (``bill_pay``: row locks, receipt sequence, balances, roll-up notice, one
   transaction each), the rest on collection sheets (``bill_payments_post``: the same rules, one transaction
   per sheet of up to 500 payments of one cooperative); prints postings/s of each.
4. Times a member's balance read (the selector the pages use, and the API in process), p50/p95 of 1,000
   random members, and a cooperative's arrears page (the one with most members, 12 months billed), median
   of 10, server time and database time.
5. Times ``check_savings`` over the whole ledger.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE", "kopdes_savings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/11")
# The pages render with the production settings' hashed static files: collected once into this folder.
os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / f"kopdes-bench-static-{os.getuid()}"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Importing bench.rollup sets the environment (production settings, the benchmark database) before Django loads.
from bench.rollup import load_averages
from bench.rollup import migrated_database
from bench.rollup import ms
from bench.rollup import percentile
from bench.rollup import queries_timed


def generate(members: int, region: str | None = None) -> None:
    from django.core.management import call_command

    from koperasi.models import Cooperative

    started = time.perf_counter()
    call_command("generate_national", members=members, wipe=Cooperative.objects.exists(), verbosity=1,
                 **({"region": region} if region else {}))
    print(f"Generated {members:,} members with opening balances in {time.perf_counter() - started:.1f} s "
          f"(load: {load_averages()})", flush=True)


def bill_month(month: date) -> int:
    from simpanan.services import wajib_bills_generate

    started = time.perf_counter()
    created = wajib_bills_generate(today=month)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = wajib_bills_generate(today=month)
    print(f"Wajib billing of {month:%m/%Y}: {created:,} bills in {first:.1f} s; repeated run: {again} new bills "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    return created


def months_back(month: date, count: int) -> list[date]:
    months = []
    for back in range(count):
        year, index = divmod(month.year * 12 + month.month - 1 - back, 12)
        months.append(date(year, index + 1, 1))
    return months


def post_payments(count: int, months: list[date], *, single: int = 2_000, sheet_size: int = 500) -> None:
    """
    ``single`` payments one by one (``bill_pay``, a teller at the counter), the rest through collection sheets
    (``bill_payments_post``, up to ``sheet_size`` payments of one cooperative per transaction).
    """
    from collections import defaultdict

    from accounts.models import User
    from koperasi.models import Cooperative
    from simpanan.models import Bill
    from simpanan.services import bill_pay
    from simpanan.services import bill_payments_post

    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email="bench-bendahara@example.id", password="bench-only-password-123")
    bills = list(Bill.objects.filter(kind="wajib", period__in=months, paid_amount=0)
                 .values_list("pk", "cooperative_id", "amount").order_by("?")[:count])
    if len(bills) < count:
        print(f"  only {len(bills):,} unpaid bills: posting those", flush=True)
    day = min(date.today(), max(months).replace(day=5))
    single_bills = Bill.objects.in_bulk([pk for pk, _coop, _amount in bills[:single]])
    started = time.perf_counter()
    for pk, _cooperative, amount in bills[:single]:
        bill_pay(actor=actor, bill=single_bills[pk], amount=amount, transaction_date=day)
    seconds = time.perf_counter() - started
    done = min(single, len(bills))
    print(f"Posted {done:,} payments one by one (bill_pay, one transaction each) in {seconds:.1f} s: "
          f"{done / seconds:.0f} postings/s (load: {load_averages()})", flush=True)

    per_cooperative = defaultdict(list)
    for pk, cooperative_id, amount in bills[single:]:
        per_cooperative[cooperative_id].append((pk, amount))
    cooperatives = Cooperative.objects.in_bulk(list(per_cooperative))
    sheets = [(cooperatives[pk], payments[start:start + sheet_size])
              for pk, payments in per_cooperative.items() for start in range(0, len(payments), sheet_size)]
    random.Random(7).shuffle(sheets)
    posted, next_report = 0, 100_000
    started = time.perf_counter()
    for cooperative, payments in sheets:
        bill_payments_post(actor=actor, cooperative=cooperative, payments=payments, transaction_date=day)
        posted += len(payments)
        if posted >= next_report:
            print(f"  {posted:,} payments on sheets, {posted / (time.perf_counter() - started):.0f} postings/s",
                  flush=True)
            next_report += 100_000
    seconds = time.perf_counter() - started
    print(f"Posted {posted:,} payments on {len(sheets):,} collection sheets (bill_payments_post, one transaction "
          f"per sheet of one cooperative, at most {sheet_size}) in {seconds:.1f} s: {posted / seconds:.0f} postings/s "
          f"(load: {load_averages()})", flush=True)


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
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    if not Path(os.environ["STATIC_ROOT"], "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)

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
          f"the page's reads (arrears list, count, totals) {ms(statistics.median(times))} (median of 10)")
    page_times, database_times = [], []
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(bendahara)
    url = f"/koperasi/{cooperative.pk}/simpanan/tunggakan/"
    for _run in range(11):
        started = time.perf_counter()
        with queries_timed() as spent:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        page_times.append(time.perf_counter() - started)
        database_times.append(sum(spent))
    print(f"  the whole page (GET {url} as the cooperative's bendahara, in process, after one warm-up): "
          f"{ms(statistics.median(page_times[1:]))} median, of which database "
          f"{ms(statistics.median(database_times[1:]))} in {len(spent)} queries", flush=True)


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
    print(f"Load before: {load_averages()}", flush=True)
    migrated_database()
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
    members = Member.objects.count()
    # One month more than the payments need: members who joined during the first month are not billed for it.
    months = months_back(date.today().replace(day=1), 1 + -(-args.payments // max(members, 1)))
    for month in sorted(months):
        bill_month(month)
    if args.payments:
        post_payments(args.payments, months)
    read_balances()
    arrears_page()
    check()
    print(f"Load after: {load_averages()}")


if __name__ == "__main__":
    main()
